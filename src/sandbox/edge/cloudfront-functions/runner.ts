/**
 * Runs CloudFront Functions code (cloudfront-js-1.0 and cloudfront-js-2.0) on a viewer event,
 * in a node:vm context per distinct code, compiled once and cached.
 *
 * The sandbox's runtime (runtime-source.ts) gives function code what CloudFront Functions
 * documents and nothing of Node: no `require` beyond `crypto`, `querystring` (and in 2.0
 * `buffer` and `cloudfront`), no timers, no `process`, no `eval`/`Function` constructor, a
 * `Date` frozen at the start of the run, strict mode ("Functions operate in strict mode by
 * default" — JavaScript runtime features, Core features). 2.0's `import x from 'module'` is
 * rewritten to `const x = require('module')` on the same line. 1.0 runs on the same engine:
 * the sandbox does not refuse the ES6+ syntax 1.0 lacks (its docs: ES 5.1 plus some ES6–9).
 *
 * Every run starts from the code's top level again (a fresh closure), so module-level
 * variables do not leak from one request to the next. Changes a function makes to built-in
 * prototypes do persist within its cached context; node:vm is not a security boundary and the
 * sandbox runs only its user's own code.
 *
 * Compute: CloudFront stops a function that exceeds its compute allowance and reports
 * utilization as a percentage of the maximum allowed time (API Reference, TestResult
 * ComputeUtilization), a maximum it does not publish. The sandbox enforces a generous
 * budget of COMPUTE_BUDGET_MS through vm's `timeout` (covering promise jobs too); that timeout
 * is wall-clock time, so a run stopped while the process got much less CPU than the budget (a
 * busy machine) is run again with more time, up to MAX_WALL_MS. The sandbox
 * reports utilization against a nominal NOMINAL_COMPUTE_MS — CloudFront Functions are meant for
 * sub-millisecond work — so an expensive function shows up as 100 long before it is stopped.
 * The time is taken inside the context, from the handler's start to its result, so vm's own
 * cost is not counted. That cost is most of a run's: vm's timeout starts a watchdog per call,
 * about 0.1–0.3 ms; the runtime, event and result handling add a few microseconds.
 *
 * Errors (CloudFront Developer Guide, "HTTP 503 status code (Service Unavailable)": with
 * CloudFront Functions a 503 can be an execution error; "Restrictions on all edge functions":
 * a result that fails validation is answered 502): a function that throws, rejects, never
 * settles or runs out of budget is a FunctionExecutionError (503; over budget,
 * FunctionThrottledError, also 503); one that returns something CloudFront refuses is a
 * FunctionValidationError (502).
 */
import { createHash, createHmac, type BinaryToTextEncoding } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { promiseHooks } from 'node:v8';
import vm from 'node:vm';
import type { EdgeRequest, EdgeResponse, EventContext } from '../model.js';
import { buildEvent, FunctionValidationError, readResult } from './event.js';
import { RUNTIME_SOURCE } from './runtime-source.js';

export const CLOUDFRONT_FUNCTION_RUNTIMES = ['cloudfront-js-1.0', 'cloudfront-js-2.0'] as const;

/** "Maximum function size: 10 KB" (CloudFront Developer Guide, Quotas on CloudFront Functions). */
export const MAX_FUNCTION_CODE_BYTES = 10 * 1024;

/** The compute budget of one run (generous: real CloudFront's limit is compute utilization). */
export const COMPUTE_BUDGET_MS = 50;

/** The most wall-clock time a run gets when a busy machine keeps it from its CPU budget. */
const MAX_WALL_MS = 1000;

/** What ComputeUtilization 100 stands for in the sandbox's reports. */
export const NOMINAL_COMPUTE_MS = 1;

export type FunctionErrorType = 'FunctionExecutionError' | 'FunctionThrottledError' | 'FunctionValidationError';

export type CloudFrontFunctionOutcome =
  | { kind: 'request'; request: EdgeRequest }
  | { kind: 'response'; response: EdgeResponse }
  /** Threw, rejected, timed out, or returned what CloudFront refuses: answer `status`. */
  | { kind: 'error'; message: string; errorType: FunctionErrorType; status: 502 | 503 }
  /** Uses something the sandbox cannot emulate (KeyValueStore, origin modification, …): pass the request through and warn. */
  | { kind: 'unsupported'; reason: string };

export interface CloudFrontFunctionRun {
  outcome: CloudFrontFunctionOutcome;
  logs: string[];
  /** 0–100, as TestFunction's ComputeUtilization. */
  computeUtilization: number;
}

export interface CloudFrontFunctionCode {
  name: string;
  runtime: string;
  /** The source, as text. */
  code: string;
}

// ---- compiling ---------------------------------------------------------------------------

const IMPORT = /^([ \t]*)import\s+(?:(\w+)|\*\s*as\s+(\w+)|\{([^}]*)\})\s*from\s*(['"])([^'"\n]+)\5[ \t]*;?/gm;

/** 2.0's `import` statements as `require` calls, on the same lines. */
function rewriteImports(code: string): string {
  return code.replace(IMPORT, (_m, indent: string, def: string | undefined, ns: string | undefined, named: string | undefined, _q: string, module: string) => {
    const target = def ?? ns ?? `{ ${named!.split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.replace(/\s+as\s+/, ': ')).join(', ')} }`;
    return `${indent}const ${target} = require(${JSON.stringify(module)});`;
  });
}

const PREFIX = '(function (require) { "use strict";\n';
const SUFFIX = '\n;return typeof handler === "function" ? handler : undefined;\n})';

function wrap(code: string, runtime: string): string {
  return PREFIX + (runtime === 'cloudfront-js-2.0' ? rewriteImports(code) : code) + SUFFIX;
}

function compile(code: string, runtime: string, name: string): vm.Script {
  return new vm.Script(wrap(code, runtime), { filename: `${name}.js`, lineOffset: -1 });
}

interface RuntimeState {
  logs: string[];
  unsupported: string;
  done: boolean;
  out: string | undefined;
  err: string;
  startedAt: number;
  endedAt: number;
}

interface Compiled {
  context: vm.Context;
  state: RuntimeState;
  prepare(eventJson: string, start: number, rawQuery: string | undefined, eventType: string): void;
  promisePrototype: object;
}

const runtimeScript = new vm.Script(RUNTIME_SOURCE, { filename: 'cloudfront-functions-runtime.js' });
const invokeScript = new vm.Script('__cf$invoke()', { filename: 'cloudfront-functions-invoke.js' });

/** The one host helper: hash or HMAC of latin1 data; errors come back as "\0message". */
function hostDigest(algorithm: string, key: string | null, data: string, encoding: string): string {
  try {
    const hash = key === null ? createHash(algorithm) : createHmac(algorithm, Buffer.from(key, 'latin1'));
    hash.update(Buffer.from(data, 'latin1'));
    return hash.digest(encoding as BinaryToTextEncoding);
  } catch (error) {
    return `\0${(error as Error).message}`;
  }
}

/** Milliseconds, for utilization; only the runtime sees it, never function code. */
const hostClock = (): number => performance.now();

function createCompiled(fn: CloudFrontFunctionCode): Compiled {
  const context = vm.createContext({}, {
    name: `cloudfront-function:${fn.name}`,
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate',
  });
  const install = runtimeScript.runInContext(context) as (digest: typeof hostDigest, clock: () => number, version: number) => {
    state: RuntimeState;
    setFactory(f: unknown): void;
    prepare(eventJson: string, start: number, rawQuery: string | undefined, eventType: string): void;
  };
  const runtime = install(hostDigest, hostClock, fn.runtime === 'cloudfront-js-2.0' ? 2 : 1);
  runtime.setFactory(compile(fn.code, fn.runtime, fn.name).runInContext(context));
  const promisePrototype = new vm.Script('Promise.prototype').runInContext(context) as object;
  return { context, state: runtime.state, prepare: runtime.prepare, promisePrototype };
}

/** Compiled functions (or why they do not compile) by runtime and code; the least recently used go first. */
const cache = new Map<string, Compiled | { error: string }>();
const CACHE_LIMIT = 64;

function compiledFor(fn: CloudFrontFunctionCode): { compiled: Compiled; fresh: boolean } | { error: string } {
  const key = `${fn.runtime}\0${fn.code}`;
  let entry = cache.get(key);
  const fresh = !entry;
  if (entry) {
    cache.delete(key);
  } else {
    try {
      entry = createCompiled(fn);
    } catch (error) {
      entry = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, entry);
  return 'error' in entry ? entry : { compiled: entry, fresh };
}

function forget(fn: CloudFrontFunctionCode): void {
  cache.delete(`${fn.runtime}\0${fn.code}`);
}

// ---- running -----------------------------------------------------------------------------

/*
 * A promise rejected in a function's context with no handler would reach Node's
 * unhandled-rejection handling and, by default, end the whole process. While a function runs,
 * every promise its context creates gets a no-op rejection handler (CloudFront has no
 * unhandled-rejection hook a function could observe); `await` and `catch` work as before.
 */
let hookedPrototype: object | undefined;
let inHook = false;
const ignore = (): void => undefined;
const isPrototypeOf = Object.prototype.isPrototypeOf;

function onPromiseInit(promise: Promise<unknown>): void {
  if (inHook || !hookedPrototype || !Reflect.apply(isPrototypeOf, hookedPrototype, [promise])) return;
  inHook = true;
  try {
    Reflect.apply((hookedPrototype as Promise<unknown>).then, promise, [undefined, ignore]);
  } finally {
    inHook = false;
  }
}

export type Execution =
  | { status: 'ok'; output: string | undefined; logs: string[]; computeUtilization: number }
  | { status: 'error'; errorType: 'FunctionExecutionError' | 'FunctionThrottledError'; message: string; logs: string[]; computeUtilization: number }
  | { status: 'unsupported'; reason: string; logs: string[]; computeUtilization: number };

/** Utilization from the function's own run time, as timed inside the context (no vm overhead). */
function utilization(ms: number): number {
  return Math.max(0, Math.min(100, Math.round((ms / NOMINAL_COMPUTE_MS) * 100)));
}

export interface ExecuteOptions {
  /** What `request.rawQueryString()` returns. */
  rawQuery: string | undefined;
  eventType: string;
  /** The function's start time, what `Date` answers during the run (default: the host clock). */
  now?: number;
  /**
   * Run a newly compiled function once before the run that counts, so that its utilization
   * does not include V8 compiling it (TestFunction, where every code change is a first run).
   */
  warm?: boolean;
}

/** One run in the compiled context, stopped after `wallMs`: whether it timed out. */
function runOnce(compiled: Compiled, eventJson: string, options: ExecuteOptions, wallMs: number): { timedOut: boolean } {
  compiled.prepare(eventJson, options.now ?? Date.now(), options.rawQuery, options.eventType);
  const stopHook = promiseHooks.onInit(onPromiseInit);
  hookedPrototype = compiled.promisePrototype;
  try {
    invokeScript.runInContext(compiled.context, { timeout: wallMs });
    return { timedOut: false };
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
    return { timedOut: true };
  } finally {
    stopHook();
    hookedPrototype = undefined;
  }
}

/**
 * Runs a function on an event given as JSON text, synchronously (promise jobs included), and
 * returns the JSON of what it returned. The caller checks the code size.
 */
export function executeFunctionEvent(fn: CloudFrontFunctionCode, eventJson: string, options: ExecuteOptions): Execution {
  const found = compiledFor(fn);
  if ('error' in found) return { status: 'error', errorType: 'FunctionExecutionError', message: found.error, logs: [], computeUtilization: 0 };
  let { compiled } = found;
  const fresh = (): Compiled | { error: string } => {
    forget(fn);
    const again = compiledFor(fn);
    return 'error' in again ? again : again.compiled;
  };
  if (found.fresh && options.warm && runOnce(compiled, eventJson, options, COMPUTE_BUDGET_MS).timedOut) {
    // A warm-up stopped half-way leaves the context dirty: the run that counts starts afresh.
    const next = fresh();
    if ('error' in next) return { status: 'error', errorType: 'FunctionExecutionError', message: next.error, logs: [], computeUtilization: 0 };
    compiled = next;
  }
  let wallMs = COMPUTE_BUDGET_MS;
  let timedOut = false;
  for (;;) {
    const cpuBefore = process.cpuUsage();
    timedOut = runOnce(compiled, eventJson, options, wallMs).timedOut;
    if (!timedOut) break;
    // vm's timeout is wall-clock time. When the process got much less CPU than that (a busy
    // machine), the function was not over budget: run it again with more wall-clock time.
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (cpuMs >= COMPUTE_BUDGET_MS * 0.9 || wallMs >= MAX_WALL_MS) {
      // The context may hold half-run jobs: the next run of this code starts from a fresh one.
      forget(fn);
      break;
    }
    wallMs = Math.min(wallMs * 4, MAX_WALL_MS);
    const next = fresh();
    if ('error' in next) return { status: 'error', errorType: 'FunctionExecutionError', message: next.error, logs: [], computeUtilization: 0 };
    compiled = next;
  }
  const { state } = compiled;
  const computeUtilization = timedOut ? 100 : utilization((state.done ? state.endedAt : hostClock()) - state.startedAt);
  const logs = Array.from(state.logs);
  if (state.unsupported) return { status: 'unsupported', reason: state.unsupported, logs, computeUtilization };
  if (timedOut) {
    return { status: 'error', errorType: 'FunctionThrottledError', message: `The function exceeded its compute budget (${COMPUTE_BUDGET_MS} ms of CPU in the sandbox).`, logs, computeUtilization };
  }
  if (!state.done) {
    return { status: 'error', errorType: 'FunctionExecutionError', message: 'The function did not finish: the promise it returned never settled.', logs, computeUtilization };
  }
  if (state.err) return { status: 'error', errorType: 'FunctionExecutionError', message: state.err, logs, computeUtilization };
  return { status: 'ok', output: state.out, logs, computeUtilization };
}

export interface CloudFrontFunctionInput {
  context: EventContext;
  request: EdgeRequest;
  /** The response, for viewer-response. */
  response?: EdgeResponse;
  /** The start time `Date` reports to the function (the sandbox clock; default: the host clock). */
  now?: number;
}

/** runCloudFrontFunction, synchronously (for callers that cannot await, such as TestFunction). */
export function runCloudFrontFunctionSync(fn: CloudFrontFunctionCode, input: CloudFrontFunctionInput): CloudFrontFunctionRun {
  const size = Buffer.byteLength(fn.code, 'utf8');
  if (size > MAX_FUNCTION_CODE_BYTES) {
    return {
      outcome: { kind: 'error', errorType: 'FunctionValidationError', status: 502, message: `The function code is ${size} bytes; CloudFront Functions allow ${MAX_FUNCTION_CODE_BYTES}.` },
      logs: [],
      computeUtilization: 0,
    };
  }
  if (!(CLOUDFRONT_FUNCTION_RUNTIMES as readonly string[]).includes(fn.runtime)) {
    return { outcome: { kind: 'unsupported', reason: `the runtime ${fn.runtime}` }, logs: [], computeUtilization: 0 };
  }
  if (input.context.eventType !== 'viewer-request' && input.context.eventType !== 'viewer-response') {
    return { outcome: { kind: 'unsupported', reason: `a ${input.context.eventType} event (CloudFront Functions run on viewer events only)` }, logs: [], computeUtilization: 0 };
  }
  const event = buildEvent(input);
  const run = executeFunctionEvent(fn, JSON.stringify(event), { rawQuery: input.request.querystring, eventType: event.context.eventType, now: input.now });
  const { logs, computeUtilization } = run;
  if (run.status === 'unsupported') return { outcome: { kind: 'unsupported', reason: run.reason }, logs, computeUtilization };
  if (run.status === 'error') return { outcome: { kind: 'error', errorType: run.errorType, status: 503, message: run.message }, logs, computeUtilization };
  try {
    const returned: unknown = run.output === undefined ? undefined : JSON.parse(run.output);
    const back = readResult(input, event, returned);
    return { outcome: back, logs, computeUtilization };
  } catch (error) {
    if (!(error instanceof FunctionValidationError)) throw error;
    return { outcome: { kind: 'error', errorType: 'FunctionValidationError', status: 502, message: error.message }, logs, computeUtilization };
  }
}

/**
 * Runs a CloudFront function on a viewer-request (request) or viewer-response (request and
 * response) event and reads back what it returned. Synchronous underneath (promise jobs run
 * inside the vm call); a Promise for the data plane's convenience.
 */
export async function runCloudFrontFunction(fn: CloudFrontFunctionCode, input: CloudFrontFunctionInput): Promise<CloudFrontFunctionRun> {
  return runCloudFrontFunctionSync(fn, input);
}
