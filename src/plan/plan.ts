/**
 * PURE: what every command's plan has in common — resource changes, per-distribution changes,
 * what is deliberately kept — and its verdict: whether there is anything to do, whether it is
 * blocked and why (with the exit code that means), and the summary counts. The CLI reads the
 * verdict; it never derives one. Each command's plan (attach.ts, rollback.ts, detach.ts,
 * gc.ts) extends this with what its apply step needs. A plan never holds a secret value.
 */
import { summarize, type Change, type Summary } from './changes.js';
import type { DistributionPlan } from './distribution.js';

export type Command = 'attach' | 'rollback' | 'detach' | 'gc' | 'promote' | 'abort';

/** A resource the command leaves in place, and why (detach, gc). */
export interface Kept {
  /** `function:<name>`, `version:<name>:<n>`, … (addresses.ts, formatResource). */
  resource: string;
  reason: string;
}

/** Why nothing may be written: a conflict with what exists (exit 1) or bad input (exit 2). */
export interface Blocker {
  distributionId?: string;
  kind: 'conflict' | 'input';
  reason: string;
}

export interface Verdict {
  /** Something would be created, updated or deleted. */
  hasChanges: boolean;
  /** Non-empty: nothing will be written. */
  blocked: Blocker[];
  /** 2 when bad input blocks the plan, 1 for a conflict, 0 when nothing blocks it. */
  blockedExitCode: 0 | 1 | 2;
  summary: Summary;
}

export interface PlanBase {
  command: Command;
  integration: string;
  resources: Change[];
  distributions: DistributionPlan[];
  kept: Kept[];
  /** What the reader should know about the plan as a whole (detach: replicas, the secret's recovery window). */
  notes: string[];
  verdict: Verdict;
}

export function verdictOf(resources: readonly Change[], distributions: readonly DistributionPlan[], extra: readonly Blocker[] = []): Verdict {
  const summary = summarize([...resources, ...distributions.flatMap((d) => d.changes)]);
  const blocked: Blocker[] = [
    ...distributions.flatMap((d) => [
      ...d.errors.map((reason): Blocker => ({ distributionId: d.id, kind: 'input', reason })),
      ...d.conflicts.map((reason): Blocker => ({ distributionId: d.id, kind: 'conflict', reason })),
    ]),
    ...extra,
  ];
  return {
    hasChanges: summary.create + summary.update + summary.delete > 0,
    blocked,
    blockedExitCode: blocked.some((b) => b.kind === 'input') ? 2 : blocked.length ? 1 : 0,
    summary,
  };
}

/** The blockers in one line; each names its distribution when the plan covers several. */
export function blockedReasons(plan: Pick<PlanBase, 'distributions' | 'verdict'>): string {
  const several = plan.distributions.length > 1;
  return plan.verdict.blocked.map((b) => (several && b.distributionId ? `${b.distributionId}: ${b.reason}` : b.reason)).join('; ');
}
