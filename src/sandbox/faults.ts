/**
 * Failures injected through the admin API: a fault makes the (after+1)-th next call of an
 * operation fail `times` times; throttling fails a seeded share of all calls with the
 * service's own throttling error, so the SDK's real retry logic is what recovers.
 */
import { AwsError, defaultStatusFor } from './errors.js';

export interface FaultSpec {
  /** Operation name (`UpdateDistribution`), or `*` for any operation. */
  operation: string;
  /** Optional service filter, for names several services share (TagResource). */
  service?: string;
  /** Only count and fail mutating calls (useful with `*`). */
  mutatingOnly?: boolean;
  error: string;
  status?: number;
  message?: string;
  /** Let this many matching calls through first. */
  after?: number;
  /** Fail this many matching calls (default 1). */
  times?: number;
}

interface ActiveFault extends FaultSpec {
  passesLeft: number;
  failuresLeft: number;
}

/** mulberry32: a tiny seeded PRNG, so a throttled test run is repeatable. */
function seededRandom(seed: number): () => number {
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

  addFault(spec: FaultSpec): void {
    if (typeof spec.operation !== 'string' || typeof spec.error !== 'string' || !spec.operation || !spec.error) {
      throw new Error('a fault needs "operation" and "error" strings');
    }
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

  clear(): void {
    this.faults = [];
    this.throttleRate = 0;
  }

  /** The error this call must fail with, if any. Counts the call against every matching fault. */
  check(service: string, operation: string, mutating: boolean, throttleError: () => AwsError): AwsError | undefined {
    let failure: AwsError | undefined;
    for (const fault of this.faults) {
      if (fault.failuresLeft <= 0) continue;
      if (fault.operation !== '*' && fault.operation !== operation) continue;
      if (fault.service && fault.service !== service) continue;
      if (fault.mutatingOnly && !mutating) continue;
      if (fault.passesLeft > 0) {
        fault.passesLeft--;
        continue;
      }
      if (failure) continue;
      fault.failuresLeft--;
      failure = new AwsError(
        fault.error,
        fault.status ?? defaultStatusFor(fault.error),
        fault.message ?? `Injected fault: ${fault.error} on ${operation}.`,
      );
    }
    if (failure) return failure;
    if (this.throttleRate > 0 && this.random() < this.throttleRate) return throttleError();
    return undefined;
  }
}
