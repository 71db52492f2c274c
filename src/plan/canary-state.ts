/**
 * PURE: what the observed continuous deployment state of a primary means for the integration
 * (aws/observe/canary.ts reads it): is the policy on the primary the integration's, and is its
 * canary running.
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { ObservedCanary } from '../aws/observe/canary.js';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import { functionNameOfArn } from './cloudfront-values.js';
import type { CanarySides } from './logs.js';
import { ownedParts, type Owner } from './owned-parts.js';

/** The policy attached to the primary is the integration's: it names the integration's staging copy. */
export const attachedIsOurs = (c: ObservedCanary): boolean =>
  !!c.attached && !!c.staging && (c.attached.config.StagingDistributionDnsNames?.Items ?? []).includes(c.staging.domainName);

/** The integration's canary runs: its policy is attached to the primary and enabled. */
export const canaryRunning = (c: ObservedCanary | undefined): boolean => !!c && attachedIsOurs(c) && c.attached!.config.Enabled === true;

/** The integration's own policy on the primary, if attached: its canary running, or idle. */
export function ownCanaryOf(c: ObservedCanary | undefined): 'running' | 'idle' | undefined {
  if (!c?.attached || !attachedIsOurs(c)) return undefined;
  return canaryRunning(c) ? 'running' : 'idle';
}

/**
 * Rollback and detach change the primary only when no canary of the integration runs on it:
 * a promote would copy the staging config back over them, and CloudFront refuses a primary
 * without a path pattern its attached staging copy has. Said as a conflict, with the way out.
 */
export function runningCanaryConflict(integration: string, id: string, c: ObservedCanary | undefined, changing: boolean): string[] {
  if (!changing || !canaryRunning(c)) return [];
  return [`a canary of ${integration} is running on ${id} (staging copy ${c!.staging!.id}): end it first with edge-install abort --distribution ${id} (or finish it with edge-install promote), then run this again`];
}

/**
 * What tells the two sides of the integration's running canaries apart in its logs (logs.ts,
 * markCanarySides): the `name:version` each side runs, and the staging copies' ids. Undefined
 * when no canary of the integration runs on these primaries.
 */
export function canarySides(canaries: Record<string, ObservedCanary>, primaries: readonly ObservedDistribution[], owner: Owner): CanarySides | undefined {
  const staging = new Set<string>();
  const primary = new Set<string>();
  const stagingDistributions = new Set<string>();
  const runs = (config: DistributionConfig, into: Set<string>) => {
    for (const a of ownedParts(config, owner).associations) into.add(`${functionNameOfArn(a.arn)}:${a.arn.split(':').at(-1)}`);
  };
  for (const p of primaries) {
    const c = canaries[p.id];
    if (!canaryRunning(c)) continue;
    runs(p.config, primary);
    runs(c!.staging!.config, staging);
    stagingDistributions.add(c!.staging!.id);
  }
  return stagingDistributions.size ? { staging, primary, stagingDistributions } : undefined;
}
