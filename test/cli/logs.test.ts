/**
 * `edge-install logs` against the sandbox's CloudWatch Logs, filled by real traffic on its local
 * CloudFront edge: the first-party proxy recipe attached with a test handler, then requests
 * served in four Regions (X-Sandbox-Edge-Region) — one logs a line, one throws, one returns a
 * result CloudFront refuses. The CLI runs in-process; --follow runs as a long command whose
 * lines the test waits on (events, no clock). Times are the sandbox clock's (sb.advance).
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/program.js';
import { foldLogEvents, newFoldState, parseTimeFlag, type RawLogEvent } from '../../src/plan/logs.js';
import { appendLogEvents } from '../../src/sandbox/logs/groups.js';
import { fpProxyProject, runCli, type Project } from '../helpers/cli.js';
import { stubNoCredentials } from '../helpers/no-credentials.js';
import { startLongCli } from '../helpers/long-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startOrigin, type TestOrigin } from '../sandbox/edge/helpers.js';

const ID = 'E1DEMO0EXAMPLE';
const FUNCTION = 'fp-proxy-proxy';
const GROUP = `/aws/lambda/us-east-1.${FUNCTION}`;
const HANDLER = `
export const handler = async (event: any) => {
  const cf = event.Records[0].cf;
  if (cf.config.eventType === 'origin-response') return cf.response;
  const uri: string = cf.request.uri;
  if (uri.endsWith('/boom')) throw new Error('boom at the edge');
  if (uri.endsWith('/invalid')) return { status: 'not-a-status' };
  if (uri.includes('/hello')) console.log('hello from', uri, 'cf', cf.config.requestId);
  return cf.request;
};
`;

let sb: TestSandbox;
let vendor: TestOrigin;
let project: Project;
/** The sandbox clock just before each request was sent (each 1 s after the one before). */
const at: Record<string, number> = {};
/** X-Amz-Cf-Id of each request. */
const cfId: Record<string, string> = {};

const args = (...more: string[]) => [...more, '--config', project.manifestPath, '--state-dir', project.stateDir, '--endpoint-url', sb.endpoint];
const logs = (...more: string[]) => runCli(args('logs', ...more));
const iso = (ms: number) => new Date(ms).toISOString();

async function send(name: string, region: string): Promise<Response> {
  await sb.advance(1000);
  at[name] = sb.world.now();
  const response = await fetch(`${sb.edgeUrls()[ID]}/fpjs-abc/${name}`, { headers: { 'x-sandbox-edge-region': region } });
  cfId[name] = response.headers.get('x-amz-cf-id')!;
  await response.text();
  return response;
}

/** The calls CloudWatch Logs got so far. */
const logsCalls = async () => (await sb.calls()).filter((c) => c.service === 'logs').length;

/** The columns of a text line: time, region, function:version, level. */
const columns = (line: string) => {
  const [time, region, fn, level] = line.split(/\s+/);
  return { time: time!, region: region!, fn: fn!, level: level! };
};

beforeAll(async () => {
  vendor = await startOrigin();
  sb = await startTestSandbox({ delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0 }, edge: { origins: { 'fpcdn.io': vendor.url } } });
  project = fpProxyProject([ID]);
  writeFileSync(join(project.dir, 'handler.ts'), HANDLER);
  await sb.secrets.send(new CreateSecretCommand({ Name: 'edge-install/fp-proxy', SecretString: JSON.stringify({ FPJS_PRE_SHARED_SECRET: 'logs-secret' }) }));
  const attach = await runCli(args('attach', '--yes'));
  expect(attach.code, attach.stderr).toBe(0);
  expect((await send('hello', 'eu-west-1')).status).toBe(200);
  expect((await send('boom', 'ap-northeast-1')).status).toBe(503);
  expect((await send('ok', 'us-west-2')).status).toBe(200);
  expect((await send('invalid', 'sa-east-1')).status).toBe(502);
  await sb.advance(1000);
  at.end = sb.world.now();
});

afterAll(async () => {
  await sb.close();
  await vendor.close();
  project.remove();
});

describe('logs: one stream from every Region', () => {
  it('merges the Regions in time order, one folded line per invocation, and says where it found logs', async () => {
    const run = await logs('--since', '1h');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const cols = lines.map(columns);
    // Time order, across Regions.
    expect(cols.map((c) => c.time)).toEqual([...cols.map((c) => c.time)].sort());
    expect([...new Set(cols.map((c) => c.region))]).toEqual(['eu-west-1', 'ap-northeast-1', 'us-west-2', 'sa-east-1']);
    expect(cols.every((c) => c.fn === `${FUNCTION}:1`)).toBe(true);
    // START/END/REPORT are folded: no raw START or END, one REPORT line per invocation.
    expect(run.stdout).not.toMatch(/START RequestId|END RequestId|REPORT RequestId/);
    const eu = lines.filter((l) => columns(l).region === 'eu-west-1');
    // origin-request (with the console line), then origin-response, each one invocation.
    expect(eu.map((l) => columns(l).level)).toEqual(['INFO', 'REPORT', 'REPORT']);
    expect(eu[0]).toContain(`hello from /fpjs-abc/hello cf ${cfId.hello}`);
    expect(eu[1]).toMatch(/REPORT\s+[0-9a-f-]{36}  duration [\d.]+ ms · billed \d+ ms · memory \d+\/128 MB · init [\d.]+ ms \(cold start\)$/);
    expect(eu[2]).not.toContain('cold start');
    const tokyo = lines.filter((l) => columns(l).region === 'ap-northeast-1');
    expect(tokyo.map((l) => columns(l).level)).toEqual(['ERROR', 'FAILED']);
    expect(tokyo[0]).toContain('Invoke Error  Error: boom at the edge');
    expect(tokyo[1]).toMatch(/FAILED\s+[0-9a-f-]{36}  failed Error · duration/);
    expect(run.stderr.trim()).toBe('searched 13 regions, found logs in 4 (us-west-2, ap-northeast-1, eu-west-1, sa-east-1)');
  });

  it('--errors: only what failed — the thrown error, and CloudFront’s validation record with its X-Amz-Cf-Id', async () => {
    const run = await logs('--since', '1h', '--errors');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((l) => columns(l).region)).toEqual(['ap-northeast-1', 'sa-east-1']);
    expect(lines[0]).toMatch(/ERROR\s+Invoke Error  Error: boom at the edge/);
    expect(lines[1]).toMatch(new RegExp(`ERROR\\s+LambdaValidationError origin-request: Validation error: .*x-amz-cf-id ${cfId.invalid!.replace(/[-=]/g, '\\$&')}`));
    expect(run.stdout).not.toContain('hello');
    expect(run.stderr).toContain('found logs in 2 (ap-northeast-1, sa-east-1)');
  });

  it('--json: one JSON object per line, with the invocation’s numbers', async () => {
    const run = await logs('--since', '1h', '--json');
    expect(run.code, run.stderr).toBe(0);
    const docs = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(docs.length).toBeGreaterThanOrEqual(7);
    const hello = docs.find((d) => d.type === 'log' && String(d.message).includes('hello from'))!;
    expect(hello).toMatchObject({ region: 'eu-west-1', logGroup: GROUP, function: FUNCTION, functionKey: 'proxy', version: '1', level: 'INFO' });
    expect(hello.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(hello.logStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[1\][0-9a-f]{32}$/);
    const invocation = docs.find((d) => d.type === 'invocation' && d.requestId === hello.requestId)!;
    expect(invocation).toMatchObject({ region: 'eu-west-1', level: 'REPORT', complete: true, coldStart: true, failed: false, memorySizeMb: 128 });
    expect(typeof invocation.durationMs).toBe('number');
    expect(typeof invocation.billedDurationMs).toBe('number');
    expect(typeof invocation.initDurationMs).toBe('number');
    const failed = docs.find((d) => d.type === 'invocation' && d.region === 'ap-northeast-1')!;
    expect(failed).toMatchObject({ failed: true, errorType: 'Error', level: 'FAILED' });
    // Human text goes to stderr only.
    expect(run.stderr).toContain('searched 13 regions');
  });

  it('--request-id with a Lambda request id: that invocation’s lines, and the Region that ran it', async () => {
    const json = await logs('--since', '1h', '--json');
    const hello = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { message: string; requestId: string }).find((d) => d.message.includes('hello from'))!;
    const run = await logs('--request-id', hello.requestId);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((l) => columns(l).level)).toEqual(['INFO', 'REPORT']);
    expect(lines[1]).toContain(hello.requestId);
    expect(run.stderr).toContain(`request ${hello.requestId} ran in eu-west-1 (${FUNCTION}).`);
  });

  it('--request-id with an X-Amz-Cf-Id: the line that names it and its whole invocation; a refused result by CloudFront’s record', async () => {
    const run = await logs('--request-id', cfId.hello!);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split('\n').map((l) => columns(l).level)).toEqual(['INFO', 'REPORT']);
    expect(run.stderr).toContain(`request ${cfId.hello} ran in eu-west-1`);

    const invalid = await logs('--request-id', cfId.invalid!);
    expect(invalid.code, invalid.stderr).toBe(0);
    const lines = invalid.stdout.trimEnd().split('\n');
    expect(lines.map((l) => columns(l).region)).toEqual(['sa-east-1', 'sa-east-1']);
    expect(lines.some((l) => l.includes('LambdaValidationError'))).toBe(true);
    expect(lines.some((l) => columns(l).level === 'REPORT')).toBe(true);
    expect(invalid.stderr).toContain(`request ${cfId.invalid} ran in sa-east-1`);

    // A request whose function logged nothing that names it: said so, with where to look.
    const silent = await logs('--request-id', cfId.ok!);
    expect(silent.code).toBe(0);
    expect(silent.stdout).toBe('');
    expect(silent.stderr).toContain(`request ${cfId.ok}: no line names it in 13 Regions`);
  });

  it('--since and --until bound the window on the clock the events carry', async () => {
    const from = await logs('--since', iso(at.boom!));
    expect([...new Set(from.stdout.trimEnd().split('\n').map((l) => columns(l).region))]).toEqual(['ap-northeast-1', 'us-west-2', 'sa-east-1']);
    const to = await logs('--since', '1h', '--until', iso(at.boom!));
    expect([...new Set(to.stdout.trimEnd().split('\n').map((l) => columns(l).region))]).toEqual(['eu-west-1']);
    expect(to.stderr).toContain('found logs in 1 (eu-west-1)');
    const between = await logs('--since', iso(at.ok!), '--until', iso(at.invalid!));
    expect([...new Set(between.stdout.trimEnd().split('\n').map((l) => columns(l).region))]).toEqual(['us-west-2']);
  });

  it('--regions and --function narrow the search', async () => {
    const run = await logs('--since', '1h', '--regions', 'eu-west-1,us-west-2', '--function', 'proxy');
    expect(run.code, run.stderr).toBe(0);
    expect([...new Set(run.stdout.trimEnd().split('\n').map((l) => columns(l).region))]).toEqual(['eu-west-1', 'us-west-2']);
    expect(run.stderr.trim()).toBe('searched 2 regions, found logs in 2 (eu-west-1, us-west-2)');
    const all = await logs('--since', '1h', '--regions', 'all');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toMatch(/^searched \d{2} regions, found logs in 4/);
  });

  it('--filter is applied by CloudWatch Logs; a pattern it refuses is exit 2 with the rule', async () => {
    const run = await logs('--since', '1h', '--filter', '"hello from"');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split('\n').map((l) => columns(l).level)).toEqual(['INFO']);
    const bad = await logs('--since', '1h', '--filter', 'hello-from');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--filter 'hello-from': CloudWatch Logs refused the pattern (InvalidParameterException: Invalid character(s) in term 'hello-from')");
  });

  it('throttled reads are retried by the SDK: the same lines; past the retries it is an error, never "no logs"', async () => {
    const calm = await logs('--since', '1h');
    const throttledCalls = async () => (await sb.calls()).filter((c) => c.service === 'logs' && c.error === 'ThrottlingException').length;
    const before = await throttledCalls();
    // Two DescribeLogGroups and two FilterLogEvents answered with CloudWatch Logs' throttling error, once each.
    await sb.admin('POST', 'faults', { service: 'logs', operation: 'DescribeLogGroups', error: 'ThrottlingException', status: 400, times: 2 });
    await sb.admin('POST', 'faults', { service: 'logs', operation: 'FilterLogEvents', error: 'ThrottlingException', status: 400, times: 2 });
    try {
      const throttled = await logs('--since', '1h');
      expect(throttled.code, throttled.stderr).toBe(0);
      expect(throttled.stdout).toBe(calm.stdout);
      expect(throttled.stderr).toBe(calm.stderr);
      expect((await throttledCalls()) - before).toBe(4);
    } finally {
      await sb.admin('DELETE', 'faults');
    }
    await sb.admin('POST', 'faults', { service: 'logs', operation: 'FilterLogEvents', error: 'ThrottlingException', status: 400, times: 100 });
    try {
      const failed = await runCli(args('logs', '--since', '1h'), { env: { AWS_MAX_ATTEMPTS: '2' } });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/logs FilterLogEvents \/aws\/lambda\/us-east-1\.fp-proxy-proxy in [a-z0-9-]+: ThrottlingException/);
      expect(failed.stderr).not.toContain('--concurrency');
      expect(failed.stderr).not.toContain('found logs in');
      expect(failed.stdout).toBe('');
    } finally {
      await sb.admin('DELETE', 'faults');
    }
  });

  it('a Region the credentials may not read is skipped and named once at the end; none readable is the error', async () => {
    await sb.admin('POST', 'faults', { service: 'logs', operation: 'DescribeLogGroups', error: 'AccessDeniedException', status: 400, times: 1 });
    try {
      const one = await logs('--since', '1h');
      expect(one.code, one.stderr).toBe(0);
      expect(one.stderr.trim()).toMatch(/^searched 12 of 13 regions, found logs in [34] \([a-z0-9, -]+\); skipped [a-z]{2}-[a-z]+-\d \(AccessDeniedException\)$/);
    } finally {
      await sb.admin('DELETE', 'faults');
    }
    await sb.admin('POST', 'faults', { service: 'logs', operation: 'DescribeLogGroups', error: 'AccessDeniedException', status: 400, times: 100 });
    try {
      const none = await logs('--since', '1h');
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/logs DescribeLogGroups in [a-z0-9-]+: AccessDeniedException/);
      expect(none.stderr).toContain('Fix: allow logs:DescribeLogGroups');
      expect(none.stderr).not.toContain('found logs in');
    } finally {
      await sb.admin('DELETE', 'faults');
    }
  });

  it('--follow prints new lines as they arrive and stops cleanly on SIGTERM (exit 0)', async () => {
    const run = startLongCli(args('logs', '--follow', '--since', '1h'));
    try {
      // The window so far first…
      await run.line((l) => l.includes('hello from /fpjs-abc/hello cf'));
      // …then what arrives while it follows.
      const sent = await send('hello-again', 'eu-west-1');
      expect(sent.status).toBe(200);
      const line = await run.line((l) => l.includes('hello from /fpjs-abc/hello-again'));
      expect(columns(line)).toMatchObject({ region: 'eu-west-1', fn: `${FUNCTION}:1`, level: 'INFO' });
      await run.line((l) => columns(l).level === 'REPORT' && columns(l).time >= iso(at['hello-again']!));
    } finally {
      run.stop();
    }
    expect(await run.exited).toBe(0);
    const { stdout, stderr } = run.output();
    // Each event once, though it was read by several polls.
    expect(stdout.split('\n').filter((l) => l.includes('hello from /fpjs-abc/hello-again'))).toHaveLength(1);
    expect(stderr).toContain('searched 13 regions, found logs in 4');
  });

  it('--since counts back from now: an invocation three hours old is outside 1h, inside 4h', async () => {
    const old = Date.now() - 3 * 3_600_000;
    const requestId = '0f0e0d0c-0b0a-4909-8807-060504030201';
    appendLogEvents(sb.world, {
      region: 'us-east-2',
      group: GROUP,
      stream: '2020/01/01/[1]00112233445566778899aabbccddeeff',
      events: [
        { timestamp: old, message: `START RequestId: ${requestId} Version: 1\n` },
        { timestamp: old, message: `${iso(old)}\t${requestId}\tWARN\tan old warning\n` },
        { timestamp: old, message: `END RequestId: ${requestId}\n` },
        { timestamp: old, message: `REPORT RequestId: ${requestId}\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n` },
      ],
    });
    expect((await logs('--since', '1h')).stdout).not.toContain('an old warning');
    const run = await logs('--since', '4h', '--regions', 'us-east-2');
    expect(run.stdout.trimEnd().split('\n').map((l) => columns(l).level)).toEqual(['WARN', 'REPORT']);
    expect(run.stdout).toContain(`${requestId}  duration 2 ms · billed 2 ms · memory 60/128 MB`);
  });
});

describe('logs: bad input is exit 2 with the fix, before any AWS call', () => {
  it('a malformed --since/--until, --until before --since, an unknown function, Region or request id', async () => {
    const before = await logsCalls();
    const cases: [string[], RegExp][] = [
      [['--since', 'yesterday'], /--since 'yesterday' is neither a duration nor an ISO 8601 date or time\. Fix: --since 90s, 15m/],
      [['--until', '2026-02-30'], /--until '2026-02-30' is neither/],
      [['--since', '1h', '--until', '2h'], /--until 2h \(.*\) is before --since 1h/],
      [['--function', 'proxi'], /--function proxi: .* has no function 'proxi' \(did you mean proxy\?\); its functions are proxy/],
      [['--regions', 'eu-west1'], /--regions: 'eu-west1' is not an AWS region \(did you mean eu-west-1\?\)/],
      [['--regions', 'cn-north-1'], /another AWS partition/],
      [['--request-id', 'not-an-id'], /--request-id 'not-an-id' is neither a CloudFront request id/],
      [['--follow', '--until', '1m'], /--follow prints lines as they arrive/],
    ];
    for (const [flags, message] of cases) {
      const run = await logs(...flags);
      expect(run.code, `${flags.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    expect(await logsCalls()).toBe(before);
  });

  it('--follow --json on a terminal: NDJSON without end is for a pipe', async () => {
    let stderr = '';
    const io: CliIo = {
      stdout: { write: () => true, isTTY: true },
      stderr: { write: (text: string) => (stderr += text), isTTY: true },
      stdin: Object.assign(Readable.from([]), { isTTY: false }),
      env: { ...process.env, NO_COLOR: '1' },
      cwd: process.cwd(),
      signals: new EventEmitter(),
    };
    const before = await logsCalls();
    const code = await main(['node', 'edge-install', ...args('logs', '--follow', '--json')], io);
    expect(code).toBe(2);
    expect(stderr).toContain('--follow --json prints NDJSON without end, and stdout is a terminal. Fix: pipe it');
    expect(await logsCalls()).toBe(before);
  });

  describe('no credentials', () => {
    let stub: ReturnType<typeof stubNoCredentials>;
    afterEach(() => stub.restore());

    it('says how to give some (exit 1, as on every command), and CloudWatch Logs is never called', async () => {
      stub = stubNoCredentials();
      const before = await logsCalls();
      const run = await runCli(args('logs', '--profile', 'logs-nowhere'), { env: stub.files });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('no usable AWS credentials: profile logs-nowhere not found in');
      expect(run.stderr).toContain("Fix: add the profile 'logs-nowhere'");
      expect(await logsCalls()).toBe(before);
    });
  });
});

describe('the fold (pure)', () => {
  const event = (message: string, extra: Partial<RawLogEvent> = {}): RawLogEvent => ({
    region: 'eu-west-1',
    logGroup: GROUP,
    logStream: '2026/06/23/[4]0123456789abcdef0123456789abcdef',
    eventId: String(Math.random()),
    timestamp: 1_000,
    message,
    source: { kind: 'function', key: 'proxy', name: FUNCTION },
    ...extra,
  });
  const id = '11111111-2222-4333-8444-555555555555';

  it('a timeout: the timeout line is an error and the invocation failed, with the version START named', () => {
    const entries = foldLogEvents(
      [
        event(`START RequestId: ${id} Version: 4\n`),
        event(`2026-06-23T14:08:22.417Z ${id} Task timed out after 5.01 seconds\n`, { timestamp: 6_000 }),
        event(`END RequestId: ${id}\n`, { timestamp: 6_000 }),
        event(`REPORT RequestId: ${id}\tDuration: 5010.00 ms\tBilled Duration: 5010 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tStatus: timeout\t\n`, { timestamp: 6_000 }),
      ],
      newFoldState(),
      true,
    );
    expect(entries.map((e) => [e.kind, e.level, e.failed, e.version])).toEqual([
      ['platform', 'ERROR', true, '4'],
      ['invocation', 'REPORT', true, '4'],
    ]);
    expect(entries[1]!.invocation).toMatchObject({ status: 'timeout', durationMs: 5010, complete: true });
  });

  it('a START whose REPORT is in a later batch folds then (--follow); left open at the end, it is a START line', () => {
    const state = newFoldState();
    expect(foldLogEvents([event(`START RequestId: ${id} Version: 4\n`)], state, false)).toEqual([]);
    const later = foldLogEvents([event(`REPORT RequestId: ${id}\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n`, { timestamp: 2_000 })], state, false);
    expect(later.map((e) => [e.level, e.version, e.invocation?.durationMs])).toEqual([['REPORT', '4', 1.5]]);
    const open = foldLogEvents([event(`START RequestId: ${id} Version: 4\n`)], newFoldState(), true);
    expect(open.map((e) => [e.level, e.invocation?.complete])).toEqual([['START', false]]);
  });

  it('--since/--until values: durations before now, ISO dates and times (UTC without a zone)', () => {
    const now = Date.UTC(2026, 5, 23, 12, 0, 0);
    expect(parseTimeFlag('90s', now)).toBe(now - 90_000);
    expect(parseTimeFlag('3d', now)).toBe(now - 3 * 86_400_000);
    expect(parseTimeFlag('2026-06-23', now)).toBe(Date.UTC(2026, 5, 23));
    expect(parseTimeFlag('2026-06-23T14:08', now)).toBe(Date.UTC(2026, 5, 23, 14, 8));
    expect(parseTimeFlag('2026-06-23T14:08:22.417+02:00', now)).toBe(Date.UTC(2026, 5, 23, 12, 8, 22, 417));
    for (const bad of ['15 minutes', '2026-13-01', '2026-02-29', 'yesterday', '1h30m']) expect(parseTimeFlag(bad, now), bad).toBeUndefined();
  });
});
