/**
 * The apply half of detach, driven directly so another writer can act between plan and
 * apply: an unrelated edit is kept (re-read, re-planned, written), an edit to an owned part
 * stops it with nothing written and no resource touched.
 */
import { GetDistributionConfigCommand, UpdateDistributionCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyDetach, type DetachApplyOptions } from '../../src/apply/detach.js';
import { createClients, type AwsClients } from '../../src/aws/clients.js';
import { timingFor } from '../../src/aws/polling.js';
import { ConflictError } from '../../src/errors.js';
import { gatherDetach } from '../../src/gather/detach.js';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { assembleDetach } from '../../src/plan/detach.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { localStore } from '../../src/state/local-store.js';
import { listRevisions } from '../../src/state/revisions.js';
import { fpProxyProject, type Project, runCli } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
let clients: AwsClients;
let project: Project;

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
  clients = createClients({ endpointUrl: sb.endpoint });
});
afterAll(async () => {
  clients.destroy();
  await sb.close();
});
beforeEach(() => sb.admin('POST', 'reset'));
afterEach(() => project?.remove());

/** gather → assemble, as detach does. */
const prepareDetach = async (loaded: LoadedManifest) => assembleDetach(await gatherDetach(clients, loaded.manifest, { distributionIds: [ID], state: localStore(project.stateDir) }), { keepFunctions: false });
const options = (): DetachApplyOptions => ({ state: localStore(project.stateDir), timing: timingFor(sb.endpoint), waitTimeoutSeconds: 60, concurrency: 4 });

async function edit(change: (c: DistributionConfig) => void) {
  const { DistributionConfig: c, ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
  change(c!);
  await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: c }));
}

/** fp-proxy attached through the CLI, as a user would have it. */
async function attached() {
  project = fpProxyProject([ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 's' }) }));
  const run = await runCli(['attach', '--yes', '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint]);
  expect(run.code, run.stderr).toBe(0);
  return loadManifest(project.manifestPath);
}

const updates = async () => (await sb.calls()).filter((c) => c.operation === 'UpdateDistribution').map((c) => c.status);

describe('another writer between plan and apply', () => {
  it('an unrelated change is kept: re-read, re-planned, written once more', async () => {
    const loaded = await attached();
    const prepared = await prepareDetach(loaded);
    await edit((c) => (c.Comment = 'edited by someone else'));
    const before = await updates();
    const result = await applyDetach(clients, prepared, options());
    expect(result.distributions[0]).toMatchObject({ ok: true, written: true, status: 'Deployed' });
    expect((await updates()).slice(before.length)).toEqual([412, 200]);
    const after = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
    expect(after.Comment).toBe('edited by someone else');
    expect(JSON.stringify(after)).not.toContain('fp-proxy');
    expect(result.resources!.deleted).toContain('role:fp-proxy-edge');
  });

  it('a change to an owned part is a conflict: nothing written, no resource touched, no revision', async () => {
    const loaded = await attached();
    const prepared = await prepareDetach(loaded);
    await edit((c) => {
      c.Origins!.Items!.find((o) => o.Id === 'ei-fp-proxy-vendor')!.OriginPath = '/moved';
    });
    const { ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const result = await applyDetach(clients, prepared, options());
    expect(result.distributions[0]!.ok).toBe(false);
    expect(result.distributions[0]!.error).toBeInstanceOf(ConflictError);
    expect(result.distributions[0]!.error!.message).toMatch(/changed by someone else.*origin ei-fp-proxy-vendor was changed.*Nothing was written/);
    expect(result.resources).toBeUndefined();
    expect((await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).ETag).toBe(ETag);
    expect((await sb.iam.send(new GetRoleCommand({ RoleName: 'fp-proxy-edge' }))).Role).toBeDefined();
    expect(await listRevisions(project.stateDir, 'fp-proxy', ID)).toHaveLength(1);
  });
});
