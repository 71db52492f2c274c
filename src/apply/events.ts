/**
 * What the apply steps report while they run (the CLI shows them on stderr), what every
 * applying command is given besides its plan and clients, and what it says per distribution.
 */
import type { Timing } from '../aws/polling.js';
import type { CanaryTraffic } from '../plan/canary-traffic.js';
import type { StateStore } from '../state/store.js';

export type ApplyEvent =
  | { type: 'resources-applied' }
  | { type: 'written'; id: string; etag: string }
  | { type: 'waiting'; id: string }
  | { type: 'deployed'; id: string }
  | { type: 'verified'; id: string; url: string; status: number }
  | { type: 'watching'; id: string; windowMs: number; maxErrorRate: number }
  | { type: 'watched'; id: string; reason: string }
  | { type: 'rolled-back'; id: string; revision?: string }
  | { type: 'secret-rolled-back'; name: string; version: string }
  | { type: 'deleted'; resource: string }
  | { type: 'resource-waiting'; resource: string; reason: string }
  /**
   * Lambda has not settled a function yet (State Pending after a create, LastUpdateStatus
   * InProgress after an update): sent when a read first finds it so, and again if the state
   * changes; `function-ready` follows once it has settled. Never sent for a function that was
   * ready at the first read, so a quick step prints nothing extra.
   */
  | { type: 'function-waiting'; name: string; state: string }
  | { type: 'function-ready'; name: string }
  /** The secret's new replica regions are not InSync yet (`state` names them); `secret-replicated` follows. */
  | { type: 'secret-replicating'; name: string; state: string }
  | { type: 'secret-replicated'; name: string }
  | { type: 'staging-written'; id: string; arn: string; primaryId: string; created: boolean }
  | { type: 'policy-written'; id: string; primaryId: string; traffic: CanaryTraffic }
  | { type: 'policy-attached'; id: string; policyId: string }
  | { type: 'policy-detached'; id: string; policyId: string }
  | { type: 'promoted'; id: string; stagingId: string; etag: string };

export interface ApplyRuntime {
  /** Where revisions (and the journal) are recorded. */
  state: StateStore;
  timing: Timing;
  /** Aborted on SIGINT/SIGTERM: the step in flight finishes (and is recorded), no new one starts. */
  signal?: AbortSignal;
  onEvent?: (event: ApplyEvent) => void;
}

/** How one distribution ended. */
export interface DistributionResult {
  id: string;
  ok: boolean;
  /** The distribution carries this run's change (a failure after the write leaves it written). */
  written: boolean;
  etag?: string;
  status?: string;
  revision?: string;
  error?: Error;
}
