/**
 * PURE: the Plan value — resource changes plus, per distribution, origin / behavior /
 * association changes — and its JSON document (CLI.md, `plan --json`). A plan never holds a
 * secret value: secret keys appear by name, sensitive ones as "(sensitive)".
 */
import type { Manifest } from '../manifest/schema.js';
import type { DistributionPlan } from './distribution.js';
import { resourceChanges, type ResourceChange, type ResourcePlan } from './resources.js';

export const SENSITIVE = '(sensitive)';

export interface Plan {
  integration: string;
  manifest: Manifest;
  resources: ResourcePlan;
  distributions: DistributionPlan[];
}

export interface PlanChangeDocument {
  action: 'create' | 'update' | 'delete';
  kind: string;
  address: string;
  position?: number;
  before?: unknown;
  after?: unknown;
  replacedForeign?: string;
  reasons?: string[];
}

export interface PlanDocument {
  version: 1;
  integration: string;
  resources: PlanChangeDocument[];
  distributions: { id: string; etag: string; status?: string; changes: PlanChangeDocument[]; order: string[]; warnings: string[]; conflicts: string[]; errors: string[] }[];
  summary: { create: number; update: number; delete: number };
}

/** What a resource change shows: names and settings, never values of the secret. */
function resourceAfter(change: ResourceChange, manifest: Manifest): unknown {
  switch (change.kind) {
    case 'secret': {
      const keys = Object.fromEntries(
        Object.entries(manifest.secret?.keys ?? {}).map(([key, spec]) => [key, spec.sensitive ? SENSITIVE : (spec.value ?? null)]),
      );
      return { name: change.name, region: change.region, keys, keysToWrite: change.keysToWrite, replicaRegions: manifest.secret?.replicaRegions ?? [] };
    }
    case 'role':
      return { name: change.name, trustPolicy: change.trustPolicy, [change.policyName]: change.executionPolicy };
    case 'function':
      return { name: change.name, ...change.settings, codeSha256: change.codeSha256, codeSize: change.codeSize };
    case 'version':
      return { function: change.name, codeSha256: change.codeSha256 };
    case 'cache-policy':
      return change.config;
  }
}

function resourceDocuments(plan: Plan): PlanChangeDocument[] {
  return resourceChanges(plan.resources)
    .filter((c) => c.action !== 'none')
    .map((c) => ({
      action: c.action as 'create' | 'update',
      kind: c.kind,
      address: c.address,
      after: resourceAfter(c, plan.manifest),
      ...(c.kind === 'function' && c.reasons.length ? { reasons: c.reasons } : {}),
    }));
}

export function planDocument(plan: Plan): PlanDocument {
  const resources = resourceDocuments(plan);
  const distributions = plan.distributions.map((d) => ({
    id: d.id,
    etag: d.etag,
    status: d.status,
    changes: d.changes as PlanChangeDocument[],
    order: d.order,
    warnings: d.warnings,
    conflicts: d.conflicts,
    errors: d.errors,
  }));
  const all = [...resources, ...distributions.flatMap((d) => d.changes)];
  const count = (action: string) => all.filter((c) => c.action === action).length;
  return { version: 1, integration: plan.integration, resources, distributions, summary: { create: count('create'), update: count('update'), delete: count('delete') } };
}

export function hasChanges(plan: Plan): boolean {
  const doc = planDocument(plan);
  return doc.summary.create + doc.summary.update + doc.summary.delete > 0;
}
