/**
 * The Node.js runtime's errors and how it reports them, as AWS's runtime interface client does
 * (aws/aws-lambda-nodejs-runtime-interface-client: src/Errors.js for Node ≤ 22, src/utils/errors.ts
 * and src/utils/error.ts for Node 24). Runs inside the worker.
 */

/** A runtime error: its `name` is the errorType Lambda reports ("Runtime.ImportModuleError", …). */
export class RuntimeError extends Error {
  constructor(errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

/** Node 24's message for a handler with a callback parameter (src/context/constants.ts,
 * CALLBACK_ERROR_NODEJS24_ABOVE; thrown at init as Runtime.CallbackHandlerDeprecated). */
export const CALLBACK_HANDLER_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

/** What the caller gets for an error: errorType/errorMessage. An Error gives its name and
 * message; anything else thrown gives its `typeof` and String() (formatError / toRapidResponse). */
export function describeError(error: unknown): { errorType: string; errorMessage: string } {
  try {
    if (error instanceof Error) return { errorType: error.name, errorMessage: error.message };
    return { errorType: typeof error, errorMessage: String(error) };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

/** Non-errors are logged as `new Error(String(value))` (intoError). */
export function intoError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The JSON after "Invoke Error", "Uncaught Exception", … in the text log format: a tab, then the
 * error with errorType, errorMessage, code, its own enumerable properties and the stack split in
 * lines (toFormatted / withEnumerableProperties). Falls back to the plain description when the
 * error cannot be stringified (a circular property, a BigInt).
 */
export function formatForLog(error: Error): string {
  try {
    return `\t${JSON.stringify(error, (_key, value: unknown) => withEnumerableProperties(value))}`;
  } catch {
    const { errorType, errorMessage } = describeError(error);
    return `\t${JSON.stringify({ errorType, errorMessage, trace: typeof error.stack === 'string' ? error.stack.split('\n') : [] })}`;
  }
}

function withEnumerableProperties(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const out: Record<string, unknown> = { errorType: value.name, errorMessage: value.message, code: (value as { code?: unknown }).code };
  Object.assign(out, value);
  if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
  return out;
}
