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

/** The distribution's quotas and the account-wide one a plan can reach: custom cache policies. */
export interface CloudFrontQuotas extends DistributionQuotas {
  customCachePolicies: number;
}

export type QuotaName = keyof CloudFrontQuotas;

/**
 * AWS's current defaults (CloudFront Developer Guide, "Quotas": cache behaviors per
 * distribution 75, origins per distribution 100, Lambda@Edge functions per distribution 100;
 * all adjustable).
 */
export const DEFAULT_DISTRIBUTION_QUOTAS: DistributionQuotas = { cacheBehaviors: 75, origins: 100, lambdaAssociations: 100 };

/** AWS's default for custom cache policies per account (same page, "General quotas on policies": 20). */
export const DEFAULT_QUOTAS: CloudFrontQuotas = { ...DEFAULT_DISTRIBUTION_QUOTAS, customCachePolicies: 20 };

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

export interface QuotaFindings {
  /** Past a quota the account is known to have: exit 2. */
  errors: string[];
  /** Past AWS's default for a quota the account's value of which could not be read. */
  warnings: string[];
}

/**
 * The quotas this change would break: a count that grows past its quota. Refused when the
 * quota is the account's own; a warning when it is AWS's default, assumed (`unconfirmed`),
 * since the account may have an increase the plan could not see.
 */
export function quotaFindings(before: DistributionConfig, after: DistributionConfig, quotas: DistributionQuotas, unconfirmed: readonly QuotaName[] = []): QuotaFindings {
  const was = countsOf(before);
  const will = countsOf(after);
  const out: QuotaFindings = { errors: [], warnings: [] };
  for (const key of Object.keys(WORDS) as (keyof QuotaCounts)[]) {
    if (!(will[key] > quotas[key] && will[key] > was[key])) continue;
    const counts = `the distribution would have ${will[key]} ${WORDS[key]} (it has ${was[key]})`;
    if (unconfirmed.includes(key)) {
      out.warnings.push(`${counts}; AWS's default quota is ${quotas[key]} per distribution and the account's own could not be read: CloudFront refuses the change unless the account has an increase`);
    } else {
      out.errors.push(`${counts}; the account's CloudFront quota is ${quotas[key]} per distribution. Remove ${WORDS[key]}, or request a quota increase (Service Quotas, CloudFront)`);
    }
  }
  return out;
}

/**
 * The account-wide quota on custom cache policies: refused only when this plan creates some and
 * the account would then have more than its quota (an account already over it, after an
 * increase was reduced, is not refused for a plan that creates none).
 */
export function cachePolicyQuotaError(existing: number, creates: number, quota: number): string | undefined {
  if (creates === 0 || existing + creates <= quota) return undefined;
  return `this plan creates ${creates} custom cache ${creates === 1 ? 'policy' : 'policies'} and the account has ${existing}; the account's CloudFront quota is ${quota} custom cache policies`;
}
