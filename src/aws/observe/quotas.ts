/**
 * Read-only: the CloudFront quotas that bound what edge-install adds to a distribution, as the
 * account has them (Service Quotas, service code `cloudfront`, in us-east-1: CloudFront's
 * quotas are global). An increase AWS granted is honoured; when the quotas cannot be read
 * (denied, throttled, unreachable) the plan uses AWS's defaults and says so once — never
 * fatal, and CloudFront's own TooMany… error still has the last word at write time.
 */
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import type { DistributionQuotas } from '../../plan/quotas.js';
import { DEFAULT_DISTRIBUTION_QUOTAS } from '../../plan/quotas.js';
import type { AwsClients } from '../clients.js';
import { describeAwsError, isAwsError } from '../errors.js';

/** Service Quotas codes for CloudFront (as the Service Quotas console and API name them). */
const QUOTA_CODES: Record<keyof DistributionQuotas, string> = {
  cacheBehaviors: 'L-F432D044',
  origins: 'L-B4048FB4',
  lambdaAssociations: 'L-C57D59CB',
};

export interface ObservedQuotas {
  quotas: DistributionQuotas;
  /** Set when the defaults were used instead: why, and what to allow. */
  note?: string;
}

async function readQuota(clients: AwsClients, code: string): Promise<number | undefined> {
  const client = await clients.serviceQuotas();
  const input = { ServiceCode: 'cloudfront', QuotaCode: code };
  try {
    return (await client.send(new GetServiceQuotaCommand(input))).Quota?.Value;
  } catch (error) {
    // No applied value: the account has AWS's default for this quota.
    if (!isAwsError(error, 'NoSuchResourceException')) throw error;
    return (await client.send(new GetAWSDefaultServiceQuotaCommand(input))).Quota?.Value;
  }
}

export async function observeQuotas(clients: AwsClients): Promise<ObservedQuotas> {
  try {
    const entries = await Promise.all(
      (Object.keys(QUOTA_CODES) as (keyof DistributionQuotas)[]).map(async (key) => [key, (await readQuota(clients, QUOTA_CODES[key])) ?? DEFAULT_DISTRIBUTION_QUOTAS[key]] as const),
    );
    return { quotas: Object.fromEntries(entries) as unknown as DistributionQuotas };
  } catch (error) {
    const why = describeAwsError(error)?.what.replace(/\.$/, '') ?? (error as Error).message;
    const d = DEFAULT_DISTRIBUTION_QUOTAS;
    return {
      quotas: { ...d },
      note: `the account's CloudFront quotas could not be read (${why}): planned with AWS's defaults (${d.cacheBehaviors} cache behaviors, ${d.origins} origins, ${d.lambdaAssociations} Lambda@Edge triggers per distribution). Allow servicequotas:GetServiceQuota and servicequotas:GetAWSDefaultServiceQuota to use the account's own`,
    };
  }
}
