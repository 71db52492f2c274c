/**
 * Progress while a command writes, on stderr: one line per event (they belong in CI logs too),
 * and on a terminal "… 1m30s elapsed" every 30 s while a deployment is awaited — plain lines
 * rather than an ora spinner, whose redrawing depends on the terminal's width and misbehaves
 * on unsized ptys.
 */
import type { ApplyEvent } from '../apply/events.js';
import { formatDuration } from '../plan/duration.js';
import { describeTraffic } from '../plan/canary-traffic.js';
import type { CommandContext } from './context.js';

function describe(event: ApplyEvent): string | undefined {
  switch (event.type) {
    case 'resources-applied':
      return 'Secret, role, functions and cache policies are in place.';
    case 'written':
      return `${event.id}: updated (ETag ${event.etag}).`;
    case 'waiting':
      return `${event.id}: waiting until Deployed…`;
    case 'deployed':
      return `${event.id}: Deployed.`;
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
    default:
      // Deletions are reported once, in the summary.
      return undefined;
  }
}

export interface Progress {
  onEvent(event: ApplyEvent): void;
  stop(): void;
}

export function progress(ctx: CommandContext): Progress {
  const onEvent = (event: ApplyEvent) => {
    const text = describe(event);
    if (text) ctx.err(text);
  };
  if (!ctx.io.stderr.isTTY) return { onEvent, stop: () => {} };
  const started = Date.now();
  const timer = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    ctx.err(`  … ${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s elapsed`);
  }, 30_000);
  timer.unref();
  return { onEvent, stop: () => clearInterval(timer) };
}

