/**
 * The in-memory secret cache every built-in handler reads its secret through (one per
 * container, i.e. per Lambda execution environment):
 *
 * - TTL (default 5 minutes): at most ~12 reads an hour per container, the seed's cost figure.
 * - Single-flight: while a read is in flight, every caller waits for that same read — 50
 *   concurrent cold requests make one GetSecretValue call, not 50.
 * - Stale-on-error: when a refresh fails, the last good value keeps being served, and the
 *   failure is logged (never the value). After a failure no new read is tried for
 *   `retryAfterErrorMs` (default 10 s), so an outage or a missing permission does not turn
 *   every request into a Secrets Manager call; with no good value yet, callers get the error.
 */
import { logLine } from './log.js';

export interface SecretCacheOptions<T> {
  load: () => Promise<T>;
  ttlMs?: number;
  retryAfterErrorMs?: number;
  /** Milliseconds; Date.now by default (read at each call, so fake timers work). */
  now?: () => number;
  /** Called once per failed read; `stale` says whether an older value is served instead. Logs by default. */
  onError?: (error: unknown, stale: boolean) => void;
}

export interface SecretCache<T> {
  /** The value: cached, or read now (sharing any read in flight). */
  get(): Promise<T>;
  /** The cached value without reading; undefined before the first good read. */
  peek(): T | undefined;
  /** The error of the last read when it failed, else undefined. */
  lastError(): unknown;
  /** Number of reads started (for tests and the bench). */
  readonly reads: number;
}

export const DEFAULT_SECRET_TTL_MS = 5 * 60_000;
export const DEFAULT_RETRY_AFTER_ERROR_MS = 10_000;

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${(error as { code?: string }).code ?? error.name}: ${error.message}`;
  return String(error);
}

export function createSecretCache<T>(options: SecretCacheOptions<T>): SecretCache<T> {
  const ttl = options.ttlMs ?? DEFAULT_SECRET_TTL_MS;
  const retryAfterError = options.retryAfterErrorMs ?? DEFAULT_RETRY_AFTER_ERROR_MS;
  const now = options.now ?? (() => Date.now());
  const onError =
    options.onError ??
    ((error: unknown, stale: boolean) =>
      logLine('error', stale ? 'secret refresh failed; serving the value read earlier' : 'secret read failed', { reason: describeError(error) }));

  let value: T | undefined;
  let hasValue = false;
  let loadedAt = 0;
  let failedAt: number | undefined;
  let error: unknown;
  let inflight: Promise<T> | undefined;
  let reads = 0;

  const refresh = (): Promise<T> => {
    reads++;
    let loading: Promise<T>;
    try {
      loading = Promise.resolve(options.load());
    } catch (thrown) {
      loading = Promise.reject(thrown);
    }
    inflight = loading.then(
      (loaded) => {
        value = loaded;
        hasValue = true;
        loadedAt = now();
        failedAt = undefined;
        error = undefined;
        inflight = undefined;
        return loaded;
      },
      (thrown: unknown) => {
        failedAt = now();
        error = thrown;
        inflight = undefined;
        onError(thrown, hasValue);
        if (hasValue) return value as T;
        throw thrown;
      },
    );
    return inflight;
  };

  return {
    get() {
      if (inflight) return inflight;
      const t = now();
      if (hasValue && t - loadedAt < ttl) return Promise.resolve(value as T);
      if (failedAt !== undefined && t - failedAt < retryAfterError) return hasValue ? Promise.resolve(value as T) : Promise.reject(error);
      return refresh();
    },
    peek: () => (hasValue ? value : undefined),
    lastError: () => error,
    get reads() {
      return reads;
    },
  };
}
