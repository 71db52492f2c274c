/**
 * Failures injected through the admin API: a fault makes the (after+1)-th next call of an
 * operation fail `times` times; throttling fails a seeded share of all calls with the
 * service's own throttling error, so the SDK's real retry logic is what recovers.
 *
 * A hold (`hold: true` instead of `error`) is counted the same way, but instead of failing
 * the call it parks it before the operation runs, its HTTP request left open, until the
 * admin API releases it; then the call runs as it would have. `hold: "after"` runs the
 * operation first and parks its answer: the change is made, the client has not heard of it
 * yet — the moment a client that is killed then never records it. No timers: a held call
 * waits on a promise that `release` resolves.
 */
import { AwsError, defaultStatusFor } from './errors.js';

export interface FaultSpec {
  /** Operation name (`UpdateDistribution`), or `*` for any operation. */
  operation: string;
  /** Optional service filter, for names several services share (TagResource). */
  service?: string;
  /** Only count and fail mutating calls (useful with `*`). */
  mutatingOnly?: boolean;
  /** The AWS error code to fail with; a fault has either this or `hold`. */
  error?: string;
  /**
   * With `error`: fail the call only after it has run — the change is made and the client gets
   * the error, as when S3 or CloudFront commits a write and its answer is lost (a 500 on the
   * way back). The SDK's retry then meets the change it already made.
   */
  afterRunning?: boolean;
  /** Hold the call (keep its request open) until released, instead of failing it: before it runs (`true`, "before") or after, holding its answer ("after"). */
  hold?: boolean | 'before' | 'after';
  status?: number;
  message?: string;
  /** Let this many matching calls through first. */
  after?: number;
  /** Fail (or hold) this many matching calls (default 1). */
  times?: number;
}

interface ActiveFault extends FaultSpec {
  passesLeft: number;
  failuresLeft: number;
}

/** What GET /_sandbox/held lists. */
export interface HeldCall {
  id: number;
  service: string;
  operation: string;
}

/** Which held calls POST /_sandbox/release lets go; no filter releases them all. */
export interface ReleaseFilter {
  id?: number;
  operation?: string;
}

/** How a hold ended: released (run the call) or dropped (its client went away). */
export type HoldOutcome = 'released' | 'dropped';

interface HeldEntry extends HeldCall {
  settle(outcome: HoldOutcome): void;
  /** Resolves when the held request has picked up again after a release, with a promise of its answer. */
  resumed: Promise<{ answered: Promise<void> }>;
}

/** One parked call, as the request path sees it. */
export interface HoldHandle {
  id: number;
  /** Settles when the call is released or dropped. */
  outcome: Promise<HoldOutcome>;
  /** The request has picked up after a release; `answered` settles once its answer is sent. */
  resumed(answered: Promise<void>): void;
  /** Its client went away: take it off the held list without running it. */
  drop(): void;
}

/** What `check` decided for one call: hold it (before it runs, or its answer after), fail it (after any hold), or neither. */
export interface FaultDecision {
  hold: false | 'before' | 'after';
  error?: AwsError;
  /** The error replaces the answer of a call that has run (FaultSpec.afterRunning). */
  errorAfterRunning?: boolean;
}

/** mulberry32: a tiny seeded PRNG, so a throttled test run is repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private throttleRate = 0;
  private random: () => number = Math.random;
  private held: HeldEntry[] = [];
  private nextHoldId = 1;
  /** Admin requests waiting for the held list to reach a state (`whenHeld`), checked on every change. */
  private waiters: { done: (held: HeldCall[]) => boolean }[] = [];

  addFault(spec: FaultSpec): void {
    if (typeof spec.operation !== 'string' || !spec.operation) throw new Error('a fault needs an "operation" string');
    const hasError = spec.error !== undefined;
    const hasHold = spec.hold !== undefined && spec.hold !== false;
    if (hasError === hasHold) throw new Error('a fault needs exactly one of "error" (an AWS error code) or "hold": true');
    if (hasError && (typeof spec.error !== 'string' || !spec.error)) throw new Error('"error" must be a non-empty string');
    if (hasHold && spec.hold !== true && spec.hold !== 'before' && spec.hold !== 'after') throw new Error('"hold" must be true, "before" or "after"');
    if (spec.afterRunning !== undefined && (typeof spec.afterRunning !== 'boolean' || !hasError)) throw new Error('"afterRunning" (true or false) goes with "error": the call runs, then answers with the error');
    this.faults.push({ ...spec, passesLeft: spec.after ?? 0, failuresLeft: spec.times ?? 1 });
  }

  listFaults(): FaultSpec[] {
    return this.faults.filter((f) => f.failuresLeft > 0);
  }

  setThrottle(rate: number, seed?: number): void {
    if (!(rate >= 0 && rate <= 1)) throw new Error('"rate" must be a number from 0 to 1');
    this.throttleRate = rate;
    this.random = seed === undefined ? Math.random : seededRandom(seed);
  }

  /** Drops every fault and the throttling, and releases every held call (so none is left hanging). */
  clear(): void {
    this.faults = [];
    this.throttleRate = 0;
    void this.release();
  }

  /**
   * Whether this call is held and the error it must fail with, if any. Counts the call
   * against every matching fault, in arrival order: a held call has already taken its turn
   * with the error faults and the throttle, and meets that outcome once released.
   */
  check(service: string, operation: string, mutating: boolean, throttleError: () => AwsError): FaultDecision {
    let failure: AwsError | undefined;
    let afterRunning = false;
    let hold: false | 'before' | 'after' = false;
    for (const fault of this.faults) {
      if (fault.failuresLeft <= 0) continue;
      if (fault.operation !== '*' && fault.operation !== operation) continue;
      if (fault.service && fault.service !== service) continue;
      if (fault.mutatingOnly && !mutating) continue;
      if (fault.passesLeft > 0) {
        fault.passesLeft--;
        continue;
      }
      if (fault.hold) {
        if (hold) continue;
        fault.failuresLeft--;
        hold = fault.hold === 'after' ? 'after' : 'before';
        continue;
      }
      if (failure) continue;
      fault.failuresLeft--;
      const code = fault.error!;
      failure = new AwsError(code, fault.status ?? defaultStatusFor(code), fault.message ?? `Injected fault: ${code} on ${operation}.`);
      afterRunning = !!fault.afterRunning;
    }
    if (!failure && this.throttleRate > 0 && this.random() < this.throttleRate) failure = throttleError();
    return { hold, error: failure, ...(afterRunning ? { errorAfterRunning: true } : {}) };
  }

  /**
   * Parks a call until it is released ('released': run it now) or `drop` is called
   * ('dropped': its client went away; do not run it). The call is listed by `listHeld`
   * meanwhile. Call the handle's `resumed` as soon as the request picks up after a release.
   */
  hold(service: string, operation: string): HoldHandle {
    const id = this.nextHoldId++;
    let settle!: (outcome: HoldOutcome) => void;
    const outcome = new Promise<HoldOutcome>((resolve) => (settle = resolve));
    let resume!: (value: { answered: Promise<void> }) => void;
    const resumed = new Promise<{ answered: Promise<void> }>((resolve) => (resume = resolve));
    this.held.push({ id, service, operation, settle, resumed });
    this.heldChanged();
    return {
      id,
      outcome,
      resumed: (answered) => resume({ answered }),
      drop: () => {
        const index = this.held.findIndex((entry) => entry.id === id);
        if (index < 0) return;
        this.held.splice(index, 1);
        settle('dropped');
        this.heldChanged();
      },
    };
  }

  /** The calls being held now, oldest first. */
  listHeld(): HeldCall[] {
    return this.held.map(({ id, service, operation }) => ({ id, service, operation }));
  }

  /**
   * Resolves with the held list once `ready` holds for it (at once if it does now): a test
   * waits for a call to be parked, or for none to be, on the event itself rather than by
   * polling against a clock. `cancel` drops the wait (its admin client went away).
   */
  whenHeld(ready: (held: HeldCall[]) => boolean): { result: Promise<HeldCall[]>; cancel: () => void } {
    const now = this.listHeld();
    if (ready(now)) return { result: Promise.resolve(now), cancel: () => {} };
    let resolve!: (held: HeldCall[]) => void;
    const result = new Promise<HeldCall[]>((r) => (resolve = r));
    const waiter = {
      done: (held: HeldCall[]) => {
        if (!ready(held)) return false;
        resolve(held);
        return true;
      },
    };
    this.waiters.push(waiter);
    return { result, cancel: () => (this.waiters = this.waiters.filter((w) => w !== waiter)) };
  }

  /** The held list changed: settle the waits it satisfies. */
  private heldChanged(): void {
    if (!this.waiters.length) return;
    const held = this.listHeld();
    this.waiters = this.waiters.filter((waiter) => !waiter.done(held));
  }

  /**
   * Releases the held calls matching the filter (all of them without one). Resolves with
   * how many were released once each has picked up again on its request path (the path
   * then runs to its answer synchronously) or, with `untilAnswered`, once each answer has
   * been sent (shutting down must not cut them off).
   */
  async release(filter: ReleaseFilter = {}, { untilAnswered = false } = {}): Promise<number> {
    const matches = (entry: HeldEntry): boolean =>
      (filter.id === undefined || entry.id === filter.id) && (filter.operation === undefined || entry.operation === filter.operation);
    const released = this.held.filter(matches);
    this.held = this.held.filter((entry) => !matches(entry));
    for (const entry of released) entry.settle('released');
    if (released.length) this.heldChanged();
    const resumed = await Promise.all(released.map((entry) => entry.resumed));
    if (untilAnswered) await Promise.all(resumed.map((r) => r.answered));
    return released.length;
  }
}
