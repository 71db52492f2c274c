/**
 * Read-only: every Lambda@Edge association in the account. ListDistributions summaries carry
 * the default behavior and the cache behaviors with their LambdaFunctionAssociations, so one
 * paginated listing (100 distributions a page) answers "is this version / function attached
 * anywhere?" without reading each distribution's config.
 */
import { ListDistributionsCommand, type DistributionSummary } from '@aws-sdk/client-cloudfront';
import { functionNameOfArn } from '../../plan/cloudfront-values.js';
import type { AwsClients } from '../clients.js';

export interface AccountAssociation {
  distributionId: string;
  /** `*` for the default behavior. */
  pathPattern: string;
  eventType: string;
  /** The version ARN as associated (`…:function:<name>:<version>`). */
  arn: string;
  functionName: string;
}

/** PURE: the associations of one distribution summary. */
export function associationsOfSummary(summary: DistributionSummary): AccountAssociation[] {
  const out: AccountAssociation[] = [];
  const behaviors = [
    { pathPattern: '*', associations: summary.DefaultCacheBehavior?.LambdaFunctionAssociations?.Items ?? [] },
    ...(summary.CacheBehaviors?.Items ?? []).map((b) => ({ pathPattern: b.PathPattern ?? '', associations: b.LambdaFunctionAssociations?.Items ?? [] })),
  ];
  for (const { pathPattern, associations } of behaviors) {
    for (const a of associations) {
      if (!a.LambdaFunctionARN) continue;
      out.push({ distributionId: summary.Id!, pathPattern, eventType: a.EventType ?? '', arn: a.LambdaFunctionARN, functionName: functionNameOfArn(a.LambdaFunctionARN) ?? '' });
    }
  }
  return out;
}

/** Every Lambda@Edge association of every distribution in the account. */
export async function listAccountAssociations(clients: AwsClients): Promise<AccountAssociation[]> {
  const out: AccountAssociation[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.cloudfront.send(new ListDistributionsCommand({ Marker: marker, MaxItems: 100 }));
    for (const summary of page.DistributionList?.Items ?? []) out.push(...associationsOfSummary(summary));
    marker = page.DistributionList?.IsTruncated ? page.DistributionList.NextMarker : undefined;
  } while (marker);
  return out;
}
