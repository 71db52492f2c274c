/** The integration's custom cache policies, found by their owned names. */
import { GetCachePolicyConfigCommand, ListCachePoliciesCommand, type CachePolicyConfig } from '@aws-sdk/client-cloudfront';
import { cachePolicyName } from '../../manifest/naming.js';
import type { AwsClients } from '../clients.js';

export interface ObservedCachePolicy {
  key: string;
  name: string;
  exists: boolean;
  id?: string;
  etag?: string;
  config?: CachePolicyConfig;
}

/** Every custom cache policy of the account by name (there are at most a few dozen). */
export async function listCustomCachePolicies(clients: AwsClients): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  let marker: string | undefined;
  do {
    const page = await clients.cloudfront.send(new ListCachePoliciesCommand({ Type: 'custom', Marker: marker }));
    for (const summary of page.CachePolicyList?.Items ?? []) {
      const policy = summary.CachePolicy!;
      byName.set(policy.CachePolicyConfig!.Name!, policy.Id!);
    }
    marker = page.CachePolicyList?.NextMarker;
  } while (marker);
  return byName;
}

export interface ObservedCachePolicies {
  policies: ObservedCachePolicy[];
  /** How many custom cache policies the account has (CloudFront's per-account quota counts them). */
  customCount: number;
}

export async function observeCachePolicies(clients: AwsClients, integration: string, keys: string[]): Promise<ObservedCachePolicies> {
  if (keys.length === 0) return { policies: [], customCount: 0 };
  const byName = await listCustomCachePolicies(clients);
  const policies = await Promise.all(
    keys.map(async (key): Promise<ObservedCachePolicy> => {
      const name = cachePolicyName(integration, key);
      const id = byName.get(name);
      if (!id) return { key, name, exists: false };
      const got = await clients.cloudfront.send(new GetCachePolicyConfigCommand({ Id: id }));
      return { key, name, exists: true, id, etag: got.ETag, config: got.CachePolicyConfig };
    }),
  );
  return { policies, customCount: byName.size };
}
