/**
 * The admin API under /_sandbox/, for tests and demos (EMULATOR.md): health, the call log,
 * fault injection (errors and holds), throttling, the clock, state dump and reset, and the
 * zip download that Lambda's GetFunction points to (Code.Location).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './calls.js';
import type { FaultInjector, FaultSpec, HeldCall, ReleaseFilter } from './faults.js';
import type { World } from './world.js';

export interface AdminContext {
  world: World;
  calls: CallLog;
  faults: FaultInjector;
  onWrite(): void;
  /** Back to the start seed (or another seed by name), clearing calls, faults and throttling. Held calls are released first. */
  reset(seed?: string): string[];
  /** The local edge's injected function failures (absent where there is no edge). */
  edgeFailures?: EdgeFailures;
}

/** Makes a share of a Lambda@Edge function's invocations at the local edge fail as if it threw. */
export interface EdgeFailures {
  set(spec: { function: string; version?: string; rate: number; seed?: number; message?: string }): void;
  list(): unknown[];
  clear(): void;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1 << 20) throw new BadRequest('admin request body over 1 MiB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new BadRequest('the body must be a JSON object');
}

class BadRequest extends Error {}

type AdminRoute = (ctx: AdminContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

const routes: Record<string, AdminRoute> = {
  'GET health': (_ctx, _req, res) => json(res, 200, { status: 'ok' }),

  'GET calls': (ctx, _req, res) => json(res, 200, ctx.calls.all()),
  'DELETE calls': (ctx, _req, res) => {
    ctx.calls.clear();
    json(res, 200, { cleared: true });
  },

  'GET faults': (ctx, _req, res) => json(res, 200, ctx.faults.listFaults()),
  'POST faults': async (ctx, req, res) => {
    const body = await readJson(req);
    try {
      ctx.faults.addFault(body as unknown as FaultSpec);
    } catch (error) {
      throw new BadRequest((error as Error).message);
    }
    json(res, 200, { faults: ctx.faults.listFaults() });
  },
  'DELETE faults': async (ctx, _req, res) => {
    const released = await ctx.faults.release();
    ctx.faults.clear();
    json(res, 200, { cleared: true, released });
  },

  /**
   * `?wait=<operation>` answers once a call of that operation is held; `?wait=none` once no
   * call is; either at once when it already is so. Without `wait`, the list as it is now.
   */
  'GET held': async (ctx, _req, res, url) => {
    const wait = url.searchParams.get('wait');
    if (wait === null) return json(res, 200, ctx.faults.listHeld());
    if (wait === '') throw new BadRequest('"wait" must name an operation, or be "none"');
    const ready = wait === 'none' ? (held: HeldCall[]) => held.length === 0 : (held: HeldCall[]) => held.some((call) => call.operation === wait);
    const { result, cancel } = ctx.faults.whenHeld(ready);
    // The response closing before it is sent: the admin client went away.
    res.on('close', cancel);
    const held = await result;
    json(res, 200, wait === 'none' ? held : held.filter((call) => call.operation === wait));
  },
  'POST release': async (ctx, req, res) => {
    const body = await readJson(req);
    const filter: ReleaseFilter = {};
    if (body.id !== undefined) {
      if (typeof body.id !== 'number' || !Number.isInteger(body.id) || body.id < 1) throw new BadRequest('"id" must be a positive integer (from GET /_sandbox/held)');
      filter.id = body.id;
    }
    if (body.operation !== undefined) {
      if (typeof body.operation !== 'string' || !body.operation) throw new BadRequest('"operation" must be a non-empty string');
      filter.operation = body.operation;
    }
    json(res, 200, { released: await ctx.faults.release(filter) });
  },

  'POST throttle': async (ctx, req, res) => {
    const body = await readJson(req);
    try {
      ctx.faults.setThrottle(Number(body.rate), body.seed === undefined ? undefined : Number(body.seed));
    } catch (error) {
      throw new BadRequest((error as Error).message);
    }
    json(res, 200, { rate: Number(body.rate) });
  },

  'POST advance': async (ctx, req, res) => {
    const body = await readJson(req);
    const ms = Number(body.ms);
    if (!Number.isFinite(ms) || ms < 0) throw new BadRequest('"ms" must be a non-negative number');
    ctx.world.clock.advance(ms);
    ctx.onWrite();
    json(res, 200, { now: ctx.world.clock.iso() });
  },

  /**
   * `{"function":"fp-proxy-proxy","version"?:"2","rate":0.5,"seed"?:1,"message"?:"…"}`: that share
   * of the function's invocations at the local edge fail as a thrown error would (503
   * LambdaExecutionError, an "Invoke Error" log line, an Errors data point). `seed` makes the
   * sequence repeatable.
   */
  'POST edge-failures': async (ctx, req, res) => {
    if (!ctx.edgeFailures) throw new BadRequest('this sandbox has no local edge');
    const body = await readJson(req);
    try {
      ctx.edgeFailures.set(body as never);
    } catch (error) {
      throw new BadRequest((error as Error).message);
    }
    json(res, 200, { failures: ctx.edgeFailures.list() });
  },
  'GET edge-failures': (ctx, _req, res) => json(res, 200, ctx.edgeFailures?.list() ?? []),
  'DELETE edge-failures': (ctx, _req, res) => {
    ctx.edgeFailures?.clear();
    json(res, 200, { cleared: true });
  },

  'GET state': (ctx, _req, res) => json(res, 200, ctx.world.snapshot()),
  'POST reset': async (ctx, req, res) => {
    const body = await readJson(req);
    const seed = typeof body.seed === 'string' ? body.seed : undefined;
    let distributionIds: string[];
    // Released calls finish against the old state, so none of them leaks into the fresh one.
    await ctx.faults.release();
    try {
      distributionIds = ctx.reset(seed);
    } catch (error) {
      throw new BadRequest((error as Error).message);
    }
    json(res, 200, { distributionIds });
  },
};

/** GET /_sandbox/code/<CodeSha256 as base64url>.zip: what Code.Location points to. */
function serveCode(ctx: AdminContext, res: ServerResponse, name: string): void {
  const sha = Buffer.from(name.replace(/\.zip$/, ''), 'base64url').toString('base64');
  const zip = ctx.world.data.lambda.code[sha];
  if (!zip) return json(res, 404, { message: 'no such code' });
  const bytes = Buffer.from(zip, 'base64');
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': bytes.length });
  res.end(bytes);
}

export async function handleAdmin(ctx: AdminContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const rest = url.pathname.slice('/_sandbox/'.length);
  if (rest.startsWith('code/') && req.method === 'GET') return serveCode(ctx, res, rest.slice('code/'.length));
  const route = routes[`${req.method} ${rest}`];
  if (!route) {
    const known = Object.keys(routes).some((key) => key.endsWith(` ${rest}`));
    return json(res, known ? 405 : 404, { message: known ? `method ${req.method} not allowed on /_sandbox/${rest}` : `no admin route /_sandbox/${rest}` });
  }
  try {
    await route(ctx, req, res, url);
  } catch (error) {
    if (error instanceof BadRequest) return json(res, 400, { message: error.message });
    throw error;
  }
}

export function codeUrl(baseUrl: string, codeSha256: string): string {
  return `${baseUrl}/_sandbox/code/${Buffer.from(codeSha256, 'base64').toString('base64url')}.zip`;
}
