/**
 * `import` end to end: each seed's install built by hand in the sandbox (test/helpers/
 * manual-install.ts, the seed followed step by step), then taken over. What matters: the parts
 * are found with their evidence, what is not found is said with why, nothing is written to AWS
 * but tags (and those only after approval), the manifest and a first revision make status,
 * plan, attach, rollback and detach work from then on, and detach never deletes what the user
 * made by hand. The secret's value is never printed or written anywhere.
 */
import { GetCachePolicyCommand, GetDistributionConfigCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endpointDirName } from '../../src/cli/context.js';
import type { Revision } from '../../src/plan/revision.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { listRevisions } from '../../src/state/revisions.js';
import { runCli } from '../helpers/cli.js';
import { fingerprintByHand, humanByHand } from '../helpers/manual-install.js';
import { useSandbox } from '../helpers/sandbox.js';

const box = useSandbox();
const ID = DEMO_DISTRIBUTION_ID;
const SECRET = 'fpjs-pre-shared-7f3e9a1c-never-shown';
const OWNER = { 'edge-install:integration': 'fp-proxy', 'edge-install:adopted': 'true' };

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ei-import-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli([...args, '--endpoint-url', box.sb.endpoint], { cwd: dir });
const stateDir = () => join(dir, '.edge-install', 'endpoints', endpointDirName(box.sb.endpoint));
const revisions = (integration: string): Promise<Revision[]> => listRevisions(stateDir(), integration, ID);
const manifest = () => JSON.parse(readFileSync(join(dir, 'edge-install.json'), 'utf8')) as Record<string, any>;
const writes = async () => (await box.sb.calls()).filter((c) => c.mutating).map((c) => c.operation);
const config = async (): Promise<DistributionConfig> => (await box.sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig!;
const functionTags = async (name: string) => (await box.sb.lambda.send(new GetFunctionCommand({ FunctionName: name }))).Tags ?? {};
const secretTags = async (name: string) => Object.fromEntries(((await box.sb.secrets.send(new DescribeSecretCommand({ SecretId: name }))).Tags ?? []).map((t) => [t.Key, t.Value]));

/** Every file the run left in the project (state dir included), for the secret grep. */
function allFiles(path = dir): string {
  return readdirSync(path)
    .map((name) => join(path, name))
    .map((full) => (statSync(full).isDirectory() ? allFiles(full) : readFileSync(full, 'latin1')))
    .join('\n');
}

interface ImportDoc {
  version: number;
  found: boolean;
  adopt: { action: string; kind: string; address: string; name: string; evidence: string[]; tags?: Record<string, string> }[];
  left: { part: string; reason: string }[];
  unmatched: { part: string; why: string }[];
  later: string[];
  values: Record<string, unknown>;
  revision: string | null;
  tagged: string[];
  dryRun?: boolean;
}

describe('import: the first-party proxy installed by hand (Fingerprint seed)', () => {
  it('adopts origin, behavior, trigger, function, secret and cache policy; writes only tags, the manifest and an import revision', async () => {
    const hand = await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET });
    const before = await config();
    const writesBefore = (await writes()).length;

    const run = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes', '--json');
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as ImportDoc;
    expect(doc.found).toBe(true);
    expect(doc.adopt.map((a) => `${a.kind} ${a.name}`)).toEqual([
      'origin fpcdn.io',
      'behavior x7k2q9fp/*',
      `association ${hand.functionName}:1`,
      `function ${hand.functionName}`,
      `secret ${hand.secretName}`,
      `cache-policy ${hand.cachePolicyName}`,
    ]);
    expect(doc.adopt.every((a) => a.action === 'adopt')).toBe(true);
    expect(doc.adopt.find((a) => a.kind === 'origin')!.evidence).toEqual(expect.arrayContaining(['domain fpcdn.io', `header FPJS_SECRET_NAME: ${hand.secretName}`]));
    expect(doc.values).toEqual({ behaviorPath: 'x7k2q9fp', agentDownloadPath: 'agent9z', getResultPath: 'result4q', agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io' });
    expect(doc.left).toEqual([{ part: `role ${hand.roleName}`, reason: expect.stringContaining('edge-install manages only the role fp-proxy-edge') }]);
    expect(doc.unmatched).toEqual([]);
    expect(doc.later).toEqual(expect.arrayContaining([expect.stringContaining('add an origin-response trigger on x7k2q9fp/*')]));
    expect(doc.revision).toBe('000001-E1DEMO0EXAMPLE');
    expect(run.stderr).toContain('> adopt origin fpcdn.io');
    expect(run.stderr).toContain('Nothing else is written to AWS: the distribution is not changed.');

    // AWS: tags only, on the function and the secret; the distribution as it was.
    expect((await writes()).slice(writesBefore).sort()).toEqual(['TagResource', 'TagResource']);
    expect(await config()).toEqual(before);
    expect(await functionTags(hand.functionName)).toEqual(OWNER);
    expect(await secretTags(hand.secretName)).toEqual(OWNER);
    expect((await box.sb.iam.send(new GetRoleCommand({ RoleName: hand.roleName }))).Role!.Tags ?? []).toEqual([]);

    // The manifest: the recipe's, naming the install's secret and the adopted cache policy by id.
    const m = manifest();
    expect(m).toMatchObject({ name: 'fp-proxy', recipe: 'first-party-proxy', distributions: [ID], secret: { name: hand.secretName, region: 'us-east-1' }, values: { behaviorPath: 'x7k2q9fp' } });
    expect(m.behaviors[0]).toMatchObject({ pathPattern: '${values.behaviorPath}/*', origin: 'vendor', cachePolicy: hand.cachePolicyId });
    expect(m.cachePolicies).toEqual({});

    // The revision: owned before = after = the hand-made parts.
    const [revision] = await revisions('fp-proxy');
    expect(revision).toMatchObject({ kind: 'import', etagBefore: revision!.etagAfter, cachePolicies: { proxy: hand.cachePolicyId }, secret: { name: hand.secretName, region: 'us-east-1' } });
    expect(revision!.by).toMatch(/^arn:aws:/);
    expect(revision!.ownedAfter).toEqual(revision!.ownedBefore);
    expect(revision!.ownedAfter.origins.map((o) => o.Id)).toEqual(['fpcdn.io']);
    expect(revision!.ownedAfter.behaviors).toEqual([expect.objectContaining({ pathPattern: 'x7k2q9fp/*', created: true })]);
    expect(revision!.ownedAfter.associations).toEqual([{ pathPattern: 'x7k2q9fp/*', eventType: 'origin-request', arn: hand.functionArn, includeBody: true }]);
    expect(revision!.functions).toEqual([expect.objectContaining({ key: 'proxy', name: hand.functionName, version: '1', arn: hand.functionArn })]);
    expect(revision!.adopted).toEqual([`function:${hand.functionName}`, `secret:${hand.secretName}`, `cache-policy:${hand.cachePolicyName}`]);

    for (const text of [run.stdout, run.stderr, allFiles()]) expect(text).not.toContain(SECRET);
  });

  it('then status, plan, attach (the upgrade to the built-in proxy), rollback and detach work; detach leaves what was made by hand', async () => {
    const original = await config();
    const hand = await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET });
    const outputs: string[] = [];
    const step = async (...args: string[]) => {
      const run = await cli(...args);
      outputs.push(run.stdout, run.stderr);
      return run;
    };
    expect((await step('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes')).code).toBe(0);

    // status: the import revision, no drift since it; the adopted trigger is the integration's (stale: attach replaces it), not foreign.
    const status = await step('status', '--json');
    expect([0, 3]).toContain(status.code); // 3 by status's own rule: the manifest is ahead of what runs (the upgrade)
    const s = JSON.parse(status.stdout) as { distributions: { lastRevision: string; drift: string[]; associations: { eventType: string; state: string }[] }[] };
    expect(s.distributions[0]!.lastRevision).toBe('000001-E1DEMO0EXAMPLE');
    expect(s.distributions[0]!.drift.filter((d) => d.startsWith('since revision'))).toEqual([]);
    expect(s.distributions[0]!.associations.find((a) => a.eventType === 'origin-request')!.state).toBe('stale');

    // plan: the upgrade — the built-in function, edge-install's origin, the origin-response trigger; no conflict.
    const plan = await step('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('+ function functions.proxy (fp-proxy-proxy)');
    expect(plan.stdout).toContain('+ origin ei-fp-proxy-vendor');
    expect(plan.stdout).toContain('- origin fpcdn.io');
    expect(plan.stdout).toMatch(/~ trigger x7k2q9fp\/\* origin-request .*fingerprint-pro-cloudfront-lambda-A1B2C3D4E5:1 → .*fp-proxy-proxy/);
    expect(plan.stdout).not.toContain('cache-policy');

    const attach = await step('attach', '--yes');
    expect(attach.code, attach.stderr).toBe(0);
    const inSync = await step('status');
    expect(inSync.code, inSync.stdout).toBe(0);
    expect(inSync.stdout).toContain('in sync');
    // The adopted cache policy stays in use (the manifest names it by id).
    expect((await config()).CacheBehaviors!.Items![0]!.CachePolicyId).toBe(hand.cachePolicyId);

    // rollback: back to the hand-made function and origin, as the import recorded them.
    const rollback = await step('rollback', '--yes');
    expect(rollback.code, rollback.stderr).toBe(0);
    const back = await config();
    expect(back.CacheBehaviors!.Items![0]).toMatchObject({ PathPattern: 'x7k2q9fp/*', TargetOriginId: 'fpcdn.io' });
    expect(back.CacheBehaviors!.Items![0]!.LambdaFunctionAssociations!.Items).toEqual([{ EventType: 'origin-request', LambdaFunctionARN: hand.functionArn, IncludeBody: true }]);

    // detach: the integration leaves the distribution as it was before the install; what was made by hand stays, untagged.
    const detach = await step('detach', '--yes', '--json');
    expect(detach.code, detach.stderr).toBe(0);
    const d = JSON.parse(detach.stdout) as { deleted: string[]; waiting: { resource: string }[] };
    expect(d.deleted).toEqual(['role:fp-proxy-edge']);
    expect(d.waiting.map((w) => w.resource)).toEqual(['function:fp-proxy-proxy']);
    expect(await config()).toEqual(original);
    expect(await functionTags(hand.functionName)).toEqual({});
    expect(await secretTags(hand.secretName)).toEqual({});
    expect((await box.sb.cloudfront.send(new GetCachePolicyCommand({ Id: hand.cachePolicyId }))).CachePolicy!.Id).toBe(hand.cachePolicyId);
    expect((await box.sb.iam.send(new GetRoleCommand({ RoleName: hand.roleName }))).Role!.RoleName).toBe(hand.roleName);
    expect((await revisions('fp-proxy')).map((r) => r.kind)).toEqual(['import', 'attach', 'rollback', 'detach']);
    for (const text of [...outputs, allFiles()]) expect(text).not.toContain(SECRET);
  });

  it('a cache policy with other settings is not adopted: listed with its differences; the first attach makes the recipe\'s', async () => {
    const hand = await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET, cachePolicy: { defaultTtl: 86400, maxTtl: 31536000 } });
    const run = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes', '--json');
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as ImportDoc;
    expect(doc.adopt.map((a) => a.kind)).not.toContain('cache-policy');
    expect(doc.unmatched).toEqual([
      { part: `cache policy ${hand.cachePolicyName}`, why: expect.stringMatching(/differs from the recipe's: DefaultTTL 86400 \(the recipe's: 180\); MaxTTL 31536000 \(the recipe's: 180\)\. It is left as it is; the first attach creates fp-proxy-proxy/) },
    ]);
    expect(manifest().behaviors[0].cachePolicy).toBe('proxy');
    expect(manifest().cachePolicies.proxy).toMatchObject({ defaultTtl: 180 });
    expect((await revisions('fp-proxy'))[0]!.cachePolicies).toEqual({});
    expect(run.stderr).toContain(`! cache policy ${hand.cachePolicyName}: it differs from the recipe's`);
  });

  it('values it cannot infer are exit 2 naming --set, with nothing written; given, the import goes ahead', async () => {
    const hand = await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET });
    // A secret that keeps only the pre-shared secret: the agent paths are nowhere to be read.
    await box.sb.secrets.send(new (await import('@aws-sdk/client-secrets-manager')).PutSecretValueCommand({ SecretId: hand.secretName, SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: SECRET }) }));
    const before = (await writes()).length;
    const run = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--set agentDownloadPath=…: not in the secret fingerprint-proxy-settings \(FPJS_AGENT_DOWNLOAD_PATH\)/);
    expect(run.stderr).toMatch(/--set getResultPath=…/);
    expect((await writes()).length).toBe(before);
    expect(existsSync(join(dir, 'edge-install.json'))).toBe(false);

    const given = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes', '--set', 'agentDownloadPath=agent9z', '--set', 'getResultPath=result4q');
    expect(given.code, given.stderr).toBe(0);
    expect(manifest().values).toMatchObject({ agentDownloadPath: 'agent9z', getResultPath: 'result4q' });
    for (const text of [run.stdout, run.stderr, given.stdout, given.stderr, allFiles()]) expect(text).not.toContain(SECRET);
  });

  it('without --yes in a pipe: exit 2, no tag, no manifest, no revision', async () => {
    const hand = await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET });
    const before = (await writes()).length;
    const run = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('import needs approval: review the changes above and pass --yes');
    expect(run.stdout).toContain('> adopt function');
    expect((await writes()).length).toBe(before);
    expect(await functionTags(hand.functionName)).toEqual({});
    expect(existsSync(join(dir, 'edge-install.json'))).toBe(false);
    expect(existsSync(join(dir, '.edge-install'))).toBe(false);
  });

  it('a tag AWS refuses: the tags already added are taken off, nothing is written, exit 1', async () => {
    const hand = await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET });
    await box.sb.admin('POST', 'faults', { service: 'secretsmanager', operation: 'TagResource', error: 'AccessDeniedException', status: 400, message: 'not allowed to tag', times: 10 });
    const run = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/step "tag secret fingerprint-proxy-settings" failed: .*AccessDeniedException/);
    expect(run.stderr).toContain(`undone: untag function ${hand.functionName}`);
    expect(await functionTags(hand.functionName)).toEqual({});
    expect(existsSync(join(dir, 'edge-install.json'))).toBe(false);
    expect(existsSync(join(dir, '.edge-install'))).toBe(false);
  });

  it('--dry-run shows and writes nothing; a second import of the same integration is refused', async () => {
    await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET });
    const before = (await writes()).length;
    const dry = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as ImportDoc).dryRun).toBe(true);
    expect((await writes()).length).toBe(before);
    expect(existsSync(join(dir, 'edge-install.json'))).toBe(false);

    expect((await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes')).code).toBe(0);
    const exists = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes');
    expect(exists.code).toBe(2);
    expect(exists.stderr).toContain('edge-install.json already exists');
    const again = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes', '--force');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force: edge-install.json is the manifest of fp-proxy, which has 1 revision in');
  });

  it('--force never orphans an integration with revisions: exit 2 before any AWS call, saying what to do; it replaces a manifest whose integration has none', async () => {
    await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET });
    expect((await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes')).code).toBe(0);
    const written = readFileSync(join(dir, 'edge-install.json'), 'utf8');
    const callsBefore = (await box.sb.calls()).length;

    // Another install's name, same manifest path: the manifest of fp-proxy (with its history) would be lost from view.
    const other = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--name', 'fp-two', '--yes', '--force');
    expect(other.code, other.stderr).toBe(2);
    expect(other.stderr).toContain('--force: edge-install.json is the manifest of fp-proxy, which has 1 revision in');
    expect(other.stderr).toContain('replacing it would leave that install and its history with no manifest');
    expect(other.stderr).toContain('import into a manifest of its own instead (--config <another file>.json)');
    expect(other.stderr).toContain(`mv edge-install.json edge-install.json.bak, and its state ${stateDir()}/fp-proxy to another place`);
    expect(readFileSync(join(dir, 'edge-install.json'), 'utf8')).toBe(written);
    expect((await box.sb.calls()).slice(callsBefore)).toEqual([]);
    expect((await revisions('fp-proxy')).length).toBe(1);
    // --dry-run says it as well: a dry run predicts the refusal.
    expect((await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--name', 'fp-two', '--dry-run', '--force')).code).toBe(2);

    // A file that does not load as a manifest: which integration it names cannot be told, so it is not replaced either.
    writeFileSync(join(dir, 'broken.json'), '{ "name": ');
    const broken = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--config', 'broken.json', '--yes', '--force');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('--force: broken.json does not load as a manifest');
    expect(readFileSync(join(dir, 'broken.json'), 'utf8')).toBe('{ "name": ');

    // The state put aside on purpose: no revisions, so --force replaces the manifest (what it is for).
    rmSync(join(stateDir(), 'fp-proxy'), { recursive: true, force: true });
    const replaced = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--yes', '--force');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect((await revisions('fp-proxy')).map((r) => r.kind)).toEqual(['import']);
  });
});

describe('import: the bot-defence enforcer installed by hand (HUMAN seed)', () => {
  it('adopts the three functions, the first-party behavior and its cache policy; the missing secret is listed with why', async () => {
    const original = await config();
    const hand = await humanByHand(box.sb, ID);
    const run = await cli('import', '--recipe', 'edge-enforcer', '--distribution', ID, '--yes', '--json');
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as ImportDoc;
    expect(doc.adopt.map((a) => `${a.kind} ${a.address}`)).toEqual([
      'association behaviors.*.viewer-request',
      'function functions.enforcer',
      'association behaviors.*.origin-response',
      'function functions.activities',
      'behavior behaviors./12345678/*',
      'association behaviors./12345678/*.origin-request',
      'function functions.first-party',
      'cache-policy cachePolicies.first-party',
    ]);
    expect(doc.values).toMatchObject({ appId: 'PX12345678', activities: true, firstParty: true, moduleMode: 'monitor' });
    expect(doc.unmatched).toEqual([{ part: 'secret edge-install/edge-enforcer', why: expect.stringContaining('edge-install secret set PX_AUTH_TOKEN') }]);
    expect(doc.left).toEqual([{ part: `role ${hand.roleName}`, reason: expect.stringContaining('stays yours') }]);
    const m = manifest();
    expect(Object.keys(m.functions)).toEqual(['enforcer', 'activities', 'first-party']);
    expect(m.behaviors[1]).toMatchObject({ pathPattern: '/${values.firstPartyPrefix}/*', cachePolicy: hand.cachePolicyId });
    const [revision] = await revisions('edge-enforcer');
    expect(revision!.ownedAfter.associations.map((a) => `${a.pathPattern} ${a.eventType}`)).toEqual(['* viewer-request', '* origin-response', '/12345678/* origin-request']);
    expect(revision!.ownedAfter.behaviors.map((b) => `${b.pathPattern} ${b.created}`)).toEqual(['* false', '/12345678/* true']);

    // detach takes the enforcer off (the hand-made behavior too) and leaves the functions, untagged.
    const detach = await cli('detach', '--yes', '--json');
    expect(detach.code, detach.stderr).toBe(0);
    expect(JSON.parse(detach.stdout).deleted).toEqual([]);
    expect(await config()).toEqual(original);
    for (const name of ['HumanEnforcer', 'HumanActivities', 'HumanFirstParty']) expect(await functionTags(name)).toEqual({});
  });

  it("a secret import refuses under the recipe's own name: exit 2 asking for --secret-name; no tag, no manifest, no revision", async () => {
    await humanByHand(box.sb, ID);
    await box.sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 'x' }), Tags: [{ Key: 'edge-install:integration', Value: 'someone-else' }] }));
    const before = (await writes()).length;
    const run = await cli('import', '--recipe', 'edge-enforcer', '--distribution', ID, '--yes');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toContain('! secret edge-install/edge-enforcer: tagged edge-install:integration=someone-else: it belongs to that integration; it is not adopted and the manifest does not name it');
    expect(run.stderr).toContain("--secret-name <name>: the secret edge-install/edge-enforcer is not adopted (tagged edge-install:integration=someone-else: it belongs to that integration) and the manifest cannot name another (it is the recipe's own name, edge-install/edge-enforcer)");
    expect(run.stdout + run.stderr).not.toContain('--set (secret)');
    expect((await writes()).length).toBe(before);
    expect(existsSync(join(dir, 'edge-install.json'))).toBe(false);
    expect(await revisions('edge-enforcer')).toEqual([]);
  });

  it('a function whose name does not say what it is is not taken: why, and the flag that takes it', async () => {
    await humanByHand(box.sb, ID, { names: { enforcer: 'bot-guard' }, activities: false, firstParty: false });
    const before = (await writes()).length;
    const run = await cli('import', '--recipe', 'edge-enforcer', '--distribution', ID, '--yes', '--json');
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as ImportDoc;
    expect(doc.found).toBe(false);
    expect(doc.unmatched).toEqual([
      { part: 'enforcer (viewer-request on the default behavior)', why: expect.stringMatching(/^the viewer-request trigger on \* is arn:aws:lambda:us-east-1:\d+:function:bot-guard:1: its name does not say .*pass --function enforcer=bot-guard$/) },
    ]);
    expect(run.stderr).toContain('no edge-enforcer install found on E1DEMO0EXAMPLE');
    expect((await writes()).length).toBe(before);

    // Told which it is: imported, with the app id it could not infer given.
    const missing = await cli('import', '--recipe', 'edge-enforcer', '--distribution', ID, '--yes', '--function', 'enforcer=bot-guard');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--set appId=…');
    const told = await cli('import', '--recipe', 'edge-enforcer', '--distribution', ID, '--yes', '--function', 'enforcer=bot-guard', '--set', 'appId=PX99887766');
    expect(told.code, told.stderr).toBe(0);
    expect(manifest().values).toMatchObject({ appId: 'PX99887766', firstParty: false });
    expect(Object.keys(manifest().functions)).toEqual(['enforcer']);
    expect(await functionTags('bot-guard')).toEqual({ 'edge-install:integration': 'edge-enforcer', 'edge-install:adopted': 'true' });
  });
});

describe('import: nothing to import, bad input', () => {
  it('no install on the distribution: exit 1, each expected part said with why, nothing written', async () => {
    const run = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('No first-party-proxy install found on E1DEMO0EXAMPLE');
    expect(run.stderr).toContain("proxy behavior: no behavior other than the default has a Lambda@Edge function on origin-request (the seed's steps 5.2-5.3)");
    expect(await writes()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('half an install (origin and behavior, no trigger yet) is not an install', async () => {
    await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET, until: '5.2' });
    const run = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--json');
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as ImportDoc).found).toBe(false);
  });

  it('bad flags are exit 2 before any AWS call', async () => {
    const cases: [string[], RegExp][] = [
      [['import', '--distribution', ID], /missing --recipe/],
      [['import', '--recipe', 'custom', '--distribution', ID], /a custom install has no shape to match/],
      [['import', '--recipe', 'first-party-proxy'], /missing --distribution/],
      [['import', '--recipe', 'first-party-proxy', '--distribution', ID, '--set', 'colour=red'], /unknown --set key 'colour'/],
      [['import', '--recipe', 'edge-enforcer', '--distribution', ID, '--function', 'proxy=x'], /the edge-enforcer recipe's functions are enforcer, activities, first-party/],
      [['import', '--recipe', 'first-party-proxy', '--distribution', ID, '--set', 'FPJS_PRE_SHARED_SECRET=hunter2'], /secret values never go on the command line/],
      [['import', '--recipe', 'first-party-proxy', '--distribution', 'e1demo'], /not a CloudFront distribution id|distribution ids are upper case/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain('hunter2');
    }
    expect(await box.sb.calls()).toEqual([]);
  });

  it('a manifest already at --config is exit 2 before any AWS call', async () => {
    writeFileSync(join(dir, 'mine.json'), '{}');
    const run = await cli('import', '--recipe', 'first-party-proxy', '--distribution', ID, '--config', 'mine.json');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('mine.json already exists');
    expect(await box.sb.calls()).toEqual([]);
  });
});
