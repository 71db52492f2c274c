/**
 * The apply half of attach, driven directly so another writer can act between plan and
 * apply: unrelated edits are kept (re-read and re-merge), edits to owned parts stop it with
 * nothing written; foreign triggers are conflicts unless replaced, and replacements recorded.
 */
import { GetDistributionConfigCommand, UpdateDistributionCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, PublishVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyAttach, type AttachApplyOptions } from '../../src/apply/attach.js';
import { StepError } from '../../src/apply/undo.js';
import { createClients, type AwsClients } from '../../src/aws/clients.js';
import { timingFor } from '../../src/aws/polling.js';
import { ConflictError } from '../../src/errors.js';
import { gatherAttach } from '../../src/gather/attach.js';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { formatAddress } from '../../src/plan/addresses.js';
import { assembleAttach } from '../../src/plan/attach.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { localStore } from '../../src/state/local-store.js';
import { listRevisions } from '../../src/state/revisions.js';
import { type Project, recipeProject } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { zipOf } from '../helpers/zip.js';

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

/** gather → assemble, as plan and attach do. */
async function prepareAttach(loaded: LoadedManifest, options: { replaceForeign?: boolean } = {}) {
  return assembleAttach(await gatherAttach(clients, loaded, { distributionIds: [ID], state: localStore(project.stateDir) }), { replaceForeign: !!options.replaceForeign });
}
const applyOptions = (): AttachApplyOptions => ({ state: localStore(project.stateDir), timing: timingFor(sb.endpoint), wait: false, waitTimeoutSeconds: 60, concurrency: 4 });

async function edit(change: (c: DistributionConfig) => void) {
  const { DistributionConfig: c, ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
  change(c!);
  await sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: c }));
}

async function enforcerProject() {
  project = recipeProject('edge-enforcer', { appId: 'PX12345678', firstParty: false }, [ID]);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 't', PX_COOKIE_SECRET: 'c' }) }));
  return loadManifest(project.manifestPath);
}

/** Someone else's Lambda@Edge function, published and ready to associate. */
async function foreignFunction(): Promise<string> {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }] });
  const role = await sb.iam.send(new CreateRoleCommand({ RoleName: 'their-role', AssumeRolePolicyDocument: trust }));
  await sb.lambda.send(new CreateFunctionCommand({ FunctionName: 'their-auth', Role: role.Role!.Arn, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: zipOf('zip') } }));
  return (await sb.lambda.send(new PublishVersionCommand({ FunctionName: 'their-auth' }))).FunctionArn!;
}

describe('another writer between plan and apply', () => {
  it('an unrelated change is kept: re-read, re-merged, written once more', async () => {
    const loaded = await enforcerProject();
    const prepared = await prepareAttach(loaded);
    await edit((c) => (c.Comment = 'edited by someone else'));
    const result = await applyAttach(clients, prepared, applyOptions());
    expect(result.distributions[0]).toMatchObject({ ok: true, written: true });
    const after = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
    expect(after.Comment).toBe('edited by someone else');
    expect(after.DefaultCacheBehavior!.LambdaFunctionAssociations!.Quantity).toBe(1);
    const updates = (await sb.calls()).filter((c) => c.operation === 'UpdateDistribution').map((c) => c.status);
    expect(updates).toEqual([200, 412, 200]);
  });

  it('a change to an owned part stops the apply with a conflict naming it; nothing is written', async () => {
    const loaded = await enforcerProject();
    const arn = await foreignFunction();
    // First install; then a manifest change that needs a new version on the trigger…
    await applyAttach(clients, await prepareAttach(loaded), applyOptions());
    const changed = { ...loaded, manifest: { ...loaded.manifest, functions: { enforcer: { ...loaded.manifest.functions.enforcer!, timeout: 4 } } } };
    const prepared = await prepareAttach(changed);
    expect(prepared.distributions[0]!.changes.map((c) => `${c.action} ${formatAddress(c.address)}`)).toEqual(['update behaviors.*.viewer-request']);
    // …and before it is applied, someone swaps the trigger by hand.
    await edit((c) => {
      c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: arn, IncludeBody: false }] };
    });
    const before = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const failure = await applyAttach(clients, prepared, applyOptions()).catch((e: unknown) => e as StepError);
    expect(failure).toBeInstanceOf(StepError);
    expect(failure.step).toBe(`distribution ${ID}`);
    expect(failure.cause).toBeInstanceOf(ConflictError);
    expect(failure.message).toMatch(/changed by someone else.*trigger \* viewer-request was removed.*Nothing was written/);
    // What this run made for the change (a new version, new settings) is taken back.
    expect(failure.message).toMatch(/undone: delete version 2 of function edge-enforcer-enforcer/);
    const after = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    expect(after.ETag).toBe(before.ETag);
  });
});

describe('foreign triggers', () => {
  it('are a conflict without --replace-foreign, and recorded in the revision with it', async () => {
    const loaded = await enforcerProject();
    const arn = await foreignFunction();
    await edit((c) => {
      c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: arn, IncludeBody: false }] };
    });
    const refused = await prepareAttach(loaded);
    expect(refused.distributions[0]!.conflicts.join('\n')).toMatch(/already has a Lambda@Edge function on viewer-request.*--replace-foreign/);

    const prepared = await prepareAttach(loaded, { replaceForeign: true });
    expect(prepared.distributions[0]!.conflicts).toEqual([]);
    expect(prepared.distributions[0]!.changes).toContainEqual(expect.objectContaining({ address: expect.objectContaining({ kind: 'association' }), action: 'update', replacedForeign: arn }));
    const result = await applyAttach(clients, prepared, applyOptions());
    expect(result.distributions[0]!.ok).toBe(true);
    const [revision] = await listRevisions(project.stateDir, 'edge-enforcer', ID);
    expect(revision!.replacedForeign).toEqual([{ pathPattern: '*', eventType: 'viewer-request', arn, includeBody: false }]);
    expect(revision!.ownedBefore.associations).toEqual([]);
    expect(revision!.ownedAfter.associations.map((a) => a.eventType)).toEqual(['viewer-request']);
  });
});

describe('what is written is what was approved', () => {
  it('the foreign function the plan replaces was swapped for another since: refused as a conflict, nothing written, the run undone', async () => {
    const loaded = await enforcerProject();
    const arn = await foreignFunction();
    await edit((c) => {
      c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: arn, IncludeBody: false }] };
    });
    // Approved: replace their-auth:1.
    const prepared = await prepareAttach(loaded, { replaceForeign: true });
    // Before it is applied, its owner publishes their-auth:2 there. Nothing of ours changed,
    // so the re-read after PreconditionFailed would merge — but this is not what was approved.
    await sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'their-auth', ZipFile: zipOf('zip v2') }));
    const v2 = (await sb.lambda.send(new PublishVersionCommand({ FunctionName: 'their-auth' }))).FunctionArn!;
    expect(v2).toMatch(/:their-auth:2$/);
    await edit((c) => {
      c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: v2, IncludeBody: false }] };
    });
    const before = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const failure = await applyAttach(clients, prepared, applyOptions()).catch((e: unknown) => e as StepError);
    expect(failure).toBeInstanceOf(StepError);
    expect(failure.cause).toBeInstanceOf(ConflictError);
    expect(failure.message).toMatch(/no longer the one that was approved \(behaviors\.\*\.viewer-request is no longer what the plan saw\)/);
    expect(failure.message).toMatch(/undone: .*delete function edge-enforcer-enforcer/);
    const after = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    expect(after.ETag).toBe(before.ETag);
    expect(after.DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items![0]!.LambdaFunctionARN).toBe(v2);
  });
});

describe('unknown config members', () => {
  it('a member the SDK cannot parse makes the plan refuse to write', async () => {
    const loaded = await enforcerProject();
    const { ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    const xml = await (await fetch(`${sb.endpoint}/2020-05-31/distribution/${ID}/config`)).text();
    await fetch(`${sb.endpoint}/2020-05-31/distribution/${ID}/config`, {
      method: 'PUT',
      headers: { 'if-match': ETag! },
      body: xml.replace('<Staging>false</Staging>', '<Staging>false</Staging><FutureFeature><Enabled>true</Enabled></FutureFeature>'),
    });
    const prepared = await prepareAttach(loaded);
    expect(prepared.distributions[0]!.conflicts.join('\n')).toMatch(/cannot read \(FutureFeature\).*Upgrade edge-install/);
  });

  it('so does an empty one, and a list member of another name; empty members the SDK knows do not', async () => {
    const loaded = await enforcerProject();
    const url = `${sb.endpoint}/2020-05-31/distribution/${ID}/config`;
    const edit = async (change: (xml: string) => string) => {
      const { ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
      const put = await fetch(url, { method: 'PUT', headers: { 'if-match': ETag! }, body: change(await (await fetch(url)).text()) });
      expect(put.status).toBe(200);
      return (await prepareAttach(loaded)).distributions[0]!.conflicts.join('\n');
    };
    expect(await edit((xml) => xml.replace(/<Comment>[^<]*<\/Comment>/, '<Comment/>').replace(/<OriginPath>[^<]*<\/OriginPath>/, '<OriginPath/>'))).toBe('');
    expect(await edit((xml) => xml.replace('<Staging>false</Staging>', '<Staging>false</Staging><FutureFlag/>'))).toMatch(/cannot read \(FutureFlag\)/);
    const aliases = '<Aliases><Quantity>3</Quantity><Items><CNAME>www.example.com</CNAME><CNAME>example.com</CNAME><FutureAlias>x</FutureAlias></Items></Aliases>';
    const conflicts = await edit((xml) => xml.replace(/<FutureFlag\/>|<FutureFlag><\/FutureFlag>/, '').replace(/<Aliases>.*?<\/Aliases>/s, aliases));
    expect(conflicts).toMatch(/cannot read \(Aliases\.Items\.FutureAlias\)/);
    expect(conflicts).not.toContain('FutureFlag');
  });

  it('so does a value the SDK would read differently: whitespace with a line break, a number beyond 2^53', async () => {
    const loaded = await enforcerProject();
    const url = `${sb.endpoint}/2020-05-31/distribution/${ID}/config`;
    const edit = async (change: (xml: string) => string) => {
      const { ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
      expect((await fetch(url, { method: 'PUT', headers: { 'if-match': ETag! }, body: change(await (await fetch(url)).text()) })).status).toBe(200);
      return (await prepareAttach(loaded)).distributions[0]!.conflicts.join('\n');
    };
    // Padding without a line break is read as it is: no conflict.
    expect(await edit((xml) => xml.replace(/<Comment>[^<]*<\/Comment>/, '<Comment>  padded  </Comment>'))).toBe('');
    expect(await edit((xml) => xml.replace(/<Comment>[^<]*<\/Comment>/, '<Comment>\n   </Comment>'))).toContain('Comment (only whitespace with a line break, which the AWS SDK reads as empty)');
    const big = await edit((xml) => xml.replace(/<Comment>[^<]*<\/Comment>/, '<Comment>ok</Comment>').replace(/<ErrorCachingMinTTL>[^<]*<\/ErrorCachingMinTTL>/, '<ErrorCachingMinTTL>9007199254740993</ErrorCachingMinTTL>'));
    expect(big).toMatch(/CustomErrorResponses\.Items\[0\]\.ErrorCachingMinTTL \(9007199254740993 is larger than the AWS SDK reads exactly\)/);
    expect(big).not.toContain('Comment (');
  });
});
