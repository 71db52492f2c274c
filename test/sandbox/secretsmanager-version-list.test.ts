/** The sandbox's ListSecretVersionIds, as the API reference documents it. */
import { CreateSecretCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb.close());

describe('ListSecretVersionIds', () => {
  it('lists labelled versions by default, deprecated ones with IncludeDeprecated, never a value; pages with MaxResults', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: 'list-versions', SecretString: 'v1' }));
    await sb.secrets.send(new PutSecretValueCommand({ SecretId: 'list-versions', SecretString: 'v2' }));
    await sb.secrets.send(new PutSecretValueCommand({ SecretId: 'list-versions', SecretString: 'v3' }));
    const labelled = await sb.secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'list-versions' }));
    expect(labelled.Name).toBe('list-versions');
    expect(labelled.Versions!.map((v) => v.VersionStages)).toEqual([['AWSPREVIOUS'], ['AWSCURRENT']]);
    expect(labelled.Versions!.every((v) => v.CreatedDate instanceof Date)).toBe(true);
    expect(JSON.stringify(labelled)).not.toMatch(/"v[123]"/);

    const all = await sb.secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'list-versions', IncludeDeprecated: true }));
    expect(all.Versions).toHaveLength(3);
    expect(all.Versions![0]!.VersionStages).toBeUndefined();

    const first = await sb.secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'list-versions', IncludeDeprecated: true, MaxResults: 2 }));
    expect(first.Versions).toHaveLength(2);
    const rest = await sb.secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'list-versions', IncludeDeprecated: true, MaxResults: 2, NextToken: first.NextToken }));
    expect(rest.Versions).toHaveLength(1);
    expect(rest.NextToken).toBeUndefined();
  });

  it('refuses MaxResults out of 1–100 and an unknown secret with AWS codes', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: 'list-bounds', SecretString: 'x' }));
    await expect(sb.secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'list-bounds', MaxResults: 101 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sb.secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'no-such-secret' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
