/**
 * `import` at a terminal, in a real pseudo-terminal (util-linux `script`, test/helpers/pty.ts):
 * it shows what it would adopt and asks; "n" (the default) writes nothing — no tag, no
 * manifest, no revision; a value it could not infer is asked for (the recipe's question), then
 * the approval, and "y" imports.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fingerprintByHand } from '../helpers/manual-install.js';
import { hasScript, KEY, runInTerminal } from '../helpers/pty.js';
import { useSandbox } from '../helpers/sandbox.js';

const box = useSandbox();
const ID = DEMO_DISTRIBUTION_ID;
const SECRET = 'fpjs-pre-shared-0c4d7e2a-never-shown';
const SIZE = { columns: 120, rows: 40 };
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ei-import-pty-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const args = () => ['import', '--recipe', 'first-party-proxy', '--distribution', ID, '--endpoint-url', box.sb.endpoint];
const tags = async (name: string) => (await box.sb.lambda.send(new GetFunctionCommand({ FunctionName: name }))).Tags ?? {};

describe.skipIf(!hasScript)('import asks before taking an install over', () => {
  it('"n" writes nothing', async () => {
    const hand = await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET });
    const run = await runInTerminal(args(), [{ wait: 'Take this install over', keys: ['n', KEY.enter] }, { wait: 'Nothing was changed.' }], { cwd: dir, size: SIZE });
    expect(run.pending).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.screen).toContain('> adopt behavior x7k2q9fp/*');
    expect(await tags(hand.functionName)).toEqual({});
    expect(existsSync(join(dir, 'edge-install.json'))).toBe(false);
    expect(existsSync(join(dir, '.edge-install'))).toBe(false);
    expect(run.raw).not.toContain(SECRET);
  });

  it('asks for a value it could not infer, then "y" imports', async () => {
    const hand = await fingerprintByHand(box.sb, ID, { preSharedSecret: SECRET });
    // The secret keeps the result path but not the agent download path.
    await box.sb.secrets.send(new PutSecretValueCommand({ SecretId: hand.secretName, SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: SECRET, FPJS_GET_RESULT_PATH: 'result4q' }) }));
    const run = await runInTerminal(
      args(),
      [
        { wait: 'Agent download path', keys: ['agent9z', KEY.enter] },
        { wait: 'Take this install over', keys: ['y', KEY.enter] },
        { wait: 'recorded revision 000001-E1DEMO0EXAMPLE (import)' },
      ],
      { cwd: dir, size: SIZE },
    );
    expect(run.pending).toEqual([]);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'edge-install.json'), 'utf8')) as { values: Record<string, string> };
    expect(manifest.values).toMatchObject({ behaviorPath: 'x7k2q9fp', agentDownloadPath: 'agent9z', getResultPath: 'result4q' });
    expect(await tags(hand.functionName)).toEqual({ 'edge-install:integration': 'fp-proxy', 'edge-install:adopted': 'true' });
    expect(run.raw).not.toContain(SECRET);
  });
});
