/**
 * PURE: what an apply event means on screen. Some events are a line and nothing more (a write,
 * a verification); some begin a step that takes a while (a deployment, a Lambda state, the
 * secret's replicas, a watch) or change what it is waiting for; some end one. Both progress
 * renderers (progress-plain.ts, progress-spinner.ts) read the same meanings, so a CI log and a
 * terminal tell the same story in the same words.
 */
import type { ApplyEvent } from '../../apply/events.js';
import { describeTraffic } from '../../plan/canary-traffic.js';
import { formatDuration } from '../../plan/duration.js';

/** A step that takes a while: one live line while it runs. */
export interface LiveStep {
  /** One per thing waited on: a distribution, a function, the secret. */
  key: string;
  /** What is waited on, as the live line starts: a distribution id, `function <name>`, `secret <name>`. */
  label: string;
  /** What it waits for, e.g. "waiting until Deployed". */
  step: string;
}

/** The step attach begins with (progress option `resources`), ended by `resources-applied`. */
export const RESOURCES_STEP: LiveStep = { key: 'resources', label: 'resources', step: 'applying the secret, role, functions and cache policies' };

const distributionKey = (id: string) => `distribution ${id}`;
const functionKey = (name: string) => `function ${name}`;
const secretKey = (name: string) => `secret ${name}`;

/** `3s`, `1m05s`, `1h02m`: how long a step has taken (seconds are noise past an hour). */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** Lambda's states, as waitUntilFunctionReady names them, in words. */
function functionStep(state: string): string {
  if (state === 'Pending') return 'waiting until Lambda makes it Active (State Pending)';
  if (state === 'update InProgress') return 'waiting until Lambda finishes updating it (LastUpdateStatus InProgress)';
  return `waiting for Lambda (${state})`;
}

/** The step `event` begins, or moves to (same key, new words), if any. */
export function beginsStep(event: ApplyEvent): LiveStep | undefined {
  switch (event.type) {
    case 'waiting':
      return { key: distributionKey(event.id), label: event.id, step: 'waiting until Deployed' };
    case 'watching':
      return { key: distributionKey(event.id), label: event.id, step: `watching its Lambda@Edge errors for ${formatDuration(event.windowMs)} (limit ${event.maxErrorRate}%)` };
    case 'function-waiting':
      return { key: functionKey(event.name), label: `function ${event.name}`, step: functionStep(event.state) };
    case 'secret-replicating':
      return { key: secretKey(event.name), label: `secret ${event.name}`, step: `waiting until its new replicas are InSync (${event.state})` };
    default:
      return undefined;
  }
}

/** The key of the step `event` ends, if any. */
export function endsStep(event: ApplyEvent): string | undefined {
  switch (event.type) {
    case 'resources-applied':
      return RESOURCES_STEP.key;
    case 'deployed':
    case 'watched':
    // A watch that saw the change fail ends in its rollback, with no verdict of its own.
    case 'rolled-back':
      return distributionKey(event.id);
    case 'function-ready':
      return functionKey(event.name);
    case 'secret-replicated':
      return secretKey(event.name);
    default:
      return undefined;
  }
}

/** ` after 1m05s` when it is known how long the step took. */
const after = (tookMs: number | undefined) => (tookMs === undefined ? '' : ` after ${formatElapsed(tookMs)}`);

/** The line that tells `event` (undefined: nothing to tell; deletions are told once, in the summary). */
export function eventLine(event: ApplyEvent, tookMs?: number): string | undefined {
  switch (event.type) {
    case 'resources-applied':
      return `Secret, role, functions and cache policies are in place${after(tookMs)}.`;
    case 'written':
      return `${event.id}: updated (ETag ${event.etag}).`;
    case 'waiting':
      return `${event.id}: waiting until Deployed…`;
    case 'deployed':
      return `${event.id}: Deployed${after(tookMs)}.`;
    case 'verified':
      return `${event.id}: ${event.url} answered ${event.status}.`;
    case 'watching':
      return `${event.id}: watching its Lambda@Edge errors for ${formatDuration(event.windowMs)} (limit ${event.maxErrorRate}%)…`;
    case 'watched':
      return `${event.id}: watched: ${event.reason}.`;
    case 'rolled-back':
      return event.revision ? `✓ ${event.id}: rolled back (revision ${event.revision}).` : `${event.id}: rolled back to how it was before this attach.`;
    case 'secret-rolled-back':
      return `✓ the secret ${event.name}: its values rolled back (AWSCURRENT is version ${event.version}).`;
    case 'staging-written':
      return `${event.id}: staging copy of ${event.primaryId} ${event.created ? `made (${event.arn}) and ` : ''}given the change.`;
    case 'policy-written':
      return `${event.id}: continuous deployment policy for ${event.primaryId} set: ${describeTraffic(event.traffic)} to the staging copy.`;
    case 'policy-attached':
      return `${event.id}: policy ${event.policyId} attached (nothing else changed).`;
    case 'policy-detached':
      return `${event.id}: policy ${event.policyId} detached.`;
    case 'promoted':
      return `${event.id}: promoted from ${event.stagingId} (ETag ${event.etag}).`;
    case 'function-waiting':
      return `function ${event.name}: ${functionStep(event.state)}…`;
    case 'function-ready':
      return `function ${event.name}: ready${after(tookMs)}.`;
    case 'secret-replicating':
      return `secret ${event.name}: waiting until its new replicas are InSync (${event.state})…`;
    case 'secret-replicated':
      return `secret ${event.name}: its new replicas are InSync${after(tookMs)}.`;
    case 'deleted':
    case 'resource-waiting':
      return undefined;
  }
}

/** The line for a step still running when the command stops (an interrupt, a failure, a timeout). */
export function stoppedLine(step: LiveStep, tookMs: number): string {
  return `${step.label}: ${step.step}, stopped after ${formatElapsed(tookMs)}.`;
}

/** The line a long step repeats now and then in a log, so a CI job is never silent for minutes. */
export function stillLine(step: LiveStep, tookMs: number): string {
  return `${step.label}: still ${step.step} (${formatElapsed(tookMs)} so far)…`;
}
