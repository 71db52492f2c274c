/** AWS's runtime dates, as the planner applies them (manifest/runtimes.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNTIME, RUNTIME_IDS, runtimeLifecycle } from '../../src/manifest/runtimes.js';
import { checkRuntimes } from '../../src/plan/attach.js';
import type { FunctionChange, VersionChange } from '../../src/plan/resources.js';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

function planned(runtime: string, action: FunctionChange['action'], runtimeBefore?: string): { functions: [FunctionChange, VersionChange][] } {
  const fn = { kind: 'function', action, key: 'proxy', name: 'fp-proxy-proxy', settings: { runtime }, ...(runtimeBefore ? { runtimeBefore } : {}) } as FunctionChange;
  return { functions: [[fn, {} as VersionChange]] };
}

describe('runtimes', () => {
  it('the default is the newest Node.js runtime, nodejs24.x; the accepted ones are the Node.js rows of the table', () => {
    expect(DEFAULT_RUNTIME).toBe('nodejs24.x');
    expect(RUNTIME_IDS).toEqual(['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x']);
  });

  it('a runtime is refused from its block date (create, then update), with the date and the replacement', () => {
    expect(runtimeLifecycle('nodejs20.x', at('2027-01-31'), 'create').refused).toBeUndefined();
    expect(runtimeLifecycle('nodejs20.x', at('2027-02-01'), 'create').refused).toBe(
      'runtime nodejs20.x can no longer be used to create Lambda functions: AWS blocked it on 2027-02-01 (deprecated 2026-04-30). Use nodejs24.x',
    );
    // Updates are blocked a month later than creates.
    expect(runtimeLifecycle('nodejs20.x', at('2027-02-15'), 'update').refused).toBeUndefined();
    expect(runtimeLifecycle('nodejs20.x', at('2027-03-03'), 'update').refused).toContain('AWS blocked it on 2027-03-03');
    // Running is never refused: the function keeps running.
    expect(runtimeLifecycle('nodejs20.x', at('2030-01-01'), 'run').refused).toBeUndefined();
  });

  it('a deprecated runtime, or one within six months of deprecation, is a warning', () => {
    expect(runtimeLifecycle('nodejs20.x', at('2026-12-02'), 'create').warning).toContain('was deprecated by AWS on 2026-04-30: creating functions on it is blocked from 2027-02-01');
    expect(runtimeLifecycle('nodejs22.x', at('2026-12-02'), 'create').warning).toBe(
      'runtime nodejs22.x is deprecated by AWS on 2027-04-30 (creating functions on it is blocked from 2027-06-01). Move to nodejs24.x',
    );
    expect(runtimeLifecycle('nodejs22.x', at('2026-10-01'), 'create')).toEqual({});
    expect(runtimeLifecycle('nodejs24.x', at('2026-12-02'), 'create')).toEqual({});
  });

  it('the planner refuses a create or update past the block date (exit 2), and notes a deprecated runtime', () => {
    expect(() => checkRuntimes(planned('nodejs18.x', 'create'), at('2027-02-02'))).toThrow(/functions\.proxy: runtime nodejs18\.x can no longer be used to create .* Set "runtime": "nodejs24\.x"/);
    expect(() => checkRuntimes(planned('nodejs18.x', 'create'), at('2027-02-02'))).toThrow(expect.objectContaining({ exitCode: 2 }));
    // Nothing written to a function that stays as it is: a note, not a refusal.
    expect(checkRuntimes(planned('nodejs18.x', 'none'), at('2027-06-01'))).toEqual([expect.stringContaining('functions.proxy: runtime nodejs18.x was deprecated by AWS on 2025-09-01')]);
    expect(checkRuntimes(planned('nodejs24.x', 'create'), at('2026-12-02'))).toEqual([]);
  });

  it('a custom handler moved from a runtime that runs callbacks to nodejs24.x is warned about (built-in handlers are async)', () => {
    const notes = checkRuntimes(planned('nodejs24.x', 'update', 'nodejs22.x'), at('2026-06-01'), { proxy: './edge/proxy.ts' });
    expect(notes).toEqual([
      'functions.proxy: runtime nodejs22.x → nodejs24.x: nodejs24.x does not run callback-style handlers (handler(event, context, callback)); the handler must be async or return a promise, or it fails on every request. Pin "runtime": "nodejs22.x" until it is.',
    ]);
    expect(checkRuntimes(planned('nodejs24.x', 'update', 'nodejs22.x'), at('2026-06-01'), { proxy: 'builtin:first-party-proxy' })).toEqual([]);
    // Between runtimes that both run callbacks, nothing to say.
    expect(checkRuntimes(planned('nodejs22.x', 'update', 'nodejs20.x'), at('2026-01-01'), { proxy: './edge/proxy.ts' })).toEqual([]);
  });
});
