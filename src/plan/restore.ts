/**
 * PURE: put an integration's owned parts of a distribution back to a recorded state — what
 * `rollback` (to an earlier revision) and `detach` (to nothing) need. Everything that is not
 * owned stays as it is now: unrelated edits made since are kept. Foreign triggers that the
 * integration replaced (--replace-foreign) are put back at their places.
 */
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig, LambdaFunctionAssociation } from '@aws-sdk/client-cloudfront';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import type { Address } from './addresses.js';
import type { Change } from './changes.js';
import { list } from './cloudfront-values.js';
import { continuousDeploymentRestoreWarnings, unreadableMembers, type DistributionPlan } from './distribution.js';
import { ownedDifferences, ownedParts, type OwnedAssociation, type OwnedBehavior, type OwnedParts, type Owner } from './owned-parts.js';
import { normalizePattern, restoreIndex } from './path-patterns.js';
import type { ReplacedForeign } from './revision.js';
import { sameValue } from './values.js';

export interface RestoreResult {
  config: DistributionConfig;
  changes: Change[];
  /** Parts that could not be put back (e.g. their behavior no longer exists). */
  problems: string[];
  /** What the reader should know, e.g. which foreign functions are put back. */
  warnings: string[];
}

type AnyBehavior = CacheBehavior | DefaultCacheBehavior;

function behaviorsOf(config: DistributionConfig): { pattern: string; behavior: AnyBehavior }[] {
  return [
    { pattern: '*', behavior: config.DefaultCacheBehavior! },
    ...(config.CacheBehaviors?.Items ?? []).map((b) => ({ pattern: b.PathPattern ?? '', behavior: b as AnyBehavior })),
  ];
}

function findBehavior(config: DistributionConfig, pattern: string): AnyBehavior | undefined {
  return behaviorsOf(config).find((b) => (pattern === '*' ? b.pattern === '*' : b.pattern !== '*' && normalizePattern(b.pattern) === normalizePattern(pattern)))?.behavior;
}

function setAssociations(behavior: AnyBehavior, items: LambdaFunctionAssociation[]): void {
  behavior.LambdaFunctionAssociations = list(items) as AnyBehavior['LambdaFunctionAssociations'];
}

/** An owned-parts value as `plan` shows it: the CacheBehavior, the LambdaFunctionAssociation. */
function asConfigValue(value: unknown): unknown {
  if (value && typeof value === 'object' && 'created' in value && 'pathPattern' in value) {
    const b = value as OwnedBehavior;
    return { ...b.behavior, PathPattern: b.behavior?.PathPattern ?? b.pathPattern };
  }
  if (value && typeof value === 'object' && 'eventType' in value && 'arn' in value) {
    const a = value as OwnedAssociation;
    return { EventType: a.eventType, LambdaFunctionARN: a.arn, IncludeBody: a.includeBody };
  }
  return value;
}

type Slot = { pattern: string; event: string };

const sameSlot = (address: Address, slot: Slot) =>
  address.kind === 'association' && address.event === slot.event && (address.pattern === slot.pattern || (address.pattern !== '*' && slot.pattern !== '*' && normalizePattern(address.pattern) === normalizePattern(slot.pattern)));

/** The changes between two sets of owned parts, in the plan's vocabulary (config values); also what `revisions show` prints. */
export function ownedChanges(current: OwnedParts, target: OwnedParts, foreign: { slot: Slot; after: LambdaFunctionAssociation }[], warnings: string[]): Change[] {
  const changes: Change[] = [];
  const diff = <T>(before: T[], after: T[], key: (t: T) => string, address: (t: T) => Address) => {
    const b = new Map(before.map((x) => [key(x), x]));
    const a = new Map(after.map((x) => [key(x), x]));
    for (const [k, v] of a) {
      if (!b.has(k)) changes.push({ action: 'create', address: address(v), after: asConfigValue(v) });
      else if (!sameValue(b.get(k), v)) changes.push({ action: 'update', address: address(v), before: asConfigValue(b.get(k)), after: asConfigValue(v) });
    }
    for (const [k, v] of b) if (!a.has(k)) changes.push({ action: 'delete', address: address(v), before: asConfigValue(v) });
  };
  diff(current.origins, target.origins, (o) => o.Id ?? '', (o) => ({ kind: 'origin', id: o.Id ?? '' }));
  const created = (parts: OwnedParts) => parts.behaviors.filter((b) => b.created);
  diff(created(current), created(target), (b) => b.pathPattern, (b) => ({ kind: 'behavior', pattern: b.pathPattern }));
  diff(current.associations, target.associations, (a) => `${a.pathPattern}.${a.eventType}`, (a) => ({ kind: 'association', pattern: a.pathPattern, event: a.eventType }));
  // A foreign trigger put back is an update of that slot (ours → theirs), said in a warning.
  for (const f of foreign) {
    warnings.push(`puts back ${f.after.LambdaFunctionARN} on ${f.slot.pattern} ${f.slot.event}: the function that was there before edge-install replaced it (--replace-foreign)`);
    const i = changes.findIndex((c) => c.action === 'delete' && sameSlot(c.address, f.slot));
    const address: Address = { kind: 'association', pattern: f.slot.pattern, event: f.slot.event };
    if (i >= 0) changes[i] = { action: 'update', address: changes[i]!.address, before: changes[i]!.before, after: f.after };
    else changes.push({ action: 'create', address, after: f.after });
  }
  return changes;
}

/**
 * Where each event type sat in a behavior's association list before the restore: what is put
 * back in a slot takes that slot's place (one association per event type and behavior).
 */
type Slots = Map<AnyBehavior, Map<string, number>>;

/** Puts `association` in `behavior`, replacing any on the same event (its place: {@link inOriginalOrder}). */
function putAssociation(behavior: AnyBehavior, association: LambdaFunctionAssociation): void {
  setAssociations(behavior, [...(behavior.LambdaFunctionAssociations?.Items ?? []).filter((x) => x.EventType !== association.EventType), association]);
}

/** Each behavior's associations in the order their event types had; new slots after, as added. */
function inOriginalOrder(config: DistributionConfig, slots: Slots): void {
  for (const { behavior } of behaviorsOf(config)) {
    const at = slots.get(behavior);
    const items = behavior.LambdaFunctionAssociations?.Items;
    if (!at || !items?.length) continue;
    const place = (a: LambdaFunctionAssociation) => at.get(a.EventType ?? '') ?? Number.MAX_SAFE_INTEGER;
    setAssociations(behavior, [...items].sort((a, b) => place(a) - place(b)));
  }
}

export function restoreOwnedParts(config: DistributionConfig, current: OwnedParts, target: OwnedParts, restoreForeign: ReplacedForeign[] = []): RestoreResult {
  const next = structuredClone(config);
  const problems: string[] = [];
  const warnings: string[] = [];

  // 1. Take out what is owned now, noting where each owned trigger sat.
  const ownedOrigins = new Set(current.origins.map((o) => o.Id));
  next.Origins = list((next.Origins?.Items ?? []).filter((o) => !ownedOrigins.has(o.Id))) as DistributionConfig['Origins'];
  const createdNow = new Set(current.behaviors.filter((b) => b.created).map((b) => normalizePattern(b.pathPattern)));
  next.CacheBehaviors = list((next.CacheBehaviors?.Items ?? []).filter((b) => !createdNow.has(normalizePattern(b.PathPattern ?? '')))) as DistributionConfig['CacheBehaviors'];
  const slots: Slots = new Map();
  for (const { pattern, behavior } of behaviorsOf(next)) {
    const ours = current.associations.filter((a) => a.pathPattern === pattern || (pattern !== '*' && a.pathPattern !== '*' && normalizePattern(a.pathPattern) === normalizePattern(pattern)));
    const isOurs = (a: LambdaFunctionAssociation) => ours.some((o) => o.eventType === a.EventType && o.arn === a.LambdaFunctionARN);
    const all = behavior.LambdaFunctionAssociations?.Items ?? [];
    slots.set(behavior, new Map(all.map((a, i) => [a.EventType ?? '', i])));
    setAssociations(behavior, all.filter((a) => !isOurs(a)));
  }

  // 2. Put the target's parts back: origins, created behaviors, triggers. A created behavior
  //    goes back at its recorded place when CloudFront's first-match rule still gives it its
  //    paths there; behaviors added since may have made that place wrong (a newer, more
  //    specific behavior after it would never receive a request), and then it is placed anew
  //    by the rules attach uses.
  next.Origins = list([...(next.Origins?.Items ?? []), ...structuredClone(target.origins)]) as DistributionConfig['Origins'];
  const ordered = [...(next.CacheBehaviors?.Items ?? [])];
  for (const b of [...target.behaviors].filter((x) => x.created && x.behavior).sort((x, y) => x.index - y.index)) {
    const at = restoreIndex(ordered.map((x) => x.PathPattern ?? ''), b.pathPattern, b.index);
    if (at.conflict) {
      problems.push(`the behavior ${b.pathPattern} cannot be put back: ${at.conflict.reason === 'same pattern' ? `${at.conflict.patterns[0]!.pattern} now matches the same paths` : at.conflict.reason}`);
      continue;
    }
    if (at.index !== Math.min(b.index, ordered.length)) {
      warnings.push(`the behavior ${b.pathPattern} goes back at index ${at.index}, not ${b.index}: behaviors changed since, and there it would take paths from, or lose them to, another behavior`);
    }
    ordered.splice(at.index, 0, { ...structuredClone(b.behavior!), LambdaFunctionAssociations: { Quantity: 0 } } as CacheBehavior);
  }
  next.CacheBehaviors = list(ordered) as DistributionConfig['CacheBehaviors'];
  for (const a of target.associations) {
    const behavior = findBehavior(next, a.pathPattern);
    if (!behavior) {
      problems.push(`the trigger ${a.eventType} on ${a.pathPattern} cannot be put back: that behavior no longer exists`);
      continue;
    }
    putAssociation(behavior, { EventType: a.eventType as LambdaFunctionAssociation['EventType'], LambdaFunctionARN: a.arn, IncludeBody: a.includeBody });
  }

  // 3. Foreign triggers the integration replaced go back to their slots, if still free.
  const foreignPutBack: { slot: Slot; after: LambdaFunctionAssociation }[] = [];
  for (const f of restoreForeign) {
    const behavior = findBehavior(next, f.pathPattern);
    if (!behavior) {
      problems.push(`the foreign trigger ${f.arn} cannot be put back on ${f.pathPattern}: that behavior no longer exists`);
      continue;
    }
    if ((behavior.LambdaFunctionAssociations?.Items ?? []).some((x) => x.EventType === f.eventType)) continue; // the target itself holds that slot
    const association: LambdaFunctionAssociation = { EventType: f.eventType as LambdaFunctionAssociation['EventType'], LambdaFunctionARN: f.arn, IncludeBody: f.includeBody ?? false };
    putAssociation(behavior, association);
    foreignPutBack.push({ slot: { pattern: f.pathPattern, event: f.eventType }, after: association });
  }
  inOriginalOrder(next, slots);

  const changes = ownedChanges(current, target, foreignPutBack, warnings);
  // A behavior put back is shown with its place, as attach shows a new one.
  const finalOrder = (next.CacheBehaviors?.Items ?? []).map((b) => normalizePattern(b.PathPattern ?? ''));
  for (const c of changes) {
    if (c.address.kind === 'behavior' && c.action === 'create') c.position = finalOrder.indexOf(normalizePattern(c.address.pattern));
  }
  return { config: next, changes, problems, warnings };
}

/** Put an integration's owned parts of one distribution back to a recorded state (rollback, attach --rollback-on-failure). */
export interface RestoreRequest {
  id: string;
  integration: string;
  /** Function names that are the integration's (owned-names.ts). */
  ownedFunctionNames: string[];
  /** Origin keys the manifest names now. */
  originKeys: string[];
  /** Owned parts as the last revision left them: what should be there now. */
  expected: OwnedParts;
  /** Owned parts to put back. */
  target: OwnedParts;
  restoreForeign: ReplacedForeign[];
  /** Restore even if the owned parts drifted from `expected`. */
  force?: boolean;
}

/**
 * The restore as a distribution plan, on the config as it is now: everything not owned stays;
 * a conflict (unless forced) when the owned parts are not what the last revision left, since
 * then someone changed them by hand and the restore would silently undo their change.
 */
export function planRestore(request: RestoreRequest, observed: ObservedDistribution): DistributionPlan {
  const owner: Owner = { integration: request.integration, functionNames: request.ownedFunctionNames, originKeys: request.originKeys };
  const current = ownedParts(observed.config, owner, request.expected);
  const restored = restoreOwnedParts(observed.config, current, request.target, request.restoreForeign);
  const drift = ownedDifferences(request.expected, current);
  const conflicts = [
    ...unreadableMembers(observed.unknownMembers),
    ...(drift.length && !request.force ? [`the owned parts changed since the last revision (${drift.join('; ')}); pass --force to restore anyway`] : []),
  ];
  restored.warnings.push(...continuousDeploymentRestoreWarnings(observed.id, observed.config, restored.changes.length > 0));
  return restorePlan(observed, current, restored, conflicts, ownedParts(restored.config, owner, request.target));
}

/** A restore (rollback's, detach's) shaped as a distribution plan, so one renderer shows it and one writer writes it. */
export function restorePlan(distribution: { id: string; etag: string; status?: string }, current: OwnedParts, restored: RestoreResult, conflicts: string[], ownedAfter: OwnedParts): DistributionPlan {
  return {
    id: distribution.id,
    etag: distribution.etag,
    status: distribution.status,
    changes: restored.changes,
    warnings: [...restored.problems, ...restored.warnings],
    conflicts,
    errors: [],
    config: restored.config,
    ownedBefore: current,
    ownedAfter,
    order: (restored.config.CacheBehaviors?.Items ?? []).map((b) => b.PathPattern ?? ''),
  };
}
