/**
 * PURE: what `attach --canary`, `promote` and `abort` print when they are done — a line per
 * primary, how to try the canary (curl with the header, or the share of traffic), how to
 * finish it — and their `--json` documents.
 */
import type { CanaryResult } from '../../apply/canary.js';
import { describeTraffic, type CanaryTraffic } from '../../plan/canary-traffic.js';
import { errorLine } from '../errors.js';

/** A header value quoted for a POSIX shell. */
const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The lines that tell how to try and finish a running canary on one primary. */
export function canaryHowTo(primaryId: string, host: string, traffic: CanaryTraffic): string[] {
  const lines: string[] = [];
  if (traffic.type === 'header') lines.push(`  Try it:   curl -H ${quoted(`${traffic.header}: ${traffic.value}`)} https://${host}/   (without the header: the primary)`);
  else lines.push(`  Try it:   ${describeTraffic(traffic)} to https://${host}/ reach the staging copy; compare with edge-install status --metrics`);
  lines.push(`  Promote:  edge-install promote --distribution ${primaryId}   (the staging config becomes the primary's; recorded, so rollback undoes it)`);
  lines.push(`  Abort:    edge-install abort --distribution ${primaryId}     (the primary stays exactly as it is; --delete-staging removes the copy)`);
  return lines;
}

/** One primary after attach --canary: what runs, and how to go on. */
export function canaryLines(results: CanaryResult[], traffic: CanaryTraffic, hosts: Record<string, string>): string[] {
  return results.flatMap((r) => {
    if (!r.ok) {
      const done = [r.revision ? `phase 1 written (revision ${r.revision})` : '', r.stagingId ? `staging copy ${r.stagingId} written` : ''].filter(Boolean).join(', ');
      return [`✗ ${r.primaryId}: ${errorLine(r.error)}${done ? ` (${done}; run attach --canary again to finish, or edge-install abort)` : ''}`];
    }
    return [
      `✓ ${r.primaryId}: canary running: ${describeTraffic(traffic)} go to the staging copy ${r.stagingId} (${r.stagingDomain})${r.revision ? `; phase 1 recorded as revision ${r.revision}` : ''}.`,
      ...canaryHowTo(r.primaryId, hosts[r.primaryId] ?? '', traffic),
    ];
  });
}

/** `attach --canary --json`. */
export function canaryDocument(results: CanaryResult[], traffic: CanaryTraffic) {
  return {
    version: 1,
    canary: results.map((r) => ({
      primary: r.primaryId,
      ok: r.ok,
      staging: r.stagingId ?? null,
      stagingDomainName: r.stagingDomain ?? null,
      policy: r.policyId ?? null,
      traffic,
      ...(r.revision ? { revision: r.revision } : {}),
      ...(r.error ? { error: errorLine(r.error) } : {}),
    })),
  };
}
