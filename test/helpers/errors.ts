import { expect } from 'vitest';

/** A rejected SDK call: the modeled error class, the HTTP status, and optionally the message. */
export async function expectAwsError(call: Promise<unknown>, errorClass: abstract new (...args: never[]) => Error, status: number, message?: RegExp): Promise<Error> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `the call should have failed with ${errorClass.name}`).toBeInstanceOf(errorClass);
  expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(status);
  if (message) expect((error as Error).message).toMatch(message);
  return error as Error;
}
