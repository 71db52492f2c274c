/**
 * The init wizard, driven in a real pseudo-terminal against the sandbox for each recipe:
 * the recipe is chosen by its number (nothing is chosen beforehand: Enter alone asks for one),
 * arrow keys choose the distribution, answers are typed (and validated at
 * the prompt), secret values are typed masked and never appear on the screen; the manifest
 * written must parse and say what was chosen, and the secret must hold what was typed.
 * Ctrl-C at a prompt exits 130 and leaves nothing behind.
 */
import { CreateDistributionCommand, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/parse.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, runCli } from '../helpers/cli.js';
import { hasScript, KEY, runInTerminal, type PtyRun, type PtyStep } from '../helpers/pty.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const FPJS_SECRET = 'fpjs-typed-5e1f0c7d-never-on-screen';
const PX_TOKEN = 'px-token-typed-91b3aa-never-on-screen';
const PX_COOKIE = 'px-cookie-typed-0c44d2-never-on-screen';
const { up, down, enter, backspace, ctrlC } = KEY;

let sb: TestSandbox;
let dir: string;
/** The picker lists these in this order: the demo distribution, then two copies. */
let ids: string[];

beforeAll(async () => {
  sb = await startTestSandbox(INSTANT);
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin('POST', 'reset');
  const demo = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: DEMO_DISTRIBUTION_ID }))).DistributionConfig!;
  ids = [DEMO_DISTRIBUTION_ID];
  for (const n of [1, 2]) {
    const created = await sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: { ...demo, CallerReference: `init-copy-${n}`, Aliases: { Quantity: 0 }, Comment: `copy ${n}` } }));
    ids.push(created.Distribution!.Id!);
  }
  dir = mkdtempSync(join(tmpdir(), 'ei-init-pty-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const wizard = (steps: PtyStep[], ...extra: string[]): Promise<PtyRun> =>
  runInTerminal(['init', '--endpoint-url', sb.endpoint, ...extra], steps, { cwd: dir });

const manifestPath = () => join(dir, 'edge-install.json');
const readManifest = () => JSON.parse(readFileSync(manifestPath(), 'utf8')) as Record<string, unknown>;

async function storedSecret(name: string): Promise<Record<string, string>> {
  const out = await sb.secrets.send(new GetSecretValueCommand({ SecretId: name }));
  return JSON.parse(out.SecretString!) as Record<string, string>;
}

function expectRan(run: PtyRun, code = 0) {
  expect(run.pending, `steps never reached; screen:\n${run.screen}`).toEqual([]);
  expect(run.code, run.screen).toBe(code);
}

function expectNeverShown(run: PtyRun, ...values: string[]) {
  for (const value of values) {
    expect(run.raw).not.toContain(value);
    expect(run.screen).not.toContain(value);
  }
}

describe.skipIf(!hasScript)('init in a terminal', () => {
  it('first-party-proxy: a number picks the recipe, arrows the distribution, a bad path is refused at the prompt, the secret is masked and asked twice', async () => {
    const run = await wizard([
      { wait: 'Recipe', keys: ['3', enter] },
      { wait: 'AWS account 123456789012' },
      { wait: 'Distribution' },
      { wait: ids[2]!, keys: [down, enter] }, // the list has loaded: arrows move on it
      { wait: 'Integration name', keys: [enter] },
      { wait: 'Behavior path', keys: ['bad/path', enter] },
      { wait: 'no slashes', keys: [backspace.repeat(8), 'fpjs-edge', enter] },
      { wait: 'Agent download path', keys: ['agent', enter] },
      { wait: 'Get-result path', keys: ['result', enter] },
      { wait: 'Agent CDN host', keys: [enter] },
      { wait: 'Ingress API host', keys: [enter] },
      { wait: 'Proxy pre-shared secret', keys: [FPJS_SECRET, enter] },
      { wait: 'Repeat FPJS_PRE_SHARED_SECRET', keys: [FPJS_SECRET, enter] },
      { wait: 'Summary' },
      { wait: 'Write edge-install.json and create the secret edge-install/fp-proxy?', keys: [enter] },
      { wait: 'Run plan now', keys: ['n', enter] },
    ]);
    expectRan(run);
    expect(run.screen).toContain('first-party-proxy');
    // Each recipe is shown with its description, naming its vendor.
    expect(run.screen).toContain('Fingerprint Pro first-party proxy');
    expect(run.screen).toContain('HUMAN Security');
    // The vendor issues the paths: none is made up and offered as a default.
    expect(run.screen).toMatch(/Behavior path \(FPJS_BEHAVIOR_PATH, issued by Fingerprint support\) \(letters,\s+digits, _ or -, no slashes\)/);
    expect(run.screen).toMatch(/E1DEMO0EXAMPLE\s+www\.example\.com/); // id, aliases, domain, status, behaviors
    expect(run.screen).toMatch(/\(no aliases\)\s+\S+\.cloudfront\.net\s+Deployed\s+3\s+behaviors/);
    expectNeverShown(run, FPJS_SECRET);

    const raw = readManifest();
    const manifest = parseManifest(raw);
    expect(manifest.recipe).toBe('first-party-proxy');
    expect(manifest.name).toBe('fp-proxy');
    expect(manifest.distributions).toEqual([ids[1]]);
    const values = raw.values as Record<string, string>;
    expect(values.behaviorPath).toBe('fpjs-edge');
    expect(values.agentDownloadPath).toBe('agent');
    expect(values.getResultPath).toBe('result');
    expect(manifest.behaviors[0]!.pathPattern).toBe('fpjs-edge/*');
    expect(readFileSync(manifestPath(), 'utf8')).not.toContain(FPJS_SECRET);
    expect(await storedSecret('edge-install/fp-proxy')).toEqual({
      FPJS_PRE_SHARED_SECRET: FPJS_SECRET,
      FPJS_BEHAVIOR_PATH: 'fpjs-edge',
      FPJS_AGENT_DOWNLOAD_PATH: values.agentDownloadPath,
      FPJS_GET_RESULT_PATH: 'result',
    });
    expect(readdirSync(dir)).toEqual(['edge-install.json']); // no temporary file left
  });

  it('edge-enforcer: search filters distributions, app id validated at the prompt, choice and yes/no prompts, mismatched secret entries asked again', async () => {
    const run = await wizard([
      { wait: 'Recipe', keys: ['2', enter] },
      { wait: 'Distribution' },
      { wait: ids[2]!, keys: [ids[2]!] },
      // Filtered: the typed term, then the only match under the cursor.
      { wait: new RegExp(`[❯>] ${ids[2]}  \\(no aliases\\)`), keys: [enter] },
      { wait: 'Integration name', keys: ['px-edge', enter] },
      { wait: 'Application ID', keys: ['PX12', enter] },
      { wait: 'PX (or px) followed by 6-16 letters or digits', keys: [backspace.repeat(4), 'PX12345678', enter] },
      { wait: 'Module mode', keys: [down, enter] },
      { wait: 'Add the activities function', keys: ['y', enter] },
      { wait: 'Add the first-party function', keys: [enter] },
      { wait: 'Handlers:', keys: [enter] },
      { wait: 'Server token', keys: [PX_TOKEN, enter] },
      { wait: 'Repeat PX_AUTH_TOKEN', keys: ['not-the-same', enter] },
      { wait: 'entries differ' },
      { wait: 'Server token', keys: [PX_TOKEN, enter] },
      { wait: 'Repeat PX_AUTH_TOKEN', keys: [PX_TOKEN, enter] },
      { wait: 'Risk cookie key', keys: [PX_COOKIE, enter] },
      { wait: 'Repeat PX_COOKIE_SECRET', keys: [PX_COOKIE, enter] },
      { wait: 'Write edge-install.json', keys: [enter] },
      { wait: 'Run plan now', keys: ['n', enter] },
    ]);
    expectRan(run);
    expectNeverShown(run, PX_TOKEN, PX_COOKIE, 'not-the-same');

    const raw = readManifest();
    const manifest = parseManifest(raw);
    expect(manifest.recipe).toBe('edge-enforcer');
    expect(manifest.name).toBe('px-edge');
    expect(manifest.distributions).toEqual([ids[2]]);
    // Only what the manifest refers to is a value: activities and the handler source shaped it when it was written.
    expect(raw.values).toEqual({ appId: 'PX12345678', moduleMode: 'active_blocking', firstParty: true, firstPartyPrefix: '12345678' });
    expect(Object.keys(manifest.functions).sort()).toEqual(['activities', 'enforcer', 'first-party']);
    expect(manifest.behaviors.map((b) => b.pathPattern)).toEqual(['*', '/12345678/*']);
    expect(await storedSecret('edge-install/px-edge')).toEqual({ PX_APP_ID: 'PX12345678', PX_AUTH_TOKEN: PX_TOKEN, PX_COOKIE_SECRET: PX_COOKIE });
  });

  it('edge-enforcer with an existing secret: an empty answer keeps the stored value (asked once), a new one is written', async () => {
    await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/edge-enforcer', SecretString: JSON.stringify({ PX_AUTH_TOKEN: 'stored-token', PX_COOKIE_SECRET: 'stored-cookie', OTHER: 'kept' }) }));
    const run = await wizard(
      [
        { wait: 'Integration name', keys: [enter] },
        { wait: 'Application ID', keys: ['PX87654321', enter] },
        { wait: 'Module mode', keys: [enter] },
        { wait: 'Add the activities function', keys: [enter] },
        { wait: 'Add the first-party function', keys: ['n', enter] },
        { wait: 'Handlers:', keys: [enter] },
        { wait: 'exists; leave a value empty to keep the stored one' },
        { wait: /Server token \[PX_AUTH_TOKEN\] \(leave empty to keep the stored value\)/, keys: [enter] },
        { wait: 'Risk cookie key', keys: [PX_COOKIE, enter] },
        { wait: 'Repeat PX_COOKIE_SECRET', keys: [PX_COOKIE, enter] },
        { wait: /keeps [A-Z_, ]*PX_AUTH_TOKEN/ },
        { wait: 'update the secret edge-install/edge-enforcer?', keys: [enter] },
        { wait: 'Run plan now', keys: ['n', enter] },
      ],
      '--recipe',
      'edge-enforcer',
      '--distribution',
      DEMO_DISTRIBUTION_ID,
    );
    expectRan(run);
    expect(run.screen).not.toContain('Repeat PX_AUTH_TOKEN');
    expectNeverShown(run, PX_COOKIE, 'stored-token', 'stored-cookie');
    expect(await storedSecret('edge-install/edge-enforcer')).toEqual({ PX_AUTH_TOKEN: 'stored-token', PX_COOKIE_SECRET: PX_COOKIE, OTHER: 'kept', PX_APP_ID: 'PX87654321' });
    const manifest = parseManifest(readManifest());
    expect(manifest.distributions).toEqual([DEMO_DISTRIBUTION_ID]);
    expect(Object.keys(manifest.functions)).toEqual(['enforcer']);
  });

  it('the recipe is not chosen beforehand: Enter alone asks for a choice, arrows move through the list', async () => {
    const run = await wizard([
      { wait: 'Recipe (1, 2, 3 or ↑↓, then Enter)', keys: [enter] },
      { wait: 'Please input a value', keys: [down, down, up, enter] },
      { wait: 'Distribution', keys: [ctrlC] },
    ]);
    expectRan(run, 130);
    // Down, down, up: the first recipe, chosen by moving, never by default.
    expect(run.screen).toMatch(/Recipe \(1, 2, 3 or ↑↓, then Enter\) custom/);
    expect(run.screen).toMatch(/1\) custom\s+Your own Lambda@Edge handler/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--generate-paths: random paths are drawn and shown as the defaults, Enter takes them', async () => {
    const run = await wizard(
      [
        { wait: 'Integration name', keys: [enter] },
        { wait: /Behavior path \(FPJS_BEHAVIOR_PATH, issued by Fingerprint support\) \([a-z0-9]{10}\)/, keys: [enter] },
        { wait: 'Agent download path', keys: [enter] },
        { wait: 'Get-result path', keys: [enter] },
        { wait: 'Agent CDN host', keys: [ctrlC] },
      ],
      '--recipe',
      'first-party-proxy',
      '--distribution',
      DEMO_DISTRIBUTION_ID,
      '--generate-paths',
    );
    expectRan(run, 130);
    // Accepted as shown: the answer is the default that was drawn.
    expect(run.screen).toMatch(/Get-result path \(FPJS_GET_RESULT_PATH, issued by Fingerprint support; used by\s+JS agent v3\) [a-z0-9]{10}/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('custom: scaffolds a starter handler, and "y" at the end runs plan', async () => {
    const run = await wizard([
      { wait: 'Recipe', keys: ['1', enter] },
      { wait: 'Distribution', keys: [enter] },
      { wait: 'Integration name', keys: [enter] },
      { wait: 'Handler file', keys: [enter] },
      { wait: 'CloudFront event', keys: [down, down, enter] },
      { wait: 'Path pattern', keys: ['/hello/*', enter] },
      { wait: 'Secret keys the handler reads', keys: [enter] },
      { wait: 'starter', keys: [] },
      { wait: 'Write edge-install.json?', keys: [enter] },
      { wait: 'Run plan now', keys: [enter] },
    ]);
    expectRan(run);
    expect(run.screen).toContain('Wrote a starter handler');
    expect(run.screen).toContain(`Distribution ${DEMO_DISTRIBUTION_ID}`); // the plan ran
    expect(run.screen).toContain('/hello/*');
    const manifest = parseManifest(readManifest());
    expect(manifest.recipe).toBe('custom');
    expect(manifest.name).toBe('edge-custom');
    expect(manifest.secret).toBeUndefined();
    expect(manifest.behaviors).toMatchObject([{ pathPattern: '/hello/*', origin: 'default', triggers: { 'origin-request': { function: 'main' } } }]);
    expect(readFileSync(join(dir, 'edge', 'handler.ts'), 'utf8')).toContain('export const handler');
  });

  it('custom with secret keys: names asked, then each value masked and twice; the secret block, the secret and a starter that reads them', async () => {
    const run = await wizard(
      [
        { wait: 'Integration name', keys: ['my-edge', enter] },
        { wait: 'Handler file', keys: [enter] },
        { wait: 'CloudFront event', keys: [enter] },
        { wait: 'Path pattern', keys: [enter] },
        { wait: 'Secret keys the handler reads', keys: ['API_KEY bad-name', enter] },
        { wait: '"bad-name": names such as API_KEY', keys: [backspace.repeat(9), ', SIGNING_KEY', enter] },
        { wait: 'Value of API_KEY [API_KEY]', keys: [FPJS_SECRET, enter] },
        { wait: 'Repeat API_KEY', keys: [FPJS_SECRET, enter] },
        { wait: 'Value of SIGNING_KEY [SIGNING_KEY]', keys: [PX_TOKEN, enter] },
        { wait: 'Repeat SIGNING_KEY', keys: [PX_TOKEN, enter] },
        { wait: 'Write edge-install.json and create the secret edge-install/my-edge?', keys: [enter] },
        { wait: 'Run plan now', keys: ['n', enter] },
      ],
      '--recipe',
      'custom',
      '--distribution',
      DEMO_DISTRIBUTION_ID,
    );
    expectRan(run);
    expectNeverShown(run, FPJS_SECRET, PX_TOKEN);
    const raw = readManifest();
    expect(raw.secret).toEqual({ name: 'edge-install/my-edge', region: 'us-east-1', keys: { API_KEY: { sensitive: true }, SIGNING_KEY: { sensitive: true } } });
    expect(parseManifest(raw).behaviors[0]!.triggers).toMatchObject({ 'viewer-request': { function: 'main' } });
    expect(await storedSecret('edge-install/my-edge')).toEqual({ API_KEY: FPJS_SECRET, SIGNING_KEY: PX_TOKEN });
    const starter = readFileSync(join(dir, 'edge', 'handler.ts'), 'utf8');
    expect(starter).toContain("await secret('API_KEY')");
    expect(starter).toContain("await secret('SIGNING_KEY')");
  });

  it('the picker marks a staging distribution and does not offer it', async () => {
    const demo = (await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: DEMO_DISTRIBUTION_ID }))).DistributionConfig!;
    const staging = (await sb.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: { ...demo, CallerReference: 'staging-copy', Aliases: { Quantity: 0 }, Comment: 'staging', Staging: true, HttpVersion: 'http2' } }))).Distribution!.Id!;
    const run = await wizard([
      { wait: 'Recipe', keys: ['1', enter] },
      { wait: 'Distribution' },
      // Filtered to the staging one: it is listed, marked, and Enter does not choose it.
      { wait: staging, keys: [staging] },
      { wait: '(staging: not a target)', keys: [enter, ctrlC] },
    ]);
    expectRan(run, 130);
    // Enter on it chose nothing: the wizard never moved on to the next question.
    expect(run.screen).not.toContain('Integration name');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('Ctrl-C at the distribution picker exits 130 and writes nothing', async () => {
    const run = await wizard([
      { wait: 'Recipe', keys: ['1', enter] },
      { wait: 'Distribution', keys: [ctrlC] },
    ]);
    expectRan(run, 130);
    expect(run.screen).toContain('interrupted');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('Ctrl-C at the secret prompt, half typed, exits 130: no manifest, no secret, nothing on screen', async () => {
    const run = await wizard(
      [
        { wait: 'Integration name', keys: [enter] },
        { wait: 'Behavior path', keys: ['fpjs', enter] },
        { wait: 'Agent download path', keys: ['agent', enter] },
        { wait: 'Get-result path', keys: ['result', enter] },
        { wait: 'Agent CDN host', keys: [enter] },
        { wait: 'Ingress API host', keys: [enter] },
        { wait: 'Proxy pre-shared secret', keys: [FPJS_SECRET.slice(0, 12), ctrlC] },
      ],
      '--recipe',
      'first-party-proxy',
      '--distribution',
      DEMO_DISTRIBUTION_ID,
    );
    expectRan(run, 130);
    expectNeverShown(run, FPJS_SECRET.slice(0, 12));
    expect(existsSync(manifestPath())).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect((await sb.calls()).filter((c) => c.mutating && c.service !== 'cloudfront')).toEqual([]);
  });

  it("a live integration's secret: init warns where it is live, the question defaults to No, and Enter writes nothing", async () => {
    const live = fpProxyProject([DEMO_DISTRIBUTION_ID]);
    try {
      await sb.secrets.send(
        new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'running-value' }), Tags: [{ Key: 'edge-install:integration', Value: 'fp-proxy' }] }),
      );
      const attached = await runCli(['attach', '--yes', '--config', live.manifestPath, '--state-dir', live.stateDir, '--endpoint-url', sb.endpoint]);
      expect(attached.code, attached.stderr).toBe(0);
      const before = await storedSecret('edge-install/fp-proxy');
      const sets = ['--set', 'behaviorPath=fpjs-other', '--set', 'agentDownloadPath=agent2', '--set', 'getResultPath=result2', '--set', 'agentHost=fpcdn.io', '--set', 'ingressHost=api.fpjs.io'];
      const run = await wizard(
        [
          { wait: 'leave empty to keep the stored value', keys: [FPJS_SECRET, enter] },
          { wait: 'Repeat FPJS_PRE_SHARED_SECRET', keys: [FPJS_SECRET, enter] },
          { wait: `LIVE on ${DEMO_DISTRIBUTION_ID}` },
          { wait: 'is read by live functions' },
          { wait: /Change the secret edge-install\/fp-proxy that live functions read\? \(y\/N\)/, keys: [enter] },
          { wait: 'Nothing was written.' },
        ],
        '--recipe',
        'first-party-proxy',
        '--distribution',
        DEMO_DISTRIBUTION_ID,
        '--name',
        'fp-proxy',
        ...sets,
      );
      expectRan(run);
      expectNeverShown(run, FPJS_SECRET, 'running-value');
      expect(await storedSecret('edge-install/fp-proxy')).toEqual(before);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      live.remove();
    }
  });

  it('Ctrl-C at the final confirmation writes nothing', async () => {
    const run = await wizard(
      [
        { wait: 'Path pattern', keys: [enter] },
        { wait: 'Secret keys', keys: [enter] },
        { wait: 'Write edge-install.json?', keys: [ctrlC] },
      ],
      '--recipe',
      'custom',
      '--distribution',
      DEMO_DISTRIBUTION_ID,
      '--name',
      'edge-custom',
      '--set',
      'handler=./edge/handler.ts',
      '--set',
      'eventType=viewer-request',
    );
    expectRan(run, 130);
    expect(readdirSync(dir)).toEqual([]);
  });
});
