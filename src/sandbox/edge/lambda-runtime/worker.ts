/**
 * One Lambda execution environment, inside a worker thread: the part of Lambda's Node.js runtime
 * that loads the function once (the init phase) and then runs one invocation at a time for as
 * long as the host keeps the thread (module state survives, as in a warm container).
 *
 * Order matters: the network policy and the console capture are installed before the function's
 * code is imported, so its module scope already runs under them.
 */
import { constants as osConstants } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { captureConsole } from './console-capture.js';
import { loadHandler, type Handler } from './handler-loader.js';
import { invokeLegacy, invokeModern, type Completion, type StaticContext } from './invoke-handler.js';
import { installNetworkPolicy } from './network.js';
import type { HostMessage, WorkerMessage, WorkerSetup } from './protocol.js';
import { CALLBACK_HANDLER_REMOVED, RuntimeError, describeError, formatForLog, intoError } from './runtime-errors.js';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread of the sandbox edge');
const setup = workerData as WorkerSetup;
const post = (message: WorkerMessage): void => port.postMessage(message);

/** nodejs24.x and later run AWS's new runtime client (no callbacks); older ones the classic one. */
const legacy = runtimeMajor(setup.runtime) < 24;

// Outside an invocation the classic client logs the last request id it saw ("undefined" before the
// first), Node 24's "-" (the invoke store's default).
const idleRequestId = legacy ? 'undefined' : '-';
let requestId = idleRequestId;
let clockOffsetMs = setup.clockOffsetMs;
let current: { requestId: string } | undefined;
let handler: Handler | undefined;

captureConsole(
  (timestamp, message) => post({ t: 'log', timestamp, message }),
  () => Date.now() + clockOffsetMs,
  () => requestId,
);
const network = installNetworkPolicy(setup.network);

// The runtime's process-level handlers: log the error as Lambda does, then the environment is
// done for (Lambda exits the runtime process: 129 after an uncaught exception, 128 after an
// unhandled rejection). The host terminates this thread when told.
process.on('uncaughtException', (error) => fatal('Uncaught Exception', error));
process.on('unhandledRejection', (reason) => {
  const error = new RuntimeError('Runtime.UnhandledPromiseRejection', String(reason));
  Object.assign(error, { reason, promise: {} });
  fatal('Unhandled Promise Rejection', error);
});

// process.kill reaches the real OS process, which here is the host's. A function that signals its
// own runtime ends its environment (exit status 128 + signal, as a shell reports it); other
// processes do not exist for it.
process.kill = (pid: number, signal?: string | number): true => {
  if (pid !== process.pid && pid !== 0 && pid !== -process.pid) {
    throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH', errno: -3, syscall: 'kill' });
  }
  if (signal === 0) return true;
  const number = typeof signal === 'number' ? signal : (osConstants.signals[(signal ?? 'SIGTERM') as keyof typeof osConstants.signals] ?? 15);
  process.exit(128 + number);
};

port.on('message', (message: HostMessage) => {
  if (message.t === 'network') network.update(message.policy);
  else if (message.t === 'invoke') invoke(message);
});

const context: StaticContext = {
  functionName: setup.functionName,
  functionVersion: setup.functionVersion,
  invokedFunctionArn: setup.invokedFunctionArn,
  memoryLimitInMB: setup.memoryLimitInMB,
  logGroupName: setup.logGroupName,
  logStreamName: setup.logStreamName,
};

try {
  const loaded = await loadHandler(setup.taskRoot, setup.handler, legacy);
  // Node 24 refuses a handler that declares a callback parameter (argsNum >= 3), at init:
  // src/function/callback-deprecation.ts + src/index.ts in aws-lambda-nodejs-runtime-interface-client.
  if (!legacy && loaded.length >= 3) throw new RuntimeError('Runtime.CallbackHandlerDeprecated', CALLBACK_HANDLER_REMOVED);
  handler = loaded;
  post({ t: 'ready' });
} catch (error) {
  // Node 24's client logs "Init Error"; the classic one lets the failure surface as an uncaught exception.
  console.error(legacy ? 'Uncaught Exception' : 'Init Error', formatForLog(intoError(error)));
  post({ t: 'init-error', ...describeError(error) });
}

function invoke(message: Extract<HostMessage, { t: 'invoke' }>): void {
  if (!handler) return;
  clockOffsetMs = message.clockOffsetMs;
  requestId = message.requestId;
  const invocation = { requestId: message.requestId };
  current = invocation;
  const finish = (completion: Completion): void => {
    if (current !== invocation) return; // a fatal error already ended it
    let error: unknown;
    if (completion.ok) {
      try {
        // The response is what Lambda sends back: JSON.stringify(result ?? null) (serializeToJSON).
        const json = JSON.stringify(completion.value === undefined ? null : completion.value);
        end();
        post({ t: 'done', ok: true, json, heapBytes: heapBytes() });
        return;
      } catch {
        error = new RuntimeError('Runtime.JSONStringifyError', 'Unable to stringify response body');
      }
    } else {
      error = completion.error;
    }
    console.error('Invoke Error', formatForLog(intoError(error)));
    end();
    post({ t: 'done', ok: false, ...describeError(error), heapBytes: heapBytes(), fatal: false });
  };
  try {
    (legacy ? invokeLegacy : invokeModern)(handler, message.event, context, message.requestId, message.deadlineMs, finish);
  } catch (error) {
    finish({ ok: false, error });
  }
}

function end(): void {
  current = undefined;
  if (!legacy) requestId = idleRequestId;
}

function fatal(label: string, error: Error): void {
  console.error(label, formatForLog(error));
  const { errorType, errorMessage } = describeError(error);
  if (current) {
    end();
    post({ t: 'done', ok: false, errorType, errorMessage, heapBytes: heapBytes(), fatal: true });
  } else {
    post({ t: 'crash', errorType, errorMessage });
  }
}

/** The thread's heap in use: Max Memory Used is estimated from it. */
function heapBytes(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
}

function runtimeMajor(runtime: string): number {
  const match = /^nodejs(\d+)/.exec(runtime);
  return match ? Number(match[1]) : 24;
}
