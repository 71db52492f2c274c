/**
 * What the host (runtime.ts, container.ts) and a worker thread (worker.ts) say to each other over
 * the worker's MessagePort. Types only: both sides import this file, and neither pulls in the
 * other's code. Messages are structured-cloned, so they hold plain data only.
 */

export interface NetworkPolicy {
  /** Where every call to an AWS host (*.amazonaws.com, *.amazonaws.com.cn, *.api.aws) goes: the sandbox's own endpoint, e.g. http://127.0.0.1:4580. Absent: AWS hosts are unreachable. */
  awsEndpoint?: string;
  /** Host (lower-case; "host" or "host:port") → base URL it is served at, e.g. { "fpcdn.io": "http://127.0.0.1:9000" }. */
  origins: Record<string, string>;
}

/** The handler's `context` that does not change between invocations (the rest comes with each one). */
export interface StaticContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
}

/** `workerData`: everything a worker needs to become one execution environment of one function, its static context included. */
export interface WorkerSetup extends StaticContext {
  /** The extracted deployment package (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** e.g. "index.handler" */
  handler: string;
  /** e.g. "nodejs24.x" */
  runtime: string;
  network: NetworkPolicy;
  /** Added to the worker's Date.now() for log timestamps, so they follow the host's clock. */
  clockOffsetMs: number;
}

export type HostMessage =
  | {
      t: 'invoke';
      requestId: string;
      event: unknown;
      /** Epoch ms (the process clock both threads share) when the function times out. */
      deadlineMs: number;
      clockOffsetMs: number;
    }
  | { t: 'network'; policy: NetworkPolicy };

export type WorkerMessage =
  /** One CloudWatch event's message, as the Node runtime writes it (already formatted). */
  | { t: 'log'; timestamp: number; message: string }
  /** The handler is loaded: the init phase is over. */
  | { t: 'ready' }
  /** The init phase failed (module not found, syntax error, handler missing, …). */
  | { t: 'init-error'; errorType: string; errorMessage: string }
  /** The invocation's result: the response as Lambda serialises it (JSON text). */
  | { t: 'done'; ok: true; json: string; heapBytes: number }
  /** The invocation failed; `fatal` when the runtime would exit afterwards (uncaught exception, unhandled rejection). */
  | { t: 'done'; ok: false; errorType: string; errorMessage: string; heapBytes: number; fatal: boolean }
  /** An uncaught exception or unhandled rejection between invocations: the environment is gone. */
  | { t: 'crash'; errorType: string; errorMessage: string };
