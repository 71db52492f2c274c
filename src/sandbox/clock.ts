/**
 * The sandbox's clock: real time plus an offset that `POST /_sandbox/advance` moves forward.
 * Everything time-based (deployments, Lambda state, IAM propagation, replica removal) is
 * stored as an absolute due time and compared with `now()` when read, so advancing the
 * clock needs no timers and a restart with a state file keeps every pending transition.
 */
export class Clock {
  constructor(public offsetMs = 0) {}

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }
}
