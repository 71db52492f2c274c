/**
 * Calling the handler as Lambda's Node.js runtime does, and knowing when the invocation is over
 * (runs inside the worker).
 *
 * Node 24 (src/runtime/buffered-invoke-processor.ts in aws-lambda-nodejs-runtime-interface-
 * client): `await handler(event, context)`; whatever it returns (or throws) is the result.
 * Callback handlers never get this far: they fail the init phase (callback-deprecation.ts).
 *
 * Node ≤ 22 (src/Runtime.js, CallbackContext.js): handler(event, context, callback). A returned
 * promise settles the invocation; so do callback(err, result) and context.succeed/fail/done.
 * With context.callbackWaitsForEmptyEventLoop (true by default) a successful callback answers
 * only once the event loop is empty, and a handler that returns something that is not a promise
 * without ever calling back answers null then — its return value is ignored. Only the first
 * completion counts.
 */
import type { Handler } from './handler-loader.js';
import type { StaticContext } from './protocol.js';

export type Completion = { ok: true; value: unknown } | { ok: false; error: unknown };

export type { StaticContext } from './protocol.js';

/** Node 24's context carries no callback machinery (no callbackWaitsForEmptyEventLoop,
 * succeed, fail, done): src/context/context-builder.ts builds only the invoke data. */
export function invokeModern(
  handler: Handler,
  event: unknown,
  base: StaticContext,
  requestId: string,
  deadlineMs: number,
  done: (completion: Completion) => void,
): void {
  const context = {
    ...base,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => deadlineMs - Date.now(),
  };
  new Promise((resolve) => resolve(handler(event, context))).then(
    (value) => done({ ok: true, value }),
    (error: unknown) => done({ ok: false, error }),
  );
}

export function invokeLegacy(
  handler: Handler,
  event: unknown,
  base: StaticContext,
  requestId: string,
  deadlineMs: number,
  done: (completion: Completion) => void,
): void {
  let finished = false;
  let waitForEmptyEventLoop = true;
  const finish = (completion: Completion): void => {
    if (finished) return;
    finished = true;
    onEmptyEventLoop = undefined;
    done(completion);
  };
  // The runtime's single 'beforeExit' listener: answer null unless a callback replaces it.
  let onEmptyEventLoop: (() => void) | undefined = () => finish({ ok: true, value: null });

  const callback = (error?: unknown, result?: unknown): void => {
    if (error !== undefined && error !== null) return finish({ ok: false, error });
    if (!waitForEmptyEventLoop) return finish({ ok: true, value: result });
    onEmptyEventLoop = () => finish({ ok: true, value: result });
  };
  const succeed = (result?: unknown): void => finish({ ok: true, value: result });
  const fail = (error?: unknown): void => finish({ ok: false, error: error === undefined || error === null ? 'handled' : error });
  const context = {
    ...base,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => deadlineMs - Date.now(),
    get callbackWaitsForEmptyEventLoop(): boolean {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      waitForEmptyEventLoop = value;
    },
    succeed,
    fail,
    done: (error?: unknown, result?: unknown): void => (error !== undefined && error !== null ? fail(error) : succeed(result)),
  };

  try {
    const result = handler(event, context, callback);
    if (isThenable(result)) {
      result.then(succeed, fail);
      return;
    }
  } catch (error) {
    callback(error);
    if (finished) return;
  }
  whenEventLoopEmpty(() => !finished, () => onEmptyEventLoop?.());
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Calls `then` once nothing but the worker's own MessagePort keeps this thread's event loop alive:
 * the moment Node's 'beforeExit' would fire in a Lambda runtime process. Checked on an unref'd
 * 1 ms timer (so the check itself does not count), only on this legacy path.
 */
function whenEventLoopEmpty(stillWaiting: () => boolean, then: () => void): void {
  const check = (): void => {
    if (!stillWaiting()) return;
    if (process.getActiveResourcesInfo().every((resource) => resource === 'MessagePort')) then();
    else setTimeout(check, 1).unref();
  };
  setImmediate(check).unref();
}
