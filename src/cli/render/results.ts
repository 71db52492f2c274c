/**
 * What the applying commands print when they are done: a line per distribution and resource
 * on stderr, and the `--json` result documents of CLI.md (attach) and their kin (rollback,
 * detach, gc). The plan itself was shown before, from the plan document (plan-text.ts).
 */
import type { AttachResult } from '../../apply/attach.js';
import type { ResourceOutcome } from '../../apply/delete-resources.js';
import type { DetachResult } from '../../apply/detach.js';
import type { DistributionResult } from '../../apply/events.js';
import type { GcOutcome } from '../../apply/gc.js';
import type { RolledBack } from '../../apply/rollback.js';
import type { ObservedDistribution } from '../../aws/observe/distribution.js';
import { resourceText } from '../../plan/addresses.js';
import type { Summary } from '../../plan/changes.js';
import type { Kept } from '../../plan/plan.js';
import { errorLine } from '../errors.js';

const distributionDocument = (d: DistributionResult) => ({
  id: d.id,
  etag: d.etag ?? null,
  status: d.ok ? (d.status ?? null) : 'Failed',
  ...(d.revision ? { revision: d.revision } : {}),
  ...(d.error ? { error: errorLine(d.error) } : {}),
});

/** `attach --json` (CLI.md). */
export function attachDocument(result: AttachResult, summary: Summary) {
  const revisions = result.distributions.map((d) => d.revision).filter(Boolean);
  return {
    version: 1,
    revision: revisions.at(-1) ?? null,
    distributions: result.distributions.map(({ revision: _r, ...d }) => distributionDocument(d)),
    functions: Object.values(result.resources.functions).map((f) => ({ name: f.name, arn: f.arn, version: f.version, codeSha256: f.codeSha256, codeSize: f.codeSize })),
    summary,
  };
}

/** `attach --json` when there was nothing to change. */
export function unchangedAttachDocument(observed: ObservedDistribution[], summary: Summary) {
  return { version: 1, revision: null, distributions: observed.map((d) => ({ id: d.id, etag: d.etag, status: d.status })), functions: [], summary };
}

/** One line per distribution: applied (with its revision), unchanged, or why it failed. */
export function distributionLines(results: DistributionResult[], done: string, unchanged: string, withErrors: boolean): string[] {
  return results.flatMap((d) => {
    if (d.ok) return [`✓ ${d.id}: ${d.written ? `${done}${d.revision ? `, revision ${d.revision}` : ''}` : unchanged}`];
    return withErrors ? [`✗ ${d.id}: ${errorLine(d.error)}`] : [];
  });
}

export function rollbackDocument(results: RolledBack[]) {
  return { version: 1, distributions: results };
}

export function detachDocument(integration: string, result: DetachResult, targets: { resource: string; keep?: string }[]) {
  const resources = result.resources;
  return {
    version: 1,
    integration,
    distributions: result.distributions.map(distributionDocument),
    deleted: resources?.deleted ?? [],
    untagged: resources?.untagged ?? [],
    waiting: resources?.waiting ?? [],
    kept: resources?.kept ?? targets.map((r) => ({ resource: r.resource, reason: r.keep ?? 'not deleted: a distribution failed to detach' })),
    failed: resources?.failed ?? [],
    secret: resources?.secret ?? null,
  };
}

/** What detach did to the resources, line by line. */
export function resourceLines(r: ResourceOutcome | undefined): string[] {
  if (!r) return ['No resource was deleted: a distribution failed to detach. Fix that, then run detach again.'];
  const lines: string[] = [];
  const deletedText = (resource: string) => (resource.startsWith('secret:') ? `${resourceText(resource)} (scheduled for deletion)` : resourceText(resource));
  if (r.deleted.length) lines.push(`Deleted: ${r.deleted.map(deletedText).join(', ')}`);
  if (r.untagged.length) lines.push(`Left in place (adopted: edge-install did not create ${r.untagged.length > 1 ? 'them' : 'it'}; its tags removed): ${r.untagged.map(resourceText).join(', ')}`);
  for (const w of r.waiting) lines.push(`Waiting: ${resourceText(w.resource)}: ${w.reason}`);
  for (const k of r.kept) lines.push(`Kept: ${resourceText(k.resource)}: ${k.reason}`);
  for (const f of r.failed) lines.push(`✗ ${resourceText(f.resource)}: ${f.reason}`);
  if (r.secret) {
    const when = r.secret.deletionDate ? ` on ${r.secret.deletionDate}` : '';
    lines.push(`The secret ${r.secret.name} is scheduled for deletion${when}; until then it can be restored with: ${r.secret.restore}`);
    if (r.secret.removedReplicaRegions.length) lines.push(`  Its replicas in ${r.secret.removedReplicaRegions.join(', ')} were removed first (Secrets Manager requires it); attach adds them back.`);
  }
  return lines;
}

export function gcDocument(integration: string, outcome: GcOutcome, kept: Kept[]) {
  return { version: 1, integration, dryRun: false, deleted: outcome.deleted, waiting: outcome.waiting, kept, failed: outcome.failed };
}

export function gcLines(outcome: GcOutcome): string[] {
  return [
    ...(outcome.deleted.length ? [`Deleted: ${outcome.deleted.map(resourceText).join(', ')}`] : []),
    ...outcome.waiting.map((w) => `Waiting: ${resourceText(w.resource)}: ${w.reason}`),
    ...outcome.failed.map((f) => `✗ ${resourceText(f.resource)}: ${f.reason}`),
  ];
}
