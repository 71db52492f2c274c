/**
 * Read-only: where continuous deployment stands for a primary distribution — the policy
 * attached to it, the integration's staging copy of it (a staging distribution tagged
 * `edge-install:integration` and `edge-install:staging-of`), the policy that names that copy,
 * and the account's counts for the quotas (20 staging distributions, 20 policies: CloudFront
 * Developer Guide, "Quotas and other considerations for continuous deployment").
 *
 * Everything a canary is lives in AWS, not in the state dir: another machine (a CI job) finds
 * the same canary, and `status`, `promote` and `abort` work from a fresh checkout.
 */
import {
  GetContinuousDeploymentPolicyCommand,
  ListContinuousDeploymentPoliciesCommand,
  ListTagsForResourceCommand,
  type ContinuousDeploymentPolicyConfig,
} from '@aws-sdk/client-cloudfront';
import { OWNER_TAG } from '../../manifest/naming.js';
import type { AwsClients } from '../clients.js';
import { classifyAwsError, ifExists } from '../errors.js';
import { observeDistribution, type ObservedDistribution } from './distribution.js';
import { listDistributions } from './distributions-list.js';

/** The tag naming the primary a staging copy was made from. */
export const STAGING_OF_TAG = 'edge-install:staging-of';

/**
 * The CallerReference edge-install gives a staging copy (CopyDistribution): unique per copy, and
 * with a prefix that names the integration and the primary. It is how a copy is recognised
 * even if the process died between CopyDistribution and TagResource — a CallerReference is
 * there from the first moment and never changes.
 */
/**
 * The tag on a staging copy naming the behaviors a canary's phase 1 added to the primary
 * (base64url of the patterns, space-separated: `*` is not a character CloudFront tag values
 * may hold). A machine without the phase-1 revision learns from it what abort cannot take back.
 */
export const PHASE_ONE_TAG = 'edge-install:canary-phase-1';
export const encodePatterns = (patterns: readonly string[]): string => Buffer.from([...new Set(patterns)].join(' ')).toString('base64url');
const decodePatterns = (value: string | undefined): string[] => (value ? Buffer.from(value, 'base64url').toString('utf8').split(' ').filter(Boolean) : []);

export const stagingReferencePrefix = (integration: string, primaryId: string): string => `edge-install-${integration}-${primaryId}-`;

export interface ObservedPolicy {
  id: string;
  etag: string;
  lastModified: string;
  config: ContinuousDeploymentPolicyConfig;
}

export interface ObservedCanary {
  primaryId: string;
  /** The policy attached to the primary (ContinuousDeploymentPolicyId), if any. */
  attached?: ObservedPolicy;
  /** The integration's staging copy of the primary, if edge-install made one (`tagged`: it carries the integration's tags). */
  staging?: ObservedDistribution & { arn: string; tagged: boolean; /** Behaviors a phase 1 added to the primary (PHASE_ONE_TAG). */ phaseOnePatterns: string[] };
  /** The policy that names the staging copy, attached or not. */
  policy?: ObservedPolicy;
  /** The account's staging distributions and policies, for the quotas. */
  stagingCount: number;
  policyCount: number;
}

async function readPolicy(clients: AwsClients, id: string): Promise<ObservedPolicy | undefined> {
  const out = await ifExists(() => clients.cloudfront.send(new GetContinuousDeploymentPolicyCommand({ Id: id })), 'NoSuchContinuousDeploymentPolicy');
  const policy = out?.ContinuousDeploymentPolicy;
  if (!policy) return undefined;
  return { id: policy.Id!, etag: out.ETag!, lastModified: policy.LastModifiedTime?.toISOString() ?? '', config: policy.ContinuousDeploymentPolicyConfig! };
}

async function listPolicies(clients: AwsClients): Promise<{ id: string; dnsNames: string[] }[]> {
  const out: { id: string; dnsNames: string[] }[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 100; page++) {
    const answer = await clients.cloudfront.send(new ListContinuousDeploymentPoliciesCommand({ Marker: marker, MaxItems: 100 }));
    const list = answer.ContinuousDeploymentPolicyList;
    for (const item of list?.Items ?? []) {
      const p = item.ContinuousDeploymentPolicy!;
      out.push({ id: p.Id!, dnsNames: p.ContinuousDeploymentPolicyConfig?.StagingDistributionDnsNames?.Items ?? [] });
    }
    if (!list?.NextMarker) break;
    marker = list.NextMarker;
  }
  return out;
}

/** Every primary's canary state for the integration, read once for the account. */
export async function observeCanaries(clients: AwsClients, integration: string, primaries: ObservedDistribution[]): Promise<Record<string, ObservedCanary>> {
  const [listed, policies] = await Promise.all([listDistributions(clients), listPolicies(clients)]);
  const stagings = listed.filter((d) => d.staging);
  // Staging distributions are few (20 per account at most): their tags say whose copy each is.
  const tagged = await Promise.all(
    stagings.map(async (d) => {
      const arn = d.arn;
      const tags = await ifExists(() => clients.cloudfront.send(new ListTagsForResourceCommand({ Resource: arn })), 'NoSuchResource', 'NoSuchDistribution');
      return { listing: d, arn, tags: Object.fromEntries((tags?.Tags?.Items ?? []).map((t) => [t.Key!, t.Value ?? ''])) };
    }),
  );
  const out: Record<string, ObservedCanary> = {};
  const untagged = tagged.filter((t) => t.tags[OWNER_TAG] === undefined);
  // Untagged staging distributions: one of ours whose tagging a killed run never did is known by its CallerReference.
  const untaggedConfigs = await Promise.all(untagged.map((t) => ifExists(() => observeDistribution(clients, t.listing.id), 'NoSuchDistribution')));
  for (const primary of primaries) {
    const mine = tagged.find((t) => t.tags[OWNER_TAG] === integration && t.tags[STAGING_OF_TAG] === primary.id);
    const prefix = stagingReferencePrefix(integration, primary.id);
    const orphan = mine ? undefined : untaggedConfigs.findIndex((d) => !!d?.config.CallerReference?.startsWith(prefix));
    const found = mine ?? (orphan !== undefined && orphan >= 0 ? untagged[orphan] : undefined);
    const [staging, attached] = await Promise.all([
      found ? (mine ? ifExists(() => observeDistribution(clients, found.listing.id), 'NoSuchDistribution') : untaggedConfigs[orphan!]) : undefined,
      primary.config.ContinuousDeploymentPolicyId ? readPolicy(clients, primary.config.ContinuousDeploymentPolicyId) : undefined,
    ]);
    const naming = staging ? policies.find((p) => p.dnsNames.includes(staging.domainName)) : undefined;
    const policy = naming ? (naming.id === attached?.id ? attached : await readPolicy(clients, naming.id)) : undefined;
    out[primary.id] = {
      primaryId: primary.id,
      ...(attached ? { attached } : {}),
      ...(staging && found ? { staging: { ...staging, arn: found.arn, tagged: !!mine, phaseOnePatterns: decodePatterns(found.tags[PHASE_ONE_TAG]) } } : {}),
      ...(policy ? { policy } : {}),
      stagingCount: stagings.length,
      policyCount: policies.length,
    };
  }
  return out;
}

/**
 * The canary state where it matters: every primary when `always` (attach --canary, status,
 * promote, abort), otherwise only if a primary has a policy attached — a plain attach,
 * rollback or detach reads nothing more of an account without continuous deployment.
 */
export async function observeCanariesWhereAttached(clients: AwsClients, integration: string, primaries: ObservedDistribution[], always = false): Promise<Record<string, ObservedCanary>> {
  if (!always && !primaries.some((p) => p.config.ContinuousDeploymentPolicyId)) return {};
  try {
    return await observeCanaries(clients, integration, primaries);
  } catch (error) {
    // An identity without the continuous deployment permissions (README, IAM) that attaches to
    // someone else's primary works as it did before canaries: the policy is then not edge-install's.
    if (!always && classifyAwsError(error) === 'access-denied') return {};
    throw error;
  }
}
