import {
  CreateSecretCommand,
  type CreateSecretCommandInput,
  type Filter,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const DAY = 86_400_000;

let sb: TestSandbox;
let ireland: SecretsManagerClient;
let oregon: SecretsManagerClient;
beforeAll(async () => {
  sb = await startTestSandbox({ seed: 'empty' });
  ireland = new SecretsManagerClient(sb.clientConfig('eu-west-1'));
  oregon = new SecretsManagerClient(sb.clientConfig('us-west-2'));
});
afterAll(async () => {
  ireland.destroy();
  oregon.destroy();
  await sb.close();
});

let counter = 0;
const uniqueName = (prefix = 'edge-install/secret'): string => `${prefix}-${++counter}`;

async function createSecret(name = uniqueName(), value = '{"FPJS_PRE_SHARED_SECRET":"s3cr3t"}') {
  return sb.secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
}

type AwsFailure = Error & { name: string; $metadata: { httpStatusCode?: number } };

/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<AwsFailure> {
  try {
    await call;
  } catch (error) {
    return error as AwsFailure;
  }
  throw new Error('expected the call to fail');
}

/**
 * A time the sandbox stamped between two readings of its clock (dates travel as epoch seconds,
 * so a second's truncation either way is allowed). Bracketed, not "close to now": no load can break it.
 */
function expectBetween(ms: number, before: number, after: number): void {
  expect(ms).toBeGreaterThanOrEqual(before - 1000);
  expect(ms).toBeLessThanOrEqual(after + 1000);
}

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

describe('create and read', () => {
  it('CreateSecret then GetSecretValue and DescribeSecret', async () => {
    const name = uniqueName();
    const before = sb.world.now();
    const created = await sb.secrets.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: '{"k":"v"}',
        Description: 'edge-install secret',
        KmsKeyId: 'alias/edge',
        Tags: [{ Key: 'edge-install:integration', Value: 'fp' }],
      }),
    );
    expect(created.Name).toBe(name);
    expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-[A-Za-z0-9]{6}$`));
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/); // the SDK's ClientRequestToken
    expect(created.ReplicationStatus).toBeUndefined();

    const value = await sb.secrets.send(new GetSecretValueCommand({ SecretId: name }));
    const after = sb.world.now();
    expect(value).toMatchObject({ ARN: created.ARN, Name: name, VersionId: created.VersionId, SecretString: '{"k":"v"}', VersionStages: ['AWSCURRENT'] });
    expect(value.CreatedDate).toBeInstanceOf(Date);
    expectBetween(value.CreatedDate!.getTime(), before, after);

    const described = await sb.secrets.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described).toMatchObject({
      ARN: created.ARN,
      Name: name,
      Description: 'edge-install secret',
      KmsKeyId: 'alias/edge',
      Tags: [{ Key: 'edge-install:integration', Value: 'fp' }],
      VersionIdsToStages: { [created.VersionId!]: ['AWSCURRENT'] },
      PrimaryRegion: 'us-east-1',
    });
    expect(described.CreatedDate).toBeInstanceOf(Date);
    expect(described.LastChangedDate).toBeInstanceOf(Date);
    expect(described.DeletedDate).toBeUndefined();
  });

  it('dates are epoch seconds on the wire', async () => {
    const before = sb.world.now();
    const { Name } = await createSecret();
    const response = await fetch(sb.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.DescribeSecret' },
      body: JSON.stringify({ SecretId: Name }),
    });
    const body = (await response.json()) as { CreatedDate: unknown };
    expect(typeof body.CreatedDate).toBe('number');
    expectBetween((body.CreatedDate as number) * 1000, before, sb.world.now());
  });

  it('SecretBinary goes in and out as bytes', async () => {
    const name = uniqueName();
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await sb.secrets.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
    const value = await sb.secrets.send(new GetSecretValueCommand({ SecretId: name }));
    expect(value.SecretString).toBeUndefined();
    expect([...value.SecretBinary!]).toEqual([...bytes]);
  });

  it('SecretId may be the name, the full ARN or the ARN without its suffix', async () => {
    const { ARN, Name } = await createSecret();
    for (const id of [Name!, ARN!, ARN!.slice(0, -7)]) {
      const value = await sb.secrets.send(new GetSecretValueCommand({ SecretId: id }));
      expect(value.ARN).toBe(ARN);
    }
  });

  it('a secret created without a value has no version yet', async () => {
    const name = uniqueName();
    const created = await sb.secrets.send(new CreateSecretCommand({ Name: name }));
    expect(created.VersionId).toBeUndefined();
    const error = await failure(sb.secrets.send(new GetSecretValueCommand({ SecretId: name })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
  });

  it('a name that is taken → 400 ResourceExistsException', async () => {
    const { Name } = await createSecret();
    const error = await failure(createSecret(Name));
    expect(error).toBeInstanceOf(ResourceExistsException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(`The operation failed because the secret ${Name} already exists.`);
  });

  it('an unknown secret → 400 ResourceNotFoundException', async () => {
    for (const command of [
      new GetSecretValueCommand({ SecretId: 'no-such-secret' }),
      new DescribeSecretCommand({ SecretId: 'no-such-secret' }),
      new PutSecretValueCommand({ SecretId: 'no-such-secret', SecretString: 'x' }),
    ]) {
      const error = await failure(sb.secrets.send(command as GetSecretValueCommand));
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(NOT_FOUND);
    }
  });

  it('a secret lives in its region: another region does not see it', async () => {
    const { Name } = await createSecret();
    const error = await failure(oregon.send(new GetSecretValueCommand({ SecretId: Name })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('parameters', () => {
  it.each([
    ['no Name', { SecretString: 'x' }],
    ['both SecretString and SecretBinary', { Name: 'both', SecretString: 'x', SecretBinary: new Uint8Array([1]) }],
    ['a SecretString over 65,536 bytes', { Name: 'huge', SecretString: 'é'.repeat(32_769) }],
    ['a name over 512 characters', { Name: 'n'.repeat(513), SecretString: 'x' }],
    ['a name with a space', { Name: 'bad name', SecretString: 'x' }],
    ['a name with a colon', { Name: 'bad:name', SecretString: 'x' }],
  ])('CreateSecret with %s → 400 InvalidParameterException', async (_why, input) => {
    const error = await failure(sb.secrets.send(new CreateSecretCommand(input as CreateSecretCommandInput)));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('a secret value of exactly 65,536 bytes is fine', async () => {
    await createSecret(uniqueName(), 'a'.repeat(65_536));
  });

  it('no SecretId → 400 InvalidParameterException', async () => {
    const error = await failure(sb.secrets.send(new GetSecretValueCommand({} as { SecretId: string })));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('PutSecretValue without a value → 400 InvalidParameterException', async () => {
    const { Name } = await createSecret();
    const error = await failure(sb.secrets.send(new PutSecretValueCommand({ SecretId: Name })));
    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('a model constraint (ListSecrets MaxResults over 100) → 400 ValidationException', async () => {
    const error = await failure(sb.secrets.send(new ListSecretsCommand({ MaxResults: 101 })));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/^1 validation error detected: Value '101' at 'maxResults'/);
  });
});

describe('UpdateSecretVersionStage', () => {
  it('moving AWSCURRENT back puts AWSPREVIOUS on the version it left (a rollback of a value)', async () => {
    const { Name, VersionId: v1 } = await createSecret(uniqueName(), 'one');
    const v2 = (await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'two' }))).VersionId!;
    const moved = await sb.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: Name, VersionStage: 'AWSCURRENT', MoveToVersionId: v1, RemoveFromVersionId: v2 }));
    expect(moved).toMatchObject({ Name });
    expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name }))).SecretString).toBe('one');
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }))).VersionIdsToStages).toEqual({ [v1!]: ['AWSCURRENT'], [v2]: ['AWSPREVIOUS'] });
  });

  it('a label held by another version needs RemoveFromVersionId naming it → 400 InvalidParameterException', async () => {
    const { Name, VersionId: v1 } = await createSecret(uniqueName(), 'one');
    const v2 = (await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'two' }))).VersionId!;
    const missing = await failure(sb.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: Name, VersionStage: 'AWSCURRENT', MoveToVersionId: v1 })));
    expect(missing).toBeInstanceOf(InvalidParameterException);
    expect(missing.message).toBe(`The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v2}, so you must explicitly reference that version in RemoveFromVersionId.`);
    const wrong = await failure(sb.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: Name, VersionStage: 'AWSCURRENT', MoveToVersionId: v1, RemoveFromVersionId: v1 })));
    expect(wrong).toBeInstanceOf(InvalidParameterException);
    // Nothing moved.
    expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name }))).VersionId).toBe(v2);
  });

  it('an unknown version → 400 ResourceNotFoundException; a malformed id → 400 ValidationException', async () => {
    const { Name, VersionId: v1 } = await createSecret(uniqueName(), 'one');
    const unknown = await failure(
      sb.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: Name, VersionStage: 'AWSCURRENT', MoveToVersionId: '00000000-0000-0000-0000-000000000000', RemoveFromVersionId: v1 })),
    );
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    const short = await failure(sb.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: Name, VersionStage: 'AWSCURRENT', MoveToVersionId: 'nope', RemoveFromVersionId: v1 })));
    expect(short.name).toBe('ValidationException');
    expect(short.$metadata.httpStatusCode).toBe(400);
  });
});

describe('versions', () => {
  it('PutSecretValue makes a new AWSCURRENT; the old one becomes AWSPREVIOUS', async () => {
    const { Name, VersionId: v1 } = await createSecret(uniqueName(), 'one');
    const put = await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'two' }));
    expect(put).toMatchObject({ Name, VersionStages: ['AWSCURRENT'] });
    const v2 = put.VersionId!;
    expect(v2).not.toBe(v1);

    expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name }))).SecretString).toBe('two');
    const previous = await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name, VersionStage: 'AWSPREVIOUS' }));
    expect(previous).toMatchObject({ SecretString: 'one', VersionId: v1, VersionStages: ['AWSPREVIOUS'] });
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }))).VersionIdsToStages).toEqual({
      [v1!]: ['AWSPREVIOUS'],
      [v2]: ['AWSCURRENT'],
    });

    const v3 = (await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'three' }))).VersionId!;
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }))).VersionIdsToStages).toEqual({
      [v2]: ['AWSPREVIOUS'],
      [v3]: ['AWSCURRENT'],
    });
    // A version without labels can still be read by its id.
    const first = await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name, VersionId: v1 }));
    expect(first).toMatchObject({ SecretString: 'one', VersionStages: [] });
  });

  it('PutSecretValue with other VersionStages leaves AWSCURRENT where it is', async () => {
    const { Name, VersionId: v1 } = await createSecret(uniqueName(), 'one');
    const pending = await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'next', VersionStages: ['AWSPENDING'] }));
    expect(pending.VersionStages).toEqual(['AWSPENDING']);
    expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name }))).VersionId).toBe(v1);
  });

  it('PutSecretValue creating the first version makes it AWSCURRENT whatever VersionStages say', async () => {
    const Name = uniqueName();
    await sb.secrets.send(new CreateSecretCommand({ Name }));
    const first = await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'one', VersionStages: ['edge-install-pending'] }));
    expect([...first.VersionStages!].sort()).toEqual(['AWSCURRENT', 'edge-install-pending']);
    expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name }))).VersionId).toBe(first.VersionId);
  });

  it('a compare-and-swap: a version written under a private label, AWSCURRENT moved to it only from the version named', async () => {
    const { Name, VersionId: v1 } = await createSecret(uniqueName(), 'one');
    const v2 = (await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'two', VersionStages: ['edge-install-pending'] }))).VersionId!;
    await sb.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: Name, VersionStage: 'AWSCURRENT', MoveToVersionId: v2, RemoveFromVersionId: v1 }));
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }))).VersionIdsToStages).toEqual({ [v1!]: ['AWSPREVIOUS'], [v2]: ['edge-install-pending', 'AWSCURRENT'] });
    // Only RemoveFromVersionId: the label comes off, the version stays current.
    await sb.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: Name, VersionStage: 'edge-install-pending', RemoveFromVersionId: v2 }));
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }))).VersionIdsToStages).toEqual({ [v1!]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] });
    // Someone else writes; a swap that names the version it read (v2) is refused and moves nothing.
    const v3 = (await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'theirs' }))).VersionId!;
    const v4 = (await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'ours', VersionStages: ['edge-install-pending'] }))).VersionId!;
    const refused = await failure(sb.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: Name, VersionStage: 'AWSCURRENT', MoveToVersionId: v4, RemoveFromVersionId: v2 })));
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name }))).VersionId).toBe(v3);
  });

  it('the same ClientRequestToken and value is a no-op returning the same version', async () => {
    const { Name } = await createSecret(uniqueName(), 'one');
    const token = '11111111-2222-4333-8444-555555555555';
    const first = await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'two', ClientRequestToken: token }));
    const again = await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'two', ClientRequestToken: token }));
    expect(first.VersionId).toBe(token);
    expect(again).toMatchObject({ VersionId: token, VersionStages: ['AWSCURRENT'] });
    const stages = (await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }))).VersionIdsToStages!;
    expect(Object.keys(stages)).toHaveLength(2);
    expect(stages[token]).toEqual(['AWSCURRENT']);
  });

  it('the same ClientRequestToken with another value → 400 ResourceExistsException', async () => {
    const { Name } = await createSecret(uniqueName(), 'one');
    const token = '99999999-2222-4333-8444-555555555555';
    await sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'two', ClientRequestToken: token }));
    const error = await failure(sb.secrets.send(new PutSecretValueCommand({ SecretId: Name, SecretString: 'three', ClientRequestToken: token })));
    expect(error).toBeInstanceOf(ResourceExistsException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name }))).SecretString).toBe('two');
  });

  it('a CreateSecret retried with the same token and value succeeds again', async () => {
    const name = uniqueName();
    const token = '77777777-2222-4333-8444-555555555555';
    const first = await sb.secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v', ClientRequestToken: token }));
    const again = await sb.secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v', ClientRequestToken: token }));
    expect(again).toMatchObject({ ARN: first.ARN, VersionId: token });
  });

  it('UpdateSecret changes the description and, with a value, adds a version', async () => {
    const { Name } = await createSecret(uniqueName(), 'one');
    const updated = await sb.secrets.send(new UpdateSecretCommand({ SecretId: Name, Description: 'new', SecretString: 'two' }));
    expect(updated.VersionId).toBeDefined();
    const described = await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }));
    expect(described.Description).toBe('new');
    expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name }))).SecretString).toBe('two');
  });
});

describe('replicas', () => {
  it('a replica region can read the secret, under its own ARN, but not change it', async () => {
    const name = uniqueName();
    const created = await sb.secrets.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v', AddReplicaRegions: [{ Region: 'eu-west-1' }] }),
    );
    expect(created.ReplicationStatus).toEqual([{ Region: 'eu-west-1', Status: 'InSync', StatusMessage: 'Replication succeeded' }]);
    const replicaArn = created.ARN!.replace(':us-east-1:', ':eu-west-1:');

    const value = await ireland.send(new GetSecretValueCommand({ SecretId: name }));
    expect(value).toMatchObject({ ARN: replicaArn, SecretString: 'v' });
    expect((await ireland.send(new GetSecretValueCommand({ SecretId: replicaArn }))).SecretString).toBe('v');
    const described = await ireland.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described).toMatchObject({ ARN: replicaArn, PrimaryRegion: 'us-east-1' });
    const listed = await ireland.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }] }));
    expect(listed.SecretList!.map((s) => s.ARN)).toEqual([replicaArn]);

    const primary = await sb.secrets.send(new DescribeSecretCommand({ SecretId: name }));
    expect(primary.ReplicationStatus).toEqual([{ Region: 'eu-west-1', Status: 'InSync', StatusMessage: 'Replication succeeded' }]);

    for (const command of [
      new PutSecretValueCommand({ SecretId: name, SecretString: 'changed' }),
      new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k', Value: 'v' }] }),
      new DeleteSecretCommand({ SecretId: name }),
    ]) {
      const error = await failure(ireland.send(command as PutSecretValueCommand));
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe("Operation not permitted on a replica secret. Call must be made in primary secret's region.");
    }
    // A region that is neither primary nor replica does not see it.
    expect(await failure(oregon.send(new GetSecretValueCommand({ SecretId: name })))).toBeInstanceOf(ResourceNotFoundException);

    // New values reach the replica.
    await sb.secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'v2' }));
    expect((await ireland.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('v2');
  });

  it('a primary with replicas cannot be deleted until the replicas are removed', async () => {
    const name = uniqueName();
    await sb.secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'v', AddReplicaRegions: [{ Region: 'eu-west-1' }] }));
    const error = await failure(sb.secrets.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true })));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toMatch(/still has replica regions \[eu-west-1\]/);

    const removed = await sb.secrets.send(new RemoveRegionsFromReplicationCommand({ SecretId: name, RemoveReplicaRegions: ['eu-west-1'] }));
    expect(removed.ReplicationStatus).toEqual([]);
    expect(await failure(ireland.send(new GetSecretValueCommand({ SecretId: name })))).toBeInstanceOf(ResourceNotFoundException);
    await sb.secrets.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
  });

  it('replicating to a region where the name is taken fails for that region', async () => {
    const name = uniqueName();
    await ireland.send(new CreateSecretCommand({ Name: name, SecretString: 'theirs' }));
    const created = await sb.secrets.send(
      new CreateSecretCommand({ Name: name, SecretString: 'ours', AddReplicaRegions: [{ Region: 'eu-west-1' }, { Region: 'us-west-2' }] }),
    );
    expect(created.ReplicationStatus).toMatchObject([
      { Region: 'eu-west-1', Status: 'Failed' },
      { Region: 'us-west-2', Status: 'InSync' },
    ]);
    expect((await ireland.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('theirs');
    expect((await oregon.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('ours');
  });
});

describe('deletion', () => {
  it('DeleteSecret schedules the deletion (30 days by default); the secret is purged after it', async () => {
    const { Name, ARN } = await createSecret();
    const before = sb.world.now();
    const deleted = await sb.secrets.send(new DeleteSecretCommand({ SecretId: Name }));
    expect(deleted).toMatchObject({ ARN, Name });
    expectBetween(deleted.DeletionDate!.getTime(), before + 30 * DAY, sb.world.now() + 30 * DAY);

    const described = await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }));
    expect(described.DeletedDate!.getTime()).toBe(deleted.DeletionDate!.getTime());

    // Not listed, unless asked for.
    const filters = [{ Key: 'name' as const, Values: [Name!] }];
    expect((await sb.secrets.send(new ListSecretsCommand({ Filters: filters }))).SecretList).toEqual([]);
    const planned = await sb.secrets.send(new ListSecretsCommand({ Filters: filters, IncludePlannedDeletion: true }));
    expect(planned.SecretList!.map((s) => s.Name)).toEqual([Name]);
    expect(planned.SecretList![0]!.DeletedDate).toBeInstanceOf(Date);

    await sb.advance(31 * DAY);
    const gone = await failure(sb.secrets.send(new DescribeSecretCommand({ SecretId: Name })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    // The name is free again.
    await createSecret(Name);
  });

  it('a secret marked for deletion cannot be read or changed → 400 InvalidRequestException', async () => {
    const { Name } = await createSecret();
    await sb.secrets.send(new DeleteSecretCommand({ SecretId: Name, RecoveryWindowInDays: 7 }));
    for (const command of [
      new GetSecretValueCommand({ SecretId: Name }),
      new PutSecretValueCommand({ SecretId: Name, SecretString: 'x' }),
    ]) {
      const error = await failure(sb.secrets.send(command as GetSecretValueCommand));
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(MARKED);
    }
  });

  it('creating a secret whose name is scheduled for deletion → 400 InvalidRequestException', async () => {
    const { Name } = await createSecret();
    await sb.secrets.send(new DeleteSecretCommand({ SecretId: Name, RecoveryWindowInDays: 7 }));
    const error = await failure(createSecret(Name));
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe("You can't create this secret because a secret with this name is already scheduled for deletion.");
  });

  it('RecoveryWindowInDays 7 purges after 7 days', async () => {
    const { Name } = await createSecret();
    await sb.secrets.send(new DeleteSecretCommand({ SecretId: Name, RecoveryWindowInDays: 7 }));
    await sb.advance(6 * DAY);
    await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }));
    await sb.advance(1 * DAY);
    expect(await failure(sb.secrets.send(new DescribeSecretCommand({ SecretId: Name })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('RestoreSecret cancels a scheduled deletion', async () => {
    const { Name } = await createSecret(uniqueName(), 'kept');
    await sb.secrets.send(new DeleteSecretCommand({ SecretId: Name }));
    await sb.secrets.send(new RestoreSecretCommand({ SecretId: Name }));
    expect((await sb.secrets.send(new GetSecretValueCommand({ SecretId: Name }))).SecretString).toBe('kept');
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: Name }))).DeletedDate).toBeUndefined();
  });

  it('ForceDeleteWithoutRecovery deletes at once, even a secret already scheduled', async () => {
    const { Name } = await createSecret();
    const before = sb.world.now();
    const deleted = await sb.secrets.send(new DeleteSecretCommand({ SecretId: Name, ForceDeleteWithoutRecovery: true }));
    expectBetween(deleted.DeletionDate!.getTime(), before, sb.world.now());
    expect(await failure(sb.secrets.send(new DescribeSecretCommand({ SecretId: Name })))).toBeInstanceOf(ResourceNotFoundException);
    await createSecret(Name);

    await sb.secrets.send(new DeleteSecretCommand({ SecretId: Name }));
    await sb.secrets.send(new DeleteSecretCommand({ SecretId: Name, ForceDeleteWithoutRecovery: true }));
    await createSecret(Name);
  });

  it('RecoveryWindowInDays outside 7–30, or together with ForceDeleteWithoutRecovery → 400 InvalidParameterException', async () => {
    const { Name } = await createSecret();
    for (const input of [{ RecoveryWindowInDays: 6 }, { RecoveryWindowInDays: 31 }, { RecoveryWindowInDays: 0, ForceDeleteWithoutRecovery: true }]) {
      const error = await failure(sb.secrets.send(new DeleteSecretCommand({ SecretId: Name, ...input })));
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toBe('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    }
    const both = await failure(sb.secrets.send(new DeleteSecretCommand({ SecretId: Name, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })));
    expect(both).toBeInstanceOf(InvalidParameterException);
    expect(both.message).toBe("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  });
});

describe('ListSecrets and tags', () => {
  it('filters by name, description, tag key and value, all, with "!" negation', async () => {
    const prefix = uniqueName('list');
    const make = (suffix: string, description: string, tags: { Key: string; Value: string }[]) =>
      sb.secrets.send(new CreateSecretCommand({ Name: `${prefix}/${suffix}`, SecretString: 'x', Description: description, Tags: tags }));
    await make('alpha', 'Fingerprint proxy', [{ Key: 'team', Value: 'edge' }]);
    await make('beta', 'Bot enforcer', [{ Key: 'team', Value: 'security' }]);
    await make('gamma', 'Other', [{ Key: 'owner', Value: 'edge' }]);

    const names = async (filters: { Key: string; Values: string[] }[]) => {
      const all = [{ Key: 'name', Values: [prefix] }, ...filters] as Filter[];
      const { SecretList } = await sb.secrets.send(new ListSecretsCommand({ Filters: all }));
      return SecretList!.map((s) => s.Name!.slice(prefix.length + 1));
    };
    expect(await names([])).toEqual(['alpha', 'beta', 'gamma']);
    expect(await names([{ Key: 'name', Values: [`${prefix}/al`, `${prefix}/ga`] }])).toEqual(['alpha', 'gamma']);
    expect(await names([{ Key: 'description', Values: ['Bot'] }])).toEqual(['beta']);
    expect(await names([{ Key: 'tag-key', Values: ['team'] }])).toEqual(['alpha', 'beta']);
    expect(await names([{ Key: 'tag-value', Values: ['edge'] }])).toEqual(['alpha', 'gamma']);
    expect(await names([{ Key: 'tag-key', Values: ['!team'] }])).toEqual(['gamma']);
    expect(await names([{ Key: 'all', Values: ['proxy'] }])).toEqual(['alpha']);
    expect(await names([{ Key: 'all', Values: ['SECURITY'] }])).toEqual(['beta']);
  });

  it('ListSecrets entries carry SecretVersionsToStages and the metadata; pages with MaxResults/NextToken', async () => {
    const prefix = uniqueName('paged');
    for (const n of [1, 2, 3]) await sb.secrets.send(new CreateSecretCommand({ Name: `${prefix}-${n}`, SecretString: 'x' }));
    const filters = [{ Key: 'name' as const, Values: [prefix] }];
    const first = await sb.secrets.send(new ListSecretsCommand({ Filters: filters, MaxResults: 2 }));
    expect(first.SecretList!.map((s) => s.Name)).toEqual([`${prefix}-1`, `${prefix}-2`]);
    expect(first.NextToken).toBeDefined();
    const entry = first.SecretList![0]!;
    expect(entry.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:/);
    expect(Object.values(entry.SecretVersionsToStages!)).toEqual([['AWSCURRENT']]);
    expect(entry.CreatedDate).toBeInstanceOf(Date);
    expect(entry.PrimaryRegion).toBe('us-east-1');
    const second = await sb.secrets.send(new ListSecretsCommand({ Filters: filters, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.SecretList!.map((s) => s.Name)).toEqual([`${prefix}-3`]);
    expect(second.NextToken).toBeUndefined();
  });

  it('an unknown filter key → 400 ValidationException', async () => {
    const error = await failure(sb.secrets.send(new ListSecretsCommand({ Filters: [{ Key: 'colour' as 'name', Values: ['x'] }] })));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('TagResource merges by key; UntagResource removes keys', async () => {
    const name = uniqueName();
    await sb.secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'x', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await sb.secrets.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'b', Value: 'two' }, { Key: 'c', Value: '3' }] }));
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: name }))).Tags).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: 'two' },
      { Key: 'c', Value: '3' },
    ]);
    await sb.secrets.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['a', 'c'] }));
    expect((await sb.secrets.send(new DescribeSecretCommand({ SecretId: name }))).Tags).toEqual([{ Key: 'b', Value: 'two' }]);
  });
});

describe('json 1.1 protocol', () => {
  const post = (target: string | undefined, body: string, method = 'POST') =>
    fetch(sb.endpoint, {
      method,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        ...(target ? { 'x-amz-target': target } : {}),
        authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=x',
      },
      body: method === 'GET' ? undefined : body,
    });

  it('malformed JSON → 400 SerializationException as {"__type","Message"}', async () => {
    const response = await post('secretsmanager.CreateSecret', '{"Name": ');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.__type).toBe('SerializationException');
    expect(typeof body.Message).toBe('string');
  });

  it('a member of the wrong type → 400 SerializationException', async () => {
    const response = await post('secretsmanager.CreateSecret', '{"Name": 42}');
    expect(response.status).toBe(400);
    expect(((await response.json()) as Record<string, unknown>).__type).toBe('SerializationException');
  });

  it('an unknown X-Amz-Target → 400 UnknownOperationException', async () => {
    const response = await post('secretsmanager.BrewCoffee', '{}');
    expect(response.status).toBe(400);
    expect(((await response.json()) as Record<string, unknown>).__type).toBe('UnknownOperationException');
  });

  it('GET → 405', async () => {
    const response = await post('secretsmanager.ListSecrets', '', 'GET');
    expect(response.status).toBe(405);
  });

  it('an error reply names the error in __type with its Message', async () => {
    const response = await post('secretsmanager.GetSecretValue', '{"SecretId":"missing"}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'ResourceNotFoundException', Message: NOT_FOUND });
  });
});
