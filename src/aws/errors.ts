/** Recognising AWS answers by their error name (the SDK's modeled exception classes set it). */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

/** Runs a read that may find nothing: the NotFound-style errors become undefined. */
export async function ifExists<T>(read: () => Promise<T>, ...notFound: string[]): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isAwsError(error, ...notFound)) return undefined;
    throw error;
  }
}
