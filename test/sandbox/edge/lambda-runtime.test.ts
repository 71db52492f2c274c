/**
 * The local edge's Lambda runtime: stored function versions run in warm, isolated worker threads
 * with Lambda's semantics (handler loading, callbacks by runtime, errors, timeouts, memory, the
 * network policy, the environment) and Lambda's CloudWatch lines. No sleeps: every wait is on
 * something the test controls (a gate server that answers when told).
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LambdaRuntime, type InvokeOutcome, type NetworkPolicy, type ReapedEnvironment, type RuntimeFunction } from '../../../src/sandbox/edge/lambda-runtime/runtime.js';
import { zipEntries } from '../../../src/sandbox/lambda/zip.js';
import { zipOf } from '../../helpers/zip.js';

// ---- helpers ---------------------------------------------------------------------------------

/** A zip of several files; `deflate` compresses them (method 8), otherwise stored (method 0). */
function zipFiles(files: Record<string, string>, deflate = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const stored = deflate ? deflateRawSync(data) : data;
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, stored);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

let zipReads = 0;
let counter = 0;

/** A function version whose package holds `files` (deflated, as zip tools write them). */
function lambda(files: Record<string, string>, settings: Partial<Omit<RuntimeFunction, 'zip'>> = {}): RuntimeFunction {
  const zip = zipFiles(files, true);
  const name = settings.name ?? `fn-${++counter}`;
  const version = settings.version ?? '1';
  return {
    qualifiedArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}:${version}`,
    name,
    version,
    codeSha256: createHash('sha256').update(zip).digest('base64'),
    zip: () => {
      zipReads++;
      return zip;
    },
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    timeoutSeconds: 5,
    memoryMb: 128,
    ...settings,
  };
}

const cjs = (body: string): Record<string, string> => ({ 'index.js': body });

const runtimes: LambdaRuntime[] = [];
function runtime(options: Partial<ConstructorParameters<typeof LambdaRuntime>[0]> = {}): LambdaRuntime {
  const created = new LambdaRuntime({ network: { origins: {} }, ...options });
  runtimes.push(created);
  return created;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

interface Seen {
  method: string;
  url: string;
  host: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback server that records requests; `hold` keeps answers back until `release`. */
async function server(answer: (seen: Seen) => string = (seen) => JSON.stringify(seen)) {
  const seen: Seen[] = [];
  const held: (() => void)[] = [];
  const arrivals: ((s: Seen) => void)[] = [];
  let holding = false;
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const record = { method: req.method ?? '', url: req.url ?? '', host: req.headers.host, headers: req.headers, body };
      seen.push(record);
      arrivals.shift()?.(record);
      const send = () => {
        res.setHeader('content-type', 'application/json');
        res.end(answer(record));
      };
      if (holding) held.push(send);
      else send();
    });
  });
  servers.push(srv);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      for (const send of held.splice(0)) send();
    },
    /** Resolves when the next request has arrived. */
    nextArrival: () => new Promise<Seen>((resolve) => arrivals.push(resolve)),
  };
}

const invokeOptions = (region = 'us-east-1') => ({ region, requestId: randomUUID() });

function messages(outcome: InvokeOutcome): string[] {
  return outcome.lines.map((line) => line.message);
}

function expectOk(outcome: InvokeOutcome): unknown {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome, null, 2)}`);
  return outcome.value;
}

// ---- zipEntries ------------------------------------------------------------------------------

describe('zipEntries', () => {
  it('reads stored and deflated entries from the central directory', () => {
    const files = { 'index.js': 'exports.handler = 1;\n'.repeat(50), 'lib/util.mjs': 'export const x = 1;' };
    for (const deflate of [false, true]) {
      const entries = zipEntries(zipFiles(files, deflate));
      expect(entries.map((e) => [e.name, e.data.toString()])).toEqual(Object.entries(files));
    }
    expect(zipEntries(zipOf('hello', 'a.txt'))).toEqual([{ name: 'a.txt', data: Buffer.from('hello') }]);
  });

  it('refuses other compression methods, bad CRCs and non-zips with a clear error', () => {
    const zip = zipFiles({ 'a.txt': 'hello' });
    const bzip2 = Buffer.from(zip);
    bzip2.writeUInt16LE(12, 30 + 5 + 5 + 10); // the central header's method field (after local header + name + data)
    expect(() => zipEntries(bzip2)).toThrow(/zip entry a\.txt: compression method 12 is not supported \(only stored and deflate\)/);
    const corrupt = Buffer.from(zip);
    corrupt[30 + 5] = 'j'.charCodeAt(0); // first data byte
    expect(() => zipEntries(corrupt)).toThrow(/zip entry a\.txt: CRC mismatch/);
    expect(() => zipEntries(Buffer.from('definitely not a zip archive'))).toThrow(/not a zip archive/);
  });
});

// ---- handlers, warmth, lines ------------------------------------------------------------------

describe('running handlers', () => {
  it('runs a CommonJS handler with the event and Lambda@Edge context, and logs START/END/REPORT', async () => {
    const fn = lambda(
      cjs(`exports.handler = async (event, context) => ({
        echo: event,
        functionName: context.functionName,
        functionVersion: context.functionVersion,
        invokedFunctionArn: context.invokedFunctionArn,
        memoryLimitInMB: context.memoryLimitInMB,
        awsRequestId: context.awsRequestId,
        logGroupName: context.logGroupName,
        logStreamName: context.logStreamName,
        remaining: context.getRemainingTimeInMillis(),
        callbackWaits: context.callbackWaitsForEmptyEventLoop,
      });`),
      { name: 'edge-auth', version: '7', timeoutSeconds: 5 },
    );
    const rt = runtime();
    const options = invokeOptions('eu-west-1');
    const outcome = await rt.invoke(fn, { Records: [{ cf: { request: { uri: '/x' } } }] }, options);
    const value = expectOk(outcome) as Record<string, unknown>;
    expect(value).toMatchObject({
      echo: { Records: [{ cf: { request: { uri: '/x' } } }] },
      functionName: 'us-east-1.edge-auth',
      functionVersion: '7',
      invokedFunctionArn: fn.qualifiedArn,
      memoryLimitInMB: '128',
      awsRequestId: options.requestId,
      logGroupName: '/aws/lambda/us-east-1.edge-auth',
      logStreamName: outcome.logStream,
    });
    expect(value.remaining).toBeGreaterThan(0);
    expect(value.remaining).toBeLessThanOrEqual(5000);
    // Node 24's context has no callback machinery.
    expect(value.callbackWaits).toBeUndefined();
    expect(outcome.logStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[7\][0-9a-f]{32}$/);

    const lines = messages(outcome);
    expect(lines[0]).toBe(`START RequestId: ${options.requestId} Version: 7\n`);
    expect(lines.at(-2)).toBe(`END RequestId: ${options.requestId}\n`);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^REPORT RequestId: ${options.requestId}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d{2} ms\\t\\n$`,
      ),
    );
    expect(outcome.initDurationMs).toBeGreaterThan(0);
  });

  it('loads ES modules: index.mjs, and index.js under "type": "module"', async () => {
    const rt = runtime();
    const mjs = lambda({ 'index.mjs': `export const handler = async (event) => ({ kind: 'mjs', n: event.n + 1 });` });
    expect(expectOk(await rt.invoke(mjs, { n: 1 }, invokeOptions()))).toEqual({ kind: 'mjs', n: 2 });
    const typeModule = lambda({
      'package.json': JSON.stringify({ type: 'module' }),
      'index.js': `import { helper } from './lib/helper.js'; export async function handler() { return helper(); }`,
      'lib/helper.js': `export const helper = () => ({ kind: 'esm-js', meta: typeof import.meta.url });`,
    });
    expect(expectOk(await rt.invoke(typeModule, {}, invokeOptions()))).toEqual({ kind: 'esm-js', meta: 'string' });
  });

  it('keeps a worker warm: module state persists, only the first invocation has Init Duration, the zip is read once', async () => {
    const fn = lambda(cjs(`let count = 0; console.log('init'); exports.handler = async () => ({ count: ++count });`));
    const rt = runtime();
    const before = zipReads;
    const first = await rt.invoke(fn, {}, invokeOptions());
    const second = await rt.invoke(fn, {}, invokeOptions());
    const third = await rt.invoke(fn, {}, invokeOptions());
    expect([first, second, third].map(expectOk)).toEqual([{ count: 1 }, { count: 2 }, { count: 3 }]);
    expect(second.logStream).toBe(first.logStream);
    expect(third.logStream).toBe(first.logStream);
    expect(zipReads - before).toBe(1);

    expect(first.initDurationMs).toBeGreaterThan(0);
    expect(messages(first).at(-1)).toContain('\tInit Duration: ');
    // The init phase's output precedes START; Node 24 logs "-" as the request id outside an invocation.
    expect(messages(first)[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t-\tINFO\tinit\n$/);
    expect(messages(first)[1]).toMatch(/^START RequestId: /);
    for (const warm of [second, third]) {
      expect(warm.initDurationMs).toBeUndefined();
      expect(messages(warm).at(-1)).not.toContain('Init Duration');
      expect(messages(warm).some((m) => m.includes('\tinit\n'))).toBe(false);
    }
  });

  it('writes console output in the Node runtime text format, one event per call', async () => {
    const fn = lambda(
      cjs(`exports.handler = async () => {
        console.log('hello %s, %d items', 'world', 3);
        console.info({ a: 1 });
        console.warn('careful');
        console.error('bad', new Error('oops').message);
        console.debug('dbg');
        console.trace('trc');
        console.log('two\\nlines');
        process.stdout.write('raw stdout\\n');
        return null;
      };`),
    );
    const rt = runtime();
    const options = invokeOptions();
    const outcome = await rt.invoke(fn, {}, options);
    expect(expectOk(outcome)).toBeNull();
    const body = messages(outcome).slice(1, -2);
    const prefix = (level: string) => new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${options.requestId}\\t${level}\\t`);
    const expected: [string, string][] = [
      ['INFO', 'hello world, 3 items\n'],
      ['INFO', '{ a: 1 }\n'],
      ['WARN', 'careful\n'],
      ['ERROR', 'bad oops\n'],
      ['DEBUG', 'dbg\n'],
      ['TRACE', 'trc\n'],
      ['INFO', 'two\nlines\n'],
    ];
    expected.forEach(([level, text], i) => {
      expect(body[i]).toMatch(prefix(level));
      expect(body[i]!.replace(prefix(level), '')).toBe(text);
    });
    expect(body[7]).toBe('raw stdout\n');
    expect(body).toHaveLength(8);
    // Timestamps of the lines are the ones written in them.
    const logged = outcome.lines[1]!;
    expect(new Date(logged.timestamp).toISOString()).toBe(logged.message.split('\t')[0]);
  });

  it('timestamps and names streams with the given clock', async () => {
    const fixed = Date.UTC(2030, 0, 2, 12, 0, 0);
    const rt = runtime({ now: () => fixed });
    const outcome = await rt.invoke(lambda(cjs(`exports.handler = async () => { console.log('x'); return 1; };`)), {}, invokeOptions());
    expect(outcome.logStream).toMatch(/^2030\/01\/02\/\[1\][0-9a-f]{32}$/);
    expect(outcome.lines[0]!.timestamp).toBe(fixed);
    expect(messages(outcome)[1]).toMatch(/^2030-01-02T12:00:/);
  });

  it('separates pools by region (a replica per region) and sets AWS_REGION accordingly', async () => {
    const fn = lambda(cjs(`let n = 0; exports.handler = async () => ({ region: process.env.AWS_REGION, n: ++n });`));
    const rt = runtime();
    const a = await rt.invoke(fn, {}, invokeOptions('eu-west-1'));
    const b = await rt.invoke(fn, {}, invokeOptions('ap-northeast-1'));
    const c = await rt.invoke(fn, {}, invokeOptions('eu-west-1'));
    expect([a, b, c].map(expectOk)).toEqual([
      { region: 'eu-west-1', n: 1 },
      { region: 'ap-northeast-1', n: 1 },
      { region: 'eu-west-1', n: 2 },
    ]);
    expect(b.logStream).not.toBe(a.logStream);
    expect(c.logStream).toBe(a.logStream);
  });

  it('gives the function only Lambda\'s environment, never the host\'s', async () => {
    process.env.EDGE_INSTALL_HOST_MARKER = 'host-secret';
    try {
      const fn = lambda(cjs(`exports.handler = async () => ({ ...process.env });`), { name: 'env-check', version: '3', memoryMb: 256 });
      const env = expectOk(await runtime().invoke(fn, {}, invokeOptions('us-west-2'))) as Record<string, string>;
      expect(env.EDGE_INSTALL_HOST_MARKER).toBeUndefined();
      expect(env.AWS_ENDPOINT_URL).toBeUndefined();
      expect(env.HOME).toBeUndefined();
      expect(env).toMatchObject({
        AWS_REGION: 'us-west-2',
        AWS_DEFAULT_REGION: 'us-west-2',
        AWS_LAMBDA_FUNCTION_NAME: 'us-east-1.env-check',
        AWS_LAMBDA_FUNCTION_VERSION: '3',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/us-east-1.env-check',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        _HANDLER: 'index.handler',
        TZ: ':UTC',
      });
      expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[3\][0-9a-f]{32}$/);
      expect(env.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
      expect(env.AWS_SECRET_ACCESS_KEY).toBeTruthy();
      expect(env.AWS_SESSION_TOKEN).toBeTruthy();
      expect(env.LAMBDA_TASK_ROOT).toBeTruthy();
    } finally {
      delete process.env.EDGE_INSTALL_HOST_MARKER;
    }
  });
});

// ---- errors ---------------------------------------------------------------------------------

describe('errors', () => {
  it('reports a thrown error as Lambda does ("Invoke Error" line), and the worker stays warm', async () => {
    const fn = lambda(
      cjs(`let n = 0; exports.handler = async (event) => {
        n++;
        if (event.fail) { const e = new TypeError('boom'); e.detail = 'extra'; throw e; }
        return { n };
      };`),
    );
    const rt = runtime();
    const options = invokeOptions();
    const failed = await rt.invoke(fn, { fail: true }, options);
    expect(failed).toMatchObject({ kind: 'error', errorType: 'TypeError', errorMessage: 'boom' });
    const errorLine = messages(failed).find((m) => m.includes('\tERROR\tInvoke Error '))!;
    expect(errorLine).toMatch(new RegExp(`^\\S+Z\\t${options.requestId}\\tERROR\\tInvoke Error \\t\\{`));
    const json = JSON.parse(errorLine.slice(errorLine.indexOf('\t{') + 1)) as Record<string, unknown>;
    expect(json).toMatchObject({ errorType: 'TypeError', errorMessage: 'boom', detail: 'extra' });
    expect((json.stack as string[])[0]).toBe('TypeError: boom');
    expect(messages(failed).at(-1)).not.toContain('Status:');

    const next = await rt.invoke(fn, {}, invokeOptions());
    expect(expectOk(next)).toEqual({ n: 2 });
    expect(next.logStream).toBe(failed.logStream);
  });

  it('reports a rejected promise, and a thrown non-Error by its type', async () => {
    const rt = runtime();
    const rejecting = await rt.invoke(lambda(cjs(`exports.handler = () => Promise.reject(new RangeError('nope'));`)), {}, invokeOptions());
    expect(rejecting).toMatchObject({ kind: 'error', errorType: 'RangeError', errorMessage: 'nope' });
    const thrownString = await rt.invoke(lambda(cjs(`exports.handler = async () => { throw 'plain'; };`)), {}, invokeOptions());
    expect(thrownString).toMatchObject({ kind: 'error', errorType: 'string', errorMessage: 'plain' });
  });

  it('rejects an event that cannot cross to the worker, and the worker stays usable', async () => {
    const fn = lambda(cjs(`let n = 0; exports.handler = async () => ++n;`));
    const rt = runtime();
    const first = await rt.invoke(fn, {}, invokeOptions());
    await expect(rt.invoke(fn, { notData: () => 1 }, invokeOptions())).rejects.toThrow(/could not be cloned/);
    const next = await rt.invoke(fn, {}, invokeOptions());
    expect(expectOk(next)).toBe(2);
    expect(next.logStream).toBe(first.logStream);
  });

  it('fails a result that cannot be serialised to JSON', async () => {
    const outcome = await runtime().invoke(lambda(cjs(`exports.handler = async () => { const a = {}; a.self = a; return a; };`)), {}, invokeOptions());
    expect(outcome).toMatchObject({ kind: 'error', errorType: 'Runtime.JSONStringifyError', errorMessage: 'Unable to stringify response body' });
  });

  it('reports a missing module and a missing export with the runtime\'s errors', async () => {
    const rt = runtime();
    const missingFile = await rt.invoke(lambda({ 'other.js': 'exports.handler = async () => 1;' }), {}, invokeOptions());
    expect(missingFile).toMatchObject({ kind: 'error', errorType: 'Runtime.ImportModuleError' });
    expect((missingFile as { errorMessage: string }).errorMessage).toBe("Error: Cannot find module 'index'\nRequire stack:\n- /var/runtime/index.mjs");
    expect(messages(missingFile)[0]).toMatch(/\t-\tERROR\tInit Error \t\{"errorType":"Runtime.ImportModuleError"/);
    expect(messages(missingFile)[1]).toMatch(/^INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError\n$/);
    expect(messages(missingFile).at(-1)).toContain('\tStatus: error\tError Type: Runtime.ImportModuleError');

    const missingExport = await rt.invoke(lambda(cjs('exports.other = async () => 1;')), {}, invokeOptions());
    expect(missingExport).toMatchObject({ kind: 'error', errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });

    const syntax = await rt.invoke(lambda(cjs('exports.handler = async () => {')), {}, invokeOptions());
    expect(syntax).toMatchObject({ kind: 'error', errorType: 'Runtime.UserCodeSyntaxError' });
  });

  it('survives process.exit, process.kill, an unhandled rejection and an uncaught exception in the function', async () => {
    const fn = lambda(
      cjs(`exports.handler = async (event) => {
        if (event.do === 'exit') process.exit(3);
        if (event.do === 'kill') process.kill(process.pid, 'SIGKILL');
        if (event.do === 'reject') { Promise.reject(new Error('floating')); return new Promise(() => {}); }
        if (event.do === 'throw') { setImmediate(() => { throw new Error('async boom'); }); return new Promise(() => {}); }
        return 'fine';
      };`),
    );
    const rt = runtime();
    const exited = await rt.invoke(fn, { do: 'exit' }, invokeOptions());
    expect(exited).toMatchObject({ kind: 'error', errorType: 'Runtime.ExitError' });
    expect((exited as { errorMessage: string }).errorMessage).toMatch(/Error: Runtime exited with error: exit status 3$/);
    expect(expectOk(await rt.invoke(fn, {}, invokeOptions()))).toBe('fine');
    // Signalling "its own" process ends the environment, not the host that shares the OS process.
    const killed = await rt.invoke(fn, { do: 'kill' }, invokeOptions());
    expect(killed).toMatchObject({ kind: 'error', errorType: 'Runtime.ExitError' });
    expect((killed as { errorMessage: string }).errorMessage).toMatch(/exit status 137$/);
    expect(expectOk(await rt.invoke(fn, {}, invokeOptions()))).toBe('fine');

    const rejected = await rt.invoke(fn, { do: 'reject' }, invokeOptions());
    expect(rejected).toMatchObject({ kind: 'error', errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: floating' });
    expect(messages(rejected).some((m) => m.includes('\tERROR\tUnhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection"'))).toBe(true);
    const afterReject = await rt.invoke(fn, {}, invokeOptions());
    expect(expectOk(afterReject)).toBe('fine');
    expect(afterReject.initDurationMs).toBeGreaterThan(0); // a fresh environment

    const thrown = await rt.invoke(fn, { do: 'throw' }, invokeOptions());
    expect(thrown).toMatchObject({ kind: 'error', errorType: 'Error', errorMessage: 'async boom' });
    expect(messages(thrown).some((m) => m.includes('\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"async boom"'))).toBe(true);
    expect(expectOk(await rt.invoke(fn, {}, invokeOptions()))).toBe('fine');
  });

  it('times out a handler that never resolves, writes the timeout line, and starts cold next time', async () => {
    const fn = lambda(cjs(`exports.handler = async (event) => event.hang ? new Promise(() => {}) : 'done';`), { timeoutSeconds: 1 });
    const rt = runtime();
    const options = invokeOptions();
    const timedOut = await rt.invoke(fn, { hang: true }, options);
    expect(timedOut.kind).toBe('timeout');
    const lines = messages(timedOut);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\S+Z ${options.requestId} Task timed out after \\d+\\.\\d\\d seconds\\n$`)));
    expect(lines.at(-2)).toBe(`END RequestId: ${options.requestId}\n`);
    expect(lines.at(-1)).toMatch(/\tStatus: timeout\t\n$/);

    const next = await rt.invoke(fn, {}, invokeOptions());
    expect(expectOk(next)).toBe('done');
    expect(next.initDurationMs).toBeGreaterThan(0);
    expect(next.logStream).not.toBe(timedOut.logStream);
  });

  it('ends a function that exceeds its memory as out-of-memory, and starts cold next time', async () => {
    const fn = lambda(
      cjs(`exports.handler = async (event) => {
        if (!event.hog) return 'ok';
        const hoard = [];
        for (;;) hoard.push(new Array(1000000).fill(Math.random()));
      };`),
      { memoryMb: 128, timeoutSeconds: 30 },
    );
    const rt = runtime();
    const oom = await rt.invoke(fn, { hog: true }, invokeOptions());
    expect(oom.kind).toBe('out-of-memory');
    expect(messages(oom).at(-1)).toMatch(/\tMax Memory Used: 128 MB\t(Init Duration: \d+\.\d\d ms\t)?Status: error\tError Type: Runtime.OutOfMemory\t\n$/);
    expect(messages(oom)).toContainEqual(expect.stringMatching(/Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory\n$/));
    const next = await rt.invoke(fn, {}, invokeOptions());
    expect(expectOk(next)).toBe('ok');
    expect(next.initDurationMs).toBeGreaterThan(0);
  });
});

// ---- handler styles by runtime ---------------------------------------------------------------

describe('handler styles', () => {
  const callbackHandler = cjs(`exports.handler = (event, context, callback) => {
    setImmediate(() => callback(null, { via: 'callback', waits: context.callbackWaitsForEmptyEventLoop }));
  };`);

  it('supports callback handlers before Node 24', async () => {
    const outcome = await runtime().invoke(lambda(callbackHandler, { runtime: 'nodejs22.x' }), {}, invokeOptions());
    expect(expectOk(outcome)).toEqual({ via: 'callback', waits: true });
  });

  it('fails callback handlers on nodejs24.x as Lambda\'s Node 24 runtime does', async () => {
    const outcome = await runtime().invoke(lambda(callbackHandler, { runtime: 'nodejs24.x' }), {}, invokeOptions());
    expect(outcome).toMatchObject({ kind: 'error', errorType: 'Runtime.CallbackHandlerDeprecated' });
    expect((outcome as { errorMessage: string }).errorMessage).toMatch(
      /^ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node\.js 24\./,
    );
  });

  it('answers null for a synchronous handler that never calls back before Node 24, the value itself on Node 24', async () => {
    const files = cjs(`exports.handler = (event) => ({ status: '200' });`);
    const rt = runtime();
    expect(expectOk(await rt.invoke(lambda(files, { runtime: 'nodejs22.x' }), {}, invokeOptions()))).toBeNull();
    expect(expectOk(await rt.invoke(lambda(files, { runtime: 'nodejs24.x' }), {}, invokeOptions()))).toEqual({ status: '200' });
  });
});

// ---- network policy --------------------------------------------------------------------------

describe('network policy', () => {
  const fetchAndReport = cjs(`exports.handler = async (event) => {
    try {
      const res = await fetch(event.url, event.init);
      return { status: res.status, body: await res.json() };
    } catch (e) {
      return { failed: e.message, cause: e.cause && e.cause.message, code: e.cause && e.cause.code };
    }
  };`);

  it('refuses the internet with a clear message', async () => {
    const outcome = await runtime().invoke(lambda(fetchAndReport), { url: 'https://example.com/' }, invokeOptions());
    expect(expectOk(outcome)).toEqual({
      failed: 'fetch failed',
      cause: 'connect ECONNREFUSED example.com:443 — the sandbox edge lets functions reach AWS (the sandbox) and the origin map only; add --origin example.com=<url>',
      code: 'ECONNREFUSED',
    });
  });

  it('refuses unmapped loopback services too, without reaching them', async () => {
    const local = await server();
    const outcome = await runtime().invoke(lambda(fetchAndReport), { url: `${local.url}/private` }, invokeOptions());
    expect(expectOk(outcome)).toMatchObject({ failed: 'fetch failed', code: 'ECONNREFUSED' });
    expect(local.seen).toHaveLength(0);
  });

  it('sends an origin-map host to its local URL with the original Host header (fetch, http.get, https.request)', async () => {
    const origin = await server();
    const rt = runtime({ network: { origins: { 'fpcdn.io': `${origin.url}/base` } } });
    const viaFetch = await rt.invoke(lambda(fetchAndReport), { url: 'https://fpcdn.io/agent/v3?x=1' }, invokeOptions());
    expect(expectOk(viaFetch)).toMatchObject({ status: 200, body: { method: 'GET', url: '/base/agent/v3?x=1', host: 'fpcdn.io' } });

    const viaHttp = lambda({
      'index.mjs': `import http from 'node:http'; import { request } from 'node:https';
        const read = (res) => new Promise((resolve) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve(JSON.parse(b))); });
        export const handler = async () => {
          const a = await new Promise((resolve, reject) => http.get('http://fpcdn.io:8080/plain', (res) => read(res).then(resolve)).on('error', reject));
          const b = await new Promise((resolve, reject) => {
            const req = request({ hostname: 'fpcdn.io', path: '/tls?y=2', method: 'POST', headers: { 'content-type': 'text/plain' } }, (res) => read(res).then(resolve));
            req.on('error', reject);
            req.end('payload');
          });
          return { a, b };
        };`,
    });
    const value = expectOk(await rt.invoke(viaHttp, {}, invokeOptions())) as { a: Seen; b: Seen };
    expect(value.a).toMatchObject({ method: 'GET', url: '/base/plain', host: 'fpcdn.io:8080' });
    expect(value.b).toMatchObject({ method: 'POST', url: '/base/tls?y=2', host: 'fpcdn.io', body: 'payload' });
  });

  it('sends AWS hosts to the sandbox endpoint, keeping Host (https becomes the endpoint\'s http)', async () => {
    const sandbox = await server();
    const rt = runtime({ network: { awsEndpoint: sandbox.url, origins: {} } });
    const viaFetch = await rt.invoke(
      lambda(fetchAndReport),
      {
        url: 'https://secretsmanager.us-east-1.amazonaws.com/',
        init: { method: 'POST', headers: { 'x-amz-target': 'secretsmanager.GetSecretValue', 'content-type': 'application/x-amz-json-1.1' }, body: '{"SecretId":"s"}' },
      },
      invokeOptions(),
    );
    expect(expectOk(viaFetch)).toMatchObject({
      status: 200,
      body: { method: 'POST', url: '/', host: 'secretsmanager.us-east-1.amazonaws.com', body: '{"SecretId":"s"}' },
    });
    expect(sandbox.seen[0]!.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');

    // The way the AWS SDK calls it: https.request with its own https.Agent and a signed host header.
    const sdkStyle = lambda(
      cjs(`const https = require('https');
      exports.handler = async () => new Promise((resolve, reject) => {
        const req = https.request({ protocol: 'https:', hostname: 'lambda.us-east-1.amazonaws.com', port: 443, path: '/2015-03-31/functions?x=1', method: 'GET',
          headers: { host: 'lambda.us-east-1.amazonaws.com', authorization: 'AWS4-HMAC-SHA256 Credential=ASIA/20300102/us-east-1/lambda/aws4_request' },
          agent: new https.Agent({ keepAlive: true }) }, (res) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve(JSON.parse(b))); });
        req.on('error', reject);
        req.end();
      });`),
    );
    expect(expectOk(await rt.invoke(sdkStyle, {}, invokeOptions()))).toMatchObject({
      method: 'GET',
      url: '/2015-03-31/functions?x=1',
      host: 'lambda.us-east-1.amazonaws.com',
    });
  });

  it('lets the AWS SDK call the sandbox endpoint with its signed Host (bundled as CommonJS, as edge-install deploys, and as ESM)', async () => {
    const { build } = await import('esbuild');
    const sandbox = await server((seen) => JSON.stringify({ Name: JSON.parse(seen.body).SecretId, SecretString: 'from-the-sandbox' }));
    const rt = runtime({ network: { awsEndpoint: sandbox.url, origins: {} } });
    // CommonJS requires 'node:https' after the policy is installed; ESM imports `request` by name
    // from the builtin, which only sees the patch through syncBuiltinESMExports.
    for (const format of ['cjs', 'esm'] as const) {
      const bundle = await build({
        stdin: {
          contents: `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
            const client = new SecretsManagerClient({ maxAttempts: 1 });
            export const handler = async () => (await client.send(new GetSecretValueCommand({ SecretId: 'edge/key' }))).SecretString;`,
          resolveDir: process.cwd(),
          loader: 'js',
        },
        bundle: true,
        platform: 'node',
        format,
        mainFields: format === 'esm' ? ['module', 'main'] : ['main', 'module'],
        target: 'node20',
        write: false,
        logLevel: 'silent',
      });
      const fn = lambda({ [format === 'esm' ? 'index.mjs' : 'index.js']: bundle.outputFiles[0]!.text });
      expect(expectOk(await rt.invoke(fn, {}, invokeOptions('eu-central-1')))).toBe('from-the-sandbox');
      const call = sandbox.seen.at(-1)!;
      expect(call).toMatchObject({ method: 'POST', url: '/', host: 'secretsmanager.eu-central-1.amazonaws.com' });
      expect(call.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
      expect(call.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIA\w+\/\d{8}\/eu-central-1\/secretsmanager\/aws4_request, SignedHeaders=[^,]*host/);
    }
    expect(sandbox.seen).toHaveLength(2);
  });

  it('refuses AWS hosts when there is no AWS endpoint, and raw sockets to unmapped hosts', async () => {
    const fn = lambda(
      cjs(`const net = require('net');
      exports.handler = async () => {
        let aws;
        try { await fetch('https://sts.amazonaws.com/'); } catch (e) { aws = e.cause.message; }
        const raw = await new Promise((resolve) => net.connect(5432, 'db.internal').on('error', (e) => resolve(e.code + ' ' + e.message)).on('connect', () => resolve('connected')));
        return { aws, raw };
      };`),
    );
    expect(expectOk(await runtime().invoke(fn, {}, invokeOptions()))).toEqual({
      aws: 'connect ECONNREFUSED sts.amazonaws.com:443 — the sandbox edge has no AWS endpoint, so AWS hosts are unreachable',
      raw: 'ECONNREFUSED connect ECONNREFUSED db.internal:5432 — the sandbox edge lets functions reach AWS (the sandbox) and the origin map only; add --origin db.internal=<url>',
    });
  });

  it('applies a new policy to warm workers', async () => {
    const origin = await server();
    const rt = runtime();
    const fn = lambda(fetchAndReport);
    const before = await rt.invoke(fn, { url: 'http://api.example.com/v1' }, invokeOptions());
    expect(expectOk(before)).toMatchObject({ code: 'ECONNREFUSED' });
    rt.setNetwork({ origins: { 'api.example.com': origin.url } } satisfies NetworkPolicy);
    const after = await rt.invoke(fn, { url: 'http://api.example.com/v1' }, invokeOptions());
    expect(after.logStream).toBe(before.logStream); // the same warm worker
    expect(expectOk(after)).toMatchObject({ status: 200, body: { url: '/v1', host: 'api.example.com' } });
  });
});

// ---- concurrency -----------------------------------------------------------------------------

describe('concurrency', () => {
  const waitOnGate = cjs(`exports.handler = async (event) => (await fetch('http://gate.test/' + event.id)).json();`);

  it('throttles beyond the concurrency limit, nothing logged', async () => {
    const gate = await server();
    gate.hold();
    const rt = runtime({ concurrencyLimit: 1, network: { origins: { 'gate.test': gate.url } } });
    const fn = lambda(waitOnGate);
    const arrived = gate.nextArrival();
    const first = rt.invoke(fn, { id: 'first' }, invokeOptions());
    await arrived; // the first invocation is running, waiting on the gate
    const second = await rt.invoke(fn, { id: 'second' }, invokeOptions());
    expect(second).toEqual({ kind: 'throttled', logStream: '', lines: [], durationMs: 0 });
    gate.release();
    expect(expectOk(await first)).toMatchObject({ url: '/first' });
    // Capacity is back once the first is done.
    expect(expectOk(await rt.invoke(fn, { id: 'third' }, invokeOptions()))).toMatchObject({ url: '/third' });
  });

  it('queues beyond maxWorkersPerFunction and runs one invocation at a time per worker', async () => {
    const gate = await server();
    gate.hold();
    const rt = runtime({ maxWorkersPerFunction: 1, network: { origins: { 'gate.test': gate.url } } });
    const fn = lambda(waitOnGate);
    const arrived = gate.nextArrival();
    const first = rt.invoke(fn, { id: 'a' }, invokeOptions());
    await arrived;
    const second = rt.invoke(fn, { id: 'b' }, invokeOptions());
    const nextArrival = gate.nextArrival();
    gate.release();
    await nextArrival; // b reaches the gate only after a finished: one worker, one at a time
    const [a, b] = await Promise.all([first, second]);
    expect(gate.seen.map((s) => s.url)).toEqual(['/a', '/b']);
    expect(b.logStream).toBe(a.logStream);
    expect(a.initDurationMs).toBeGreaterThan(0);
    expect(b.initDurationMs).toBeUndefined();
  });

  it('grows the pool up to maxWorkersPerFunction for concurrent invocations', async () => {
    const gate = await server();
    gate.hold();
    const rt = runtime({ maxWorkersPerFunction: 2, network: { origins: { 'gate.test': gate.url } } });
    const fn = lambda(waitOnGate);
    const bothArrived = Promise.all([gate.nextArrival(), gate.nextArrival()]);
    const pending = Promise.all([rt.invoke(fn, { id: '1' }, invokeOptions()), rt.invoke(fn, { id: '2' }, invokeOptions())]);
    await bothArrived; // both run at once
    gate.release();
    const [one, two] = await pending;
    expect(one.logStream).not.toBe(two.logStream);
  });

  it('close() ends running and waiting invocations as runtime exits, and refuses new ones', async () => {
    const gate = await server();
    gate.hold();
    const rt = runtime({ maxWorkersPerFunction: 1, network: { origins: { 'gate.test': gate.url } } });
    const fn = lambda(waitOnGate);
    const arrived = gate.nextArrival();
    const running = rt.invoke(fn, { id: 'a' }, invokeOptions());
    await arrived;
    const waiting = rt.invoke(fn, { id: 'b' }, invokeOptions());
    await rt.close();
    for (const outcome of await Promise.all([running, waiting])) {
      expect(outcome).toMatchObject({ kind: 'error', errorType: 'Runtime.ExitError' });
    }
    await expect(rt.invoke(fn, {}, invokeOptions())).rejects.toThrow(/closed/);
    gate.release();
  });

  it('retire() ends the warm workers of one function: its next invocation is cold', async () => {
    const rt = runtime();
    const fn = lambda(cjs(`let n = 0; exports.handler = async () => ++n;`));
    const other = lambda(cjs(`let n = 0; exports.handler = async () => ++n;`));
    expect(expectOk(await rt.invoke(fn, {}, invokeOptions()))).toBe(1);
    expect(expectOk(await rt.invoke(other, {}, invokeOptions()))).toBe(1);
    await rt.retire(fn.qualifiedArn);
    expect(expectOk(await rt.invoke(fn, {}, invokeOptions()))).toBe(1);
    expect(expectOk(await rt.invoke(other, {}, invokeOptions()))).toBe(2);
  });

  it('retire() lets a running invocation finish before its worker ends', async () => {
    const gate = await server();
    gate.hold();
    const rt = runtime({ network: { origins: { 'gate.test': gate.url } } });
    const fn = lambda(waitOnGate);
    const arrived = gate.nextArrival();
    const running = rt.invoke(fn, { id: 'inflight' }, invokeOptions());
    await arrived;
    const retired = rt.retire();
    gate.release();
    await retired;
    expect(expectOk(await running)).toMatchObject({ url: '/inflight' });
    const after = await rt.invoke(fn, { id: 'after' }, invokeOptions());
    expect(after.initDurationMs).toBeGreaterThan(0);
  });
});

// ---- idle environments -----------------------------------------------------------------------

describe('idle environments', () => {
  const counter = cjs(`let n = 0; exports.handler = async () => ++n;`);

  /** A runtime that reclaims idle environments after `idleMs`, and a way to await each reaping. */
  function reaping(idleMs: number, options: Partial<ConstructorParameters<typeof LambdaRuntime>[0]> = {}) {
    const reaped: ReapedEnvironment[] = [];
    const waiting: (() => void)[] = [];
    const rt = runtime({
      ...options,
      idleMs,
      onReap: (environment) => {
        reaped.push(environment);
        for (const wake of waiting.splice(0)) wake();
      },
    });
    /** Resolves once `count` environments in all have been reclaimed (their workers ended). */
    const reapedCount = async (count: number): Promise<ReapedEnvironment[]> => {
      while (reaped.length < count) await new Promise<void>((resolve) => waiting.push(resolve));
      return reaped.slice(0, count);
    };
    return { rt, reaped, reapedCount };
  }

  it('reclaims an environment idle for idleMs: it is gone, and the next invocation is a cold start', async () => {
    const { rt, reapedCount } = reaping(5);
    const fn = lambda(counter);
    const first = await rt.invoke(fn, {}, invokeOptions('eu-west-2'));
    expect(expectOk(first)).toBe(1);
    expect(first.initDurationMs).toBeGreaterThan(0);
    expect(await reapedCount(1)).toEqual([{ qualifiedArn: fn.qualifiedArn, region: 'eu-west-2', logStream: first.logStream }]);

    const second = await rt.invoke(fn, {}, invokeOptions('eu-west-2'));
    expect(expectOk(second)).toBe(1); // module state went with the environment
    expect(second.initDurationMs).toBeGreaterThan(0);
    expect(messages(second).at(-1)).toContain('\tInit Duration: ');
    expect(second.logStream).not.toBe(first.logStream);
  });

  it('reclaims every idle environment, in every Region', async () => {
    const { rt, reapedCount } = reaping(5);
    const fn = lambda(counter);
    const [a, b] = await Promise.all([rt.invoke(fn, {}, invokeOptions('us-east-1')), rt.invoke(fn, {}, invokeOptions('ap-south-1'))]);
    const reaped = await reapedCount(2);
    expect(new Set(reaped.map((r) => `${r.region} ${r.logStream}`))).toEqual(new Set([`us-east-1 ${a.logStream}`, `ap-south-1 ${b.logStream}`]));
    for (const region of ['us-east-1', 'ap-south-1']) {
      const again = await rt.invoke(fn, {}, invokeOptions(region));
      expect(again.initDurationMs).toBeGreaterThan(0);
      expect(expectOk(again)).toBe(1);
    }
  });

  it('restarts the idle timer on each invocation: an environment in use stays warm', async () => {
    // Fake timers drive the idle timeout; the worker itself runs on real time.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { rt, reaped, reapedCount } = reaping(60_000);
      const fn = lambda(counter);
      const first = await rt.invoke(fn, {}, invokeOptions());
      vi.advanceTimersByTime(59_999);
      const second = await rt.invoke(fn, {}, invokeOptions());
      vi.advanceTimersByTime(59_999); // 2 × 59,999 ms since the first invocation, 59,999 since the last
      const third = await rt.invoke(fn, {}, invokeOptions());
      expect([first, second, third].map(expectOk)).toEqual([1, 2, 3]);
      expect(new Set([first.logStream, second.logStream, third.logStream]).size).toBe(1);
      expect(reaped).toEqual([]);

      vi.advanceTimersByTime(60_000);
      expect(await reapedCount(1)).toMatchObject([{ logStream: first.logStream }]);
      const cold = await rt.invoke(fn, {}, invokeOptions());
      expect(cold.initDurationMs).toBeGreaterThan(0);
      expect(expectOk(cold)).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a negative idleMs', () => {
    expect(() => new LambdaRuntime({ network: { origins: {} }, idleMs: -1 })).toThrow(/idleMs/);
  });
});
