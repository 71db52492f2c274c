import { RuntimeError, UsageError } from '../errors.js';
import { blockedReasons, type PlanBase } from '../plan/plan.js';

/** The error for a plan its verdict blocks: exit 2 for bad input, 1 for a conflict. Nothing was written. */
export function blockedError(lead: string, plan: Pick<PlanBase, 'distributions' | 'verdict'>): Error {
  const message = `${lead}: ${blockedReasons(plan)}`;
  return plan.verdict.blockedExitCode === 2 ? new UsageError(message) : new RuntimeError(message);
}
