/** The per-container secret cache: TTL, single-flight, stale-on-error, retry pause, silence about values. */
import { describe, expect, it } from 'vitest';
import { createSecretCache, DEFAULT_SECRET_TTL_MS } from '../../handlers/shared/secret-cache.js';
import { captureConsole } from './helpers.js';

const SECRET = 'cache-value-5e1f0a-never-logged';

function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** A loader whose results the test controls: each call returns the next queued outcome. */
function loader() {
  const pending: { resolve: (v: string) => void; reject: (e: unknown) => void }[] = [];
  let calls = 0;
  return {
    load: () => {
      calls++;
      return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
    },
    get calls() {
      return calls;
    },
    resolveNext: (v: string) => pending.shift()!.resolve(v),
    rejectNext: (e: unknown) => pending.shift()!.reject(e),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('secret cache', () => {
  it('reads once per TTL (5 minutes by default)', async () => {
    const clock = fakeClock();
    let calls = 0;
    const cache = createSecretCache({ load: async () => `${SECRET}-${++calls}`, now: clock.now });
    expect(await cache.get()).toBe(`${SECRET}-1`);
    clock.advance(DEFAULT_SECRET_TTL_MS - 1);
    for (let i = 0; i < 20; i++) expect(await cache.get()).toBe(`${SECRET}-1`);
    expect(calls).toBe(1);
    clock.advance(1);
    expect(await cache.get()).toBe(`${SECRET}-2`);
    expect(calls).toBe(2);
    // An hour of steady traffic: 12 reads.
    for (let minute = 0; minute < 60; minute++) {
      clock.advance(60_000);
      await Promise.all(Array.from({ length: 5 }, () => cache.get()));
    }
    expect(calls).toBe(2 + 12);
    expect(cache.reads).toBe(calls);
  });

  it('honours another TTL', async () => {
    const clock = fakeClock();
    let calls = 0;
    const cache = createSecretCache({ load: async () => ++calls, now: clock.now, ttlMs: 1000 });
    await cache.get();
    clock.advance(999);
    await cache.get();
    clock.advance(1);
    await cache.get();
    expect(calls).toBe(2);
  });

  it('makes one read for 50 concurrent cold requests, and one for 50 concurrent requests after expiry', async () => {
    const clock = fakeClock();
    const source = loader();
    const cache = createSecretCache({ load: source.load, now: clock.now });
    const cold = Array.from({ length: 50 }, () => cache.get());
    await tick();
    expect(source.calls).toBe(1);
    source.resolveNext(SECRET);
    expect(new Set(await Promise.all(cold))).toEqual(new Set([SECRET]));

    clock.advance(DEFAULT_SECRET_TTL_MS);
    const expired = Array.from({ length: 50 }, () => cache.get());
    await tick();
    expect(source.calls).toBe(2);
    source.resolveNext(`${SECRET}-rotated`);
    expect(new Set(await Promise.all(expired))).toEqual(new Set([`${SECRET}-rotated`]));
  });

  it('50 concurrent cold requests share one failure too', async () => {
    const source = loader();
    const cache = createSecretCache({ load: source.load, onError: () => {} });
    const cold = Array.from({ length: 50 }, () => cache.get().then(() => 'ok', (e: Error) => e.message));
    await tick();
    source.rejectNext(new Error('throttled'));
    expect(new Set(await Promise.all(cold))).toEqual(new Set(['throttled']));
    expect(source.calls).toBe(1);
  });

  it('keeps serving the last good value when a refresh fails, logging why (not the value)', async () => {
    const clock = fakeClock();
    const source = loader();
    const cache = createSecretCache({ load: source.load, now: clock.now });
    const first = cache.get();
    await tick();
    source.resolveNext(SECRET);
    expect(await first).toBe(SECRET);

    clock.advance(DEFAULT_SECRET_TTL_MS + 1);
    const { result, output } = await captureConsole(async () => {
      const refreshing = cache.get();
      await tick();
      source.rejectNext(Object.assign(new Error('Rate exceeded'), { code: 'ThrottlingException' }));
      return refreshing;
    });
    expect(result).toBe(SECRET);
    expect(output).toContain('secret refresh failed; serving the value read earlier');
    expect(output).toContain('ThrottlingException: Rate exceeded');
    expect(output).not.toContain(SECRET);
    expect(cache.lastError()).toBeInstanceOf(Error);

    // No new read for 10 s after a failure; the stale value meanwhile.
    clock.advance(9_999);
    expect(await cache.get()).toBe(SECRET);
    expect(source.calls).toBe(2);
    clock.advance(1);
    const retry = cache.get();
    await tick();
    expect(source.calls).toBe(3);
    source.resolveNext(`${SECRET}-2`);
    expect(await retry).toBe(`${SECRET}-2`);
    expect(cache.lastError()).toBeUndefined();
  });

  it('with no good value yet, a failure rejects, and is not retried for retryAfterErrorMs', async () => {
    const clock = fakeClock();
    let calls = 0;
    const cache = createSecretCache({
      load: async () => {
        calls++;
        if (calls === 1) throw new Error('AccessDeniedException');
        return SECRET;
      },
      now: clock.now,
      retryAfterErrorMs: 2000,
      onError: () => {},
    });
    await expect(cache.get()).rejects.toThrow('AccessDeniedException');
    await expect(cache.get()).rejects.toThrow('AccessDeniedException');
    expect(calls).toBe(1);
    clock.advance(2000);
    expect(await cache.get()).toBe(SECRET);
    expect(calls).toBe(2);
  });

  it('a loader that throws synchronously is a failed read, not a crash', async () => {
    const cache = createSecretCache<string>({
      load: () => {
        throw new Error('boom');
      },
      onError: () => {},
    });
    await expect(cache.get()).rejects.toThrow('boom');
  });

  it('peek() gives the cached value without reading', async () => {
    const cache = createSecretCache({ load: async () => SECRET });
    expect(cache.peek()).toBeUndefined();
    await cache.get();
    expect(cache.peek()).toBe(SECRET);
    expect(cache.reads).toBe(1);
  });
});
