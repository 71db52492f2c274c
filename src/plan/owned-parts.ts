/**
 * PURE: the parts of a distribution config that belong to an integration — what revisions
 * record, what drift is measured on, and what must not have changed when a concurrent write
 * forces a re-read (PreconditionFailed).
 */
import type { CacheBehavior, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import { originId } from '../state/ownership.js';
import { functionNameOfArn, sameValue } from './cloudfront-values.js';
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

export function ownedParts(
  config: DistributionConfig,
  integration: string,
  ownedFunctionNames: string[],
  previous?: OwnedParts,
  createdPatterns: string[] = [],
): OwnedParts {
  const prefix = originId(integration, '');
  const names = new Set(ownedFunctionNames);
  const created = new Set([...createdPatterns, ...(previous?.behaviors ?? []).filter((b) => b.created).map((b) => b.pathPattern)].map(normalizePattern));
  const origins = (config.Origins?.Items ?? []).filter((o) => o.Id?.startsWith(prefix));
  const associations: OwnedAssociation[] = [];
  const behaviors: OwnedBehavior[] = [];
  const visit = (behavior: CacheBehavior | NonNullable<DistributionConfig['DefaultCacheBehavior']>, pathPattern: string, index: number) => {
    const ours = (behavior.LambdaFunctionAssociations?.Items ?? []).filter((a) => names.has(functionNameOfArn(a.LambdaFunctionARN) ?? ''));
    for (const a of ours) associations.push({ pathPattern, eventType: a.EventType!, arn: a.LambdaFunctionARN!, includeBody: a.IncludeBody ?? false });
    const isCreated = index >= 0 && (behavior.TargetOriginId?.startsWith(prefix) || created.has(normalizePattern(pathPattern)));
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
