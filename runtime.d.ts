/**
 * edge-install/runtime — for Lambda@Edge handlers that edge-install bundles.
 *
 * Lambda@Edge has no environment variables: edge-install bakes the function's `config` (from
 * edge-install.json) and the location of the integration's secret into the bundle, and these
 * functions read them. Secret values are read from Secrets Manager at run time, never baked.
 * The implementation is handlers/shared/runtime.ts; the bundler always uses the copy of the
 * edge-install that bundles the handler, installed in your project or not (npx).
 *
 * These declarations need no @types/node.
 */

/**
 * The value of one key of the integration's secret (the manifest's `secret.keys`).
 *
 * - Cached per container (Lambda execution environment) for `secretTtlSeconds` seconds of the
 *   function's config (300 by default): about 12 GetSecretValue calls an hour per container.
 * - Single-flight: concurrent calls share one GetSecretValue.
 * - Last good value: when a refresh fails, the value read before is returned (the failure is
 *   logged, never the value); after a failure no new read is tried for 10 s.
 * - Keys are matched case-insensitively; an empty value counts as none.
 *
 * Rejects with a {@link SecretReadError} when the secret cannot be read and was never read
 * before (code `AccessDeniedException`, `ResourceNotFoundException`, `Timeout`, …), or has no
 * value for `key` (code `MissingKey`). Decide whether your handler fails open or closed then.
 */
export declare function secret(key: string): Promise<string>;

/** Every key of the secret with its value (keys in lower case), through the same cache. */
export declare function secrets(): Promise<Record<string, string>>;

/**
 * The function's `config` from edge-install.json, plus `secretName`, `secretRegion` and
 * `secretReplicaRegions` when the manifest has a secret. Never a secret value.
 */
export declare function config<T extends Record<string, unknown> = Record<string, unknown>>(): T;

/** Why the secret could not be read. The message names the call and AWS's error, never a value. */
export declare class SecretReadError extends Error {
  /** An AWS error code (`AccessDeniedException`, `ResourceNotFoundException`, …) or `Timeout`, `NetworkError`, `NoCredentials`, `NotConfigured`, `InvalidSecret`, `MissingKey`. */
  readonly code: string;
  constructor(code: string, message: string);
}
