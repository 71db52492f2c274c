/**
 * Read-only: the CloudFront quotas that bound what edge-install adds to a distribution, as the
 * account has them (Service Quotas, service code `cloudfront`, in us-east-1: CloudFront's
 * quotas are global). An increase AWS granted is honoured. A quota that cannot be read
 * (denied, throttled, unreachable, not in Service Quotas) is AWS's default, marked unconfirmed:
 * the planner then warns instead of refusing, and CloudFront's own TooMany… error has the last
 * word at write time. Never fatal; said once, with the permission to add when that is why.
 */
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { DEFAULT_QUOTAS, type CloudFrontQuotas, type QuotaName } from '../../plan/quotas.js';
import type { AwsClients } from '../clients.js';
import { describeAwsError, isAwsError } from '../errors.js';

/**
 * Service Quotas codes for CloudFront, as the Developer Guide's "Request a higher quota" links
 * (cloudfront-limits.html) and the Service Quotas console name them. "Triggers per distribution"
 * (Lambda@Edge, 100) has no code we could confirm: it stays AWS's default, unconfirmed.
 */
const QUOTA_CODES: Partial<Record<QuotaName, string>> = {
  cacheBehaviors: 'L-F432D044',
  origins: 'L-B4048FB4',
  customCachePolicies: 'L-7D134442',
};

export interface ObservedQuotas {
  quotas: CloudFrontQuotas;
  /** Quotas that are AWS's defaults because the account's could not be read. */
  unconfirmed: QuotaName[];
  /** Set when some could not be read for a reason the user can act on: why, and what to allow. */
  note?: string;
}

type Read = { value: number } | { error: unknown };

async function readQuota(clients: AwsClients, code: string): Promise<Read> {
  try {
    const client = await clients.serviceQuotas();
    const input = { ServiceCode: 'cloudfront', QuotaCode: code };
    try {
      const value = (await client.send(new GetServiceQuotaCommand(input))).Quota?.Value;
      if (value !== undefined) return { value };
    } catch (error) {
      // No applied value: the account has AWS's default for this quota.
      if (!isAwsError(error, 'NoSuchResourceException')) throw error;
    }
    const value = (await client.send(new GetAWSDefaultServiceQuotaCommand(input))).Quota?.Value;
    return value === undefined ? { error: undefined } : { value };
  } catch (error) {
    return { error };
  }
}

export async function observeQuotas(clients: AwsClients): Promise<ObservedQuotas> {
  const names = Object.keys(DEFAULT_QUOTAS) as QuotaName[];
  const reads = await Promise.all(names.map(async (name) => [name, QUOTA_CODES[name] ? await readQuota(clients, QUOTA_CODES[name]) : undefined] as const));
  const quotas = { ...DEFAULT_QUOTAS };
  const unconfirmed: QuotaName[] = [];
  let failure: unknown;
  for (const [name, read] of reads) {
    if (read && 'value' in read) quotas[name] = read.value;
    else unconfirmed.push(name);
    if (read && 'error' in read && read.error !== undefined && !isAwsError(read.error, 'NoSuchResourceException')) failure ??= read.error;
  }
  if (failure === undefined) return { quotas, unconfirmed };
  const why = describeAwsError(failure)?.what.replace(/\.$/, '') ?? (failure as Error).message;
  const denied = isAwsError(failure, 'AccessDeniedException');
  return {
    quotas,
    unconfirmed,
    note:
      `the account's CloudFront quotas could not be read (${why}): AWS's defaults are assumed, and a change past one is warned about rather than refused` +
      (denied ? '. Allow servicequotas:GetServiceQuota and servicequotas:GetAWSDefaultServiceQuota to use the account\'s own' : ''),
  };
}
