/**
 * PURE: the distribution half of `detach` — every owned origin, behavior and trigger taken
 * out, foreign triggers that the integration replaced put back, everything else as it is now.
 * Built on restoreOwnedParts (restore to "nothing owned") and shaped as a DistributionPlan, so
 * the same renderer shows it and the same ETag-pinned writer (re-read on PreconditionFailed,
 * refuse when the owned parts moved) writes it.
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { Manifest } from '../manifest/schema.js';
import type { ReplacedForeign, Revision } from '../state/revisions.js';
import { functionNameOfArn } from './cloudfront-values.js';
import { unreadableMembers, type DistributionPlan } from './distribution.js';
import { ownedParts, type OwnedParts } from './owned-parts.js';
import { normalizePattern } from './path-patterns.js';
import { restoreOwnedParts } from './restore.js';

export const NOTHING_OWNED: OwnedParts = { origins: [], behaviors: [], associations: [] };

export interface DetachPlanInput {
  integration: string;
  id: string;
  etag: string;
  status?: string;
  config: DistributionConfig;
  unknownMembers?: string[];
  /** The manifest's function names and those named in any revision. */
  ownedFunctionNames: string[];
  /** Origin keys the manifest names. */
  originKeys?: string[];
  /** Owned parts recorded by the distribution's last revision, if any. */
  previous?: OwnedParts;
  /** Behaviors known to have been created by edge-install even without a revision. */
  createdPatterns?: string[];
  /** Foreign triggers to put back (see replacedForeignToRestore). */
  replacedForeign: ReplacedForeign[];
}

/**
 * The foreign triggers an integration replaced on a distribution and never gave back: from the
 * revisions since the last detach (a revision that left nothing owned), one per slot — the
 * earliest, which is the function that was there before edge-install came.
 */
export function replacedForeignToRestore(revisions: Revision[]): ReplacedForeign[] {
  const sorted = [...revisions].sort((a, b) => a.revision.localeCompare(b.revision));
  let start = 0;
  sorted.forEach((r, i) => {
    if (isDetached(r.ownedAfter)) start = i + 1;
  });
  const bySlot = new Map<string, ReplacedForeign>();
  for (const r of sorted.slice(start)) {
    for (const f of r.replacedForeign ?? []) {
      const slot = `${f.pathPattern === '*' ? '*' : normalizePattern(f.pathPattern)} ${f.eventType}`;
      if (!bySlot.has(slot)) bySlot.set(slot, f);
    }
  }
  return [...bySlot.values()];
}

export function isDetached(parts: OwnedParts | undefined): boolean {
  return !!parts && parts.origins.length === 0 && parts.behaviors.length === 0 && parts.associations.length === 0;
}

/**
 * Without a revision, a behavior the manifest creates (not `adopt`) that carries one of the
 * integration's functions was made by edge-install: attach refuses to touch an existing
 * behavior it does not own unless told to adopt it.
 */
export function createdPatternsFromManifest(manifest: Manifest, config: DistributionConfig, ownedFunctionNames: string[]): string[] {
  const names = new Set(ownedFunctionNames);
  const existing = config.CacheBehaviors?.Items ?? [];
  return manifest.behaviors
    .filter((b) => b.pathPattern !== '*' && !b.adopt)
    .map((b) => b.pathPattern)
    .filter((pattern) => {
      const found = existing.find((e) => normalizePattern(e.PathPattern ?? '') === normalizePattern(pattern));
      return !!found && (found.LambdaFunctionAssociations?.Items ?? []).some((a) => names.has(functionNameOfArn(a.LambdaFunctionARN) ?? ''));
    });
}

export function planDetachDistribution(input: DetachPlanInput): DistributionPlan {
  const current = ownedParts(input.config, { integration: input.integration, functionNames: input.ownedFunctionNames, originKeys: input.originKeys }, input.previous, input.createdPatterns ?? []);
  const restored = restoreOwnedParts(input.config, current, NOTHING_OWNED, input.replacedForeign);
  const warnings = [...restored.problems, ...restored.warnings];
  const changes = restored.changes;
  const conflicts = unreadableMembers(input.unknownMembers);
  return {
    id: input.id,
    etag: input.etag,
    status: input.status,
    changes,
    warnings,
    conflicts,
    errors: [],
    config: restored.config,
    ownedBefore: current,
    ownedAfter: NOTHING_OWNED,
    order: (restored.config.CacheBehaviors?.Items ?? []).map((b) => b.PathPattern ?? ''),
  };
}
