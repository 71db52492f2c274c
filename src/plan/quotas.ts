/**
 * PURE: the per-distribution CloudFront quotas the planner checks, and the rule: only what
 * edge-install adds is checked. A distribution already over a quota (an increase granted,
 * then reduced; or quotas unread) is not a reason to refuse; a plan that would raise a count
 * past its quota is (exit 2, before any write). CloudFront's TooMany… error has the last word.
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';

export interface DistributionQuotas {
  cacheBehaviors: number;
  origins: number;
  /** Lambda@Edge function associations ("triggers") per distribution. */
  lambdaAssociations: number;
}

/**
 * AWS's current defaults (CloudFront Developer Guide, "Quotas": cache behaviors per
 * distribution 75, origins per distribution 100, Lambda@Edge functions per distribution 100;
 * all adjustable).
 */
export const DEFAULT_DISTRIBUTION_QUOTAS: DistributionQuotas = { cacheBehaviors: 75, origins: 100, lambdaAssociations: 100 };

export interface QuotaCounts {
  cacheBehaviors: number;
  origins: number;
  lambdaAssociations: number;
}

export function countsOf(config: DistributionConfig): QuotaCounts {
  const behaviors = [config.DefaultCacheBehavior, ...(config.CacheBehaviors?.Items ?? [])];
  return {
    cacheBehaviors: config.CacheBehaviors?.Items?.length ?? 0,
    origins: config.Origins?.Items?.length ?? 0,
    lambdaAssociations: behaviors.reduce((n, b) => n + (b?.LambdaFunctionAssociations?.Items?.length ?? 0), 0),
  };
}

const WORDS: Record<keyof QuotaCounts, string> = { cacheBehaviors: 'cache behaviors', origins: 'origins', lambdaAssociations: 'Lambda@Edge triggers' };

/** The quotas this change would break: a count that grows past its quota. */
export function quotaErrors(before: DistributionConfig, after: DistributionConfig, quotas: DistributionQuotas): string[] {
  const was = countsOf(before);
  const will = countsOf(after);
  return (Object.keys(WORDS) as (keyof QuotaCounts)[])
    .filter((key) => will[key] > quotas[key] && will[key] > was[key])
    .map(
      (key) =>
        `the distribution would have ${will[key]} ${WORDS[key]} (it has ${was[key]}); the account's CloudFront quota is ${quotas[key]} per distribution. Remove ${WORDS[key]}, or request a quota increase (Service Quotas, CloudFront)`,
    );
}
