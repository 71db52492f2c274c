/**
 * PURE: the one plan document (CLI.md, `plan --json`) for every command that changes
 * something — plan, attach, rollback, detach, gc. The text renderer (src/cli/render) reads the
 * same document, so what a user reads and what `--json` prints can never disagree; `plan
 * --out` saves it. Built by naming each member it takes (never by spreading a plan), so no
 * command can print a config member it does not own: the values shown are the owned parts
 * that change, never a distribution's whole config, and never a secret value.
 */
import { formatAddress } from './addresses.js';
import type { Change, Summary } from './changes.js';
import type { DistributionPlan } from './distribution.js';
import type { Kept, PlanBase } from './plan.js';

export interface ChangeDocument {
  action: Change['action'];
  kind: Change['address']['kind'];
  address: string;
  position?: number;
  before?: unknown;
  after?: unknown;
  replacedForeign?: string;
  reasons?: string[];
}

export interface DistributionDocument {
  id: string;
  etag: string;
  status?: string;
  changes: ChangeDocument[];
  /** Behavior path patterns in their final order. */
  order: string[];
  warnings: string[];
  conflicts: string[];
  errors: string[];
  /** What the command says about this distribution beyond its changes (rollback's mode). */
  notes?: string[];
}

export interface PlanDocument {
  version: 1;
  integration: string;
  resources: ChangeDocument[];
  distributions: DistributionDocument[];
  summary: Summary;
  /** Resources deliberately left in place, and why (detach, gc). */
  kept?: Kept[];
  notes?: string[];
}

export function changeDocument(change: Change): ChangeDocument {
  return {
    action: change.action,
    kind: change.address.kind,
    address: formatAddress(change.address),
    ...(change.position !== undefined ? { position: change.position } : {}),
    ...(change.before !== undefined ? { before: change.before } : {}),
    ...(change.after !== undefined ? { after: change.after } : {}),
    ...(change.replacedForeign ? { replacedForeign: change.replacedForeign } : {}),
    ...(change.reasons?.length ? { reasons: [...change.reasons] } : {}),
  };
}

export function distributionDocument(plan: DistributionPlan): DistributionDocument {
  return {
    id: plan.id,
    etag: plan.etag,
    ...(plan.status !== undefined ? { status: plan.status } : {}),
    changes: plan.changes.map(changeDocument),
    order: [...plan.order],
    warnings: [...plan.warnings],
    conflicts: [...plan.conflicts],
    errors: [...plan.errors],
    ...(plan.notes?.length ? { notes: [...plan.notes] } : {}),
  };
}

export function planDocument(plan: PlanBase): PlanDocument {
  return {
    version: 1,
    integration: plan.integration,
    resources: plan.resources.map(changeDocument),
    distributions: plan.distributions.map(distributionDocument),
    summary: { ...plan.verdict.summary },
    ...(plan.kept.length ? { kept: plan.kept.map((k) => ({ resource: k.resource, reason: k.reason })) } : {}),
    ...(plan.notes.length ? { notes: [...plan.notes] } : {}),
  };
}
