/**
 * PURE: the parts of a distribution config that belong to an integration — what revisions
 * record, what drift is measured on, and what must not have changed when a concurrent write
 * forces a re-read (PreconditionFailed).
 */
import type { CacheBehavior, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import { originId } from '../manifest/naming.js';
import { functionNameOfArn } from './cloudfront-values.js';
import { sameValue } from './values.js';
import { normalizePattern } from './path-patterns.js';

export interface OwnedAssociation {
  /** `*` for the default behavior. */
  pathPattern: string;
  eventType: string;
  arn: string;
  includeBody: boolean;
}

export interface OwnedBehavior {
  pathPattern: string;
  /** Index in CacheBehaviors; -1 for the default behavior. */
  index: number;
  /** Created by edge-install (removed on detach), as opposed to only carrying its triggers. */
  created: boolean;
  /** The whole behavior, for created ones (without associations, which are listed apart). */
  behavior?: Omit<CacheBehavior, 'LambdaFunctionAssociations'>;
}

export interface OwnedParts {
  origins: Origin[];
  behaviors: OwnedBehavior[];
  associations: OwnedAssociation[];
}

/** Who owns: what ownedParts needs to tell the integration's parts from everyone else's. */
export interface Owner {
  integration: string;
  /** Function names that are the integration's (the manifest's, and any a revision names). */
  functionNames: readonly string[];
  /** Origin keys the manifest names now. */
  originKeys?: readonly string[];
}

type AnyBehavior = CacheBehavior | NonNullable<DistributionConfig['DefaultCacheBehavior']>;

const behaviorsOf = (config: DistributionConfig): AnyBehavior[] => [
  ...(config.DefaultCacheBehavior ? [config.DefaultCacheBehavior] : []),
  ...(config.CacheBehaviors?.Items ?? []),
];

/**
 * The origin Ids in `config` that are the integration's. The `ei-<integration>-` prefix alone
 * is not enough: integration "edge" must not claim `ei-edge-custom-up`, origin "up" of
 * integration "edge-custom" (names and keys may both contain hyphens), nor, before it is on
 * the distribution at all, an origin a user happened to name that way. An Id with the prefix
 * is ours when the manifest names its key, a revision recorded it, or a behavior routed to it
 * carries one of our functions; and otherwise — without a state dir, after a key left the
 * manifest — when the integration is on the distribution and no other integration whose name
 * the Id could also spell (`edge-custom` for `ei-edge-custom-up`) has a function there.
 */
export function ownedOriginIds(config: DistributionConfig, owner: Owner, previous?: OwnedParts): Set<string> {
  const prefix = originId(owner.integration, '');
  const names = new Set(owner.functionNames);
  const ids = new Set<string>([...(owner.originKeys ?? []).map((key) => originId(owner.integration, key)), ...(previous?.origins ?? []).map((o) => o.Id ?? '')]);
  const associated = behaviorsOf(config).flatMap((b) => (b.LambdaFunctionAssociations?.Items ?? []).map((a) => functionNameOfArn(a.LambdaFunctionARN) ?? ''));
  const present = associated.some((name) => names.has(name));
  const foreignFunctions = associated.filter((name) => name !== '' && !names.has(name));
  // `ei-edge-custom-up` could also be integration `edge-custom`'s: does one of its functions (`edge-custom-…`) run here?
  const couldBeAnother = (id: string) => {
    const rest = id.slice(prefix.length).split('-');
    return rest.slice(0, -1).some((_, i) => {
      const other = `${owner.integration}-${rest.slice(0, i + 1).join('-')}-`;
      return foreignFunctions.some((name) => name.startsWith(other));
    });
  };
  for (const behavior of behaviorsOf(config)) {
    const target = behavior.TargetOriginId ?? '';
    if (target.startsWith(prefix) && (behavior.LambdaFunctionAssociations?.Items ?? []).some((a) => names.has(functionNameOfArn(a.LambdaFunctionARN) ?? ''))) ids.add(target);
  }
  if (present) {
    for (const origin of config.Origins?.Items ?? []) {
      const id = origin.Id ?? '';
      if (id.startsWith(prefix) && !couldBeAnother(id)) ids.add(id);
    }
  }
  ids.delete('');
  return ids;
}

export function ownedParts(config: DistributionConfig, owner: Owner, previous?: OwnedParts, createdPatterns: string[] = []): OwnedParts {
  const names = new Set(owner.functionNames);
  const originIds = ownedOriginIds(config, owner, previous);
  const created = new Set([...createdPatterns, ...(previous?.behaviors ?? []).filter((b) => b.created).map((b) => b.pathPattern)].map(normalizePattern));
  const origins = (config.Origins?.Items ?? []).filter((o) => originIds.has(o.Id ?? ''));
  const associations: OwnedAssociation[] = [];
  const behaviors: OwnedBehavior[] = [];
  const visit = (behavior: AnyBehavior, pathPattern: string, index: number) => {
    const ours = (behavior.LambdaFunctionAssociations?.Items ?? []).filter((a) => names.has(functionNameOfArn(a.LambdaFunctionARN) ?? ''));
    for (const a of ours) associations.push({ pathPattern, eventType: a.EventType!, arn: a.LambdaFunctionARN!, includeBody: a.IncludeBody ?? false });
    const isCreated = index >= 0 && (originIds.has(behavior.TargetOriginId ?? '') || created.has(normalizePattern(pathPattern)));
    if (isCreated) {
      const { LambdaFunctionAssociations: _drop, ...rest } = behavior as CacheBehavior;
      behaviors.push({ pathPattern, index, created: true, behavior: rest });
    } else if (ours.length) {
      behaviors.push({ pathPattern, index, created: false });
    }
  };
  if (config.DefaultCacheBehavior) visit(config.DefaultCacheBehavior, '*', -1);
  (config.CacheBehaviors?.Items ?? []).forEach((b, i) => visit(b, b.PathPattern ?? '', i));
  return { origins, behaviors, associations };
}

/** What differs between two sets of owned parts, in words (empty when they are the same). */
export function ownedDifferences(before: OwnedParts, after: OwnedParts): string[] {
  const out: string[] = [];
  const keyed = <T>(items: T[], key: (t: T) => string) => new Map(items.map((i) => [key(i), i]));
  const compare = <T>(kind: string, a: T[], b: T[], key: (t: T) => string) => {
    const left = keyed(a, key);
    const right = keyed(b, key);
    for (const [k, v] of left) {
      if (!right.has(k)) out.push(`${kind} ${k} was removed`);
      else if (!sameValue(v, right.get(k))) out.push(`${kind} ${k} was changed`);
    }
    for (const k of right.keys()) if (!left.has(k)) out.push(`${kind} ${k} was added`);
  };
  compare('origin', before.origins, after.origins, (o) => o.Id ?? '');
  compare('behavior', before.behaviors.map(({ index: _i, ...b }) => b), after.behaviors.map(({ index: _i, ...b }) => b), (b) => b.pathPattern);
  compare('trigger', before.associations, after.associations, (a) => `${a.pathPattern} ${a.eventType}`);
  return out;
}
