/**
 * Read-only: the account's CloudFront distributions, as `init` shows them in its picker
 * (ListDistributions, every page), and a check that named distributions exist.
 */
import { GetDistributionCommand, ListDistributionsCommand, type DistributionSummary } from '@aws-sdk/client-cloudfront';
import type { AwsClients } from '../clients.js';
import { ifExists } from '../errors.js';

export interface DistributionListing {
  id: string;
  arn: string;
  domainName: string;
  aliases: string[];
  status: string;
  enabled: boolean;
  comment: string;
  /** The default behavior plus the cache behaviors. */
  behaviors: number;
  /** A staging distribution (continuous deployment): not a target for edge-install. */
  staging: boolean;
}

function listing(summary: DistributionSummary): DistributionListing {
  return {
    id: summary.Id!,
    arn: summary.ARN ?? '',
    domainName: summary.DomainName ?? '',
    aliases: summary.Aliases?.Items ?? [],
    status: summary.Status ?? '',
    enabled: summary.Enabled !== false,
    comment: summary.Comment ?? '',
    behaviors: 1 + (summary.CacheBehaviors?.Quantity ?? 0),
    staging: summary.Staging === true,
  };
}

export async function listDistributions(clients: AwsClients): Promise<DistributionListing[]> {
  const out: DistributionListing[] = [];
  let marker: string | undefined;
  // CloudFront pages by 100 at most; an account holds a few hundred at the default quota.
  for (let page = 0; page < 1000; page++) {
    const answer = await clients.cloudfront.send(new ListDistributionsCommand({ Marker: marker, MaxItems: 100 }));
    const list = answer.DistributionList;
    out.push(...(list?.Items ?? []).map(listing));
    if (!list?.IsTruncated || !list.NextMarker) break;
    marker = list.NextMarker;
  }
  return out;
}

/** Of `ids`: those that name no distribution of the account, and those that name a staging distribution. */
export async function checkDistributionIds(clients: AwsClients, ids: string[]): Promise<{ unknown: string[]; staging: string[] }> {
  const found = await Promise.all(ids.map((id) => ifExists(() => clients.cloudfront.send(new GetDistributionCommand({ Id: id })), 'NoSuchDistribution')));
  return {
    unknown: ids.filter((_id, i) => !found[i]),
    staging: ids.filter((_id, i) => found[i]?.Distribution?.DistributionConfig?.Staging === true),
  };
}
