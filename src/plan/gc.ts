/**
 * PURE: `gc` assembled — which of the integration's Lambda versions, and whole functions, no
 * distribution in the account uses any more (deleted), and which stay and why (attached
 * somewhere, too young for --min-age, not tagged as the integration's).
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { AccountAssociation } from '../aws/observe/account-associations.js';
import type { ObservedOwnedFunction } from '../aws/observe/owned-functions.js';
import { notTaggedReason } from '../manifest/naming.js';
import { formatResource, type ResourceKind } from './addresses.js';
import type { Change } from './changes.js';
import { formatDuration } from './duration.js';
import { verdictOf, type Kept, type PlanBase } from './plan.js';

/** Everything gc reads (gather/gc.ts). */
export interface GcInputs {
  integration: string;
  /** The integration's functions (named by the manifest, a revision or its prefix, and tagged as its). */
  functions: ObservedOwnedFunction[];
  /** Functions the manifest or a revision names that exist without the owner tag. */
  untagged: string[];
  /** The integration's functions it adopted (they existed before it): never deleted, nor their versions. */
  adopted?: string[];
  /** Every Lambda@Edge association in the account. */
  associations: AccountAssociation[];
}

export interface GcOptions {
  /** Versions and functions changed more recently than this are kept (0: no age limit). */
  minAgeMs: number;
  /** The time ages are measured from. */
  now: number;
}

export interface GcTarget {
  kind: Extract<ResourceKind, 'version' | 'function'>;
  /** `version:<function>:<n>` or `function:<name>`. */
  resource: string;
  functionName: string;
  version?: string;
  /** For a whole function: its published versions (tried one by one if the function must wait). */
  versions?: string[];
}

export interface GcPlan extends PlanBase {
  command: 'gc';
  targets: GcTarget[];
}

/** Lambda's `2024-01-02T03:04:05.678+0000`; undefined when absent or unreadable. */
function modifiedAt(c: FunctionConfiguration): number | undefined {
  const ms = c.LastModified ? Date.parse(c.LastModified) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** What gc deletes and what it keeps, from the functions and every association in the account. */
export function decideGc(functions: readonly ObservedOwnedFunction[], associations: readonly AccountAssociation[], minAgeMs: number, now: number): { targets: GcTarget[]; kept: Kept[] } {
  const targets: GcTarget[] = [];
  const kept: Kept[] = [];
  const where = new Map<string, Set<string>>();
  for (const a of associations) {
    if (!where.has(a.arn)) where.set(a.arn, new Set());
    where.get(a.arn)!.add(a.distributionId);
  }
  // With no age limit, ages are not looked at (clocks may disagree by more than zero).
  const oldEnough = (c: FunctionConfiguration) => {
    if (minAgeMs <= 0) return true;
    const at = modifiedAt(c);
    return at !== undefined && now - at >= minAgeMs;
  };
  const young = `changed less than ${formatDuration(minAgeMs)} ago (--min-age)`;
  for (const fn of functions) {
    const usedAnywhere = associations.some((a) => a.functionName === fn.name);
    if (!usedAnywhere) {
      const resource = formatResource({ kind: 'function', name: fn.name });
      if ([fn.latest, ...fn.versions].every(oldEnough)) targets.push({ kind: 'function', resource, functionName: fn.name, versions: fn.versions.map((v) => v.Version!) });
      else kept.push({ resource, reason: young });
      continue;
    }
    for (const v of fn.versions) {
      const resource = formatResource({ kind: 'version', name: fn.name, version: v.Version! });
      const attached = where.get(v.FunctionArn!);
      if (attached) kept.push({ resource, reason: `attached to ${[...attached].sort().join(', ')}` });
      else if (!oldEnough(v)) kept.push({ resource, reason: young });
      else targets.push({ kind: 'version', resource, functionName: fn.name, version: v.Version! });
    }
  }
  return { targets, kept };
}

function deletion(target: GcTarget): Change {
  return target.kind === 'version'
    ? { action: 'delete', address: { kind: 'version', key: target.functionName, version: target.version! }, before: { function: target.functionName, version: target.version } }
    : { action: 'delete', address: { kind: 'function', key: target.functionName }, before: { name: target.functionName, versions: target.versions ?? [] } };
}

export const GC_ADOPTED_REASON = 'adopted: it existed before edge-install, so neither it nor its versions are deleted';

export function assembleGc(inputs: GcInputs, options: GcOptions): GcPlan {
  const decided = decideGc(inputs.functions, inputs.associations, options.minAgeMs, options.now);
  const untagged: Kept[] = inputs.untagged.map((name) => ({ resource: formatResource({ kind: 'function', name }), reason: notTaggedReason(inputs.integration) }));
  const adopted: Kept[] = (inputs.adopted ?? []).map((name) => ({ resource: formatResource({ kind: 'function', name }), reason: GC_ADOPTED_REASON }));
  const resources = decided.targets.map(deletion);
  return {
    command: 'gc',
    integration: inputs.integration,
    resources,
    distributions: [],
    kept: [...untagged, ...adopted, ...decided.kept],
    notes: [],
    verdict: verdictOf(resources, []),
    targets: decided.targets,
  };
}
