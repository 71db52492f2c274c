/**
 * Which writes landed on a key while a request was in flight: what S3's concurrency rules for
 * conditional requests turn on (S3 User Guide, "How to prevent object overwrites with
 * conditional writes", "Conditional write behavior"; "How to perform conditional deletes").
 *
 * In S3 a conditional request is evaluated when it completes (at the end of the PutObject
 * body), against what other requests completed on the key meanwhile. In the sandbox a request
 * is in flight from the moment its body has been read and its operation resolved until its
 * handler runs; without a hold those are the same instant, so only a request parked by a
 * `hold` fault (faults.ts, `sb.hold` in tests) sees writes land during its flight — which makes
 * the races deterministic. (The time a body takes to arrive is not observed: the front door
 * reads the whole body before the service sees the request.)
 *
 * A process-wide sequence numbers both arrivals and changes; a key's last change is kept in
 * memory per bucket record (not in the state, so a restart or reset starts clean — no request
 * survives either).
 */
import type { SandboxRequest } from '../request.js';
import type { S3BucketRecord } from '../world.js';

export type ChangeKind = 'write' | 'delete';

let sequence = 0;
const arrivals = new WeakMap<SandboxRequest, number>();
const lastChanges = new WeakMap<S3BucketRecord, Map<string, { at: number; kind: ChangeKind }>>();

/** Called when the request's operation is resolved (before any hold). */
export function markArrival(req: SandboxRequest): void {
  arrivals.set(req, ++sequence);
}

/** Called for every object written or removed. */
export function recordChange(bucket: S3BucketRecord, key: string, kind: ChangeKind): void {
  let changes = lastChanges.get(bucket);
  if (!changes) lastChanges.set(bucket, (changes = new Map()));
  changes.set(key, { at: ++sequence, kind });
}

/** The last change to the key that completed after this request arrived, if any. */
export function changedDuringFlight(req: SandboxRequest, bucket: S3BucketRecord, key: string): ChangeKind | undefined {
  const arrived = arrivals.get(req);
  const change = lastChanges.get(bucket)?.get(key);
  return arrived !== undefined && change !== undefined && change.at > arrived ? change.kind : undefined;
}
