/**
 * Read-only: everything the resource steps need to decide create / update / nothing. The
 * planner (src/plan) works on this value and does no I/O of its own.
 */
import type { Manifest } from '../../manifest/schema.js';
import type { AwsClients } from '../clients.js';
import { observeAccount, type ObservedAccount } from './account.js';
import { observeCachePolicies, type ObservedCachePolicy } from './cache-policies.js';
import { observeFunction, type ObservedFunction } from './functions.js';
import { observeRole, type ObservedRole } from './role.js';
import { observeSecret, type ObservedSecret, type SecretDigest } from './secret.js';

export interface ObservedResources {
  account: ObservedAccount;
  secret?: ObservedSecret;
  role: ObservedRole;
  functions: ObservedFunction[];
  cachePolicies: ObservedCachePolicy[];
  /** The account's custom cache policies, counted (0 when the manifest has none to look for). */
  customCachePolicyCount: number;
}

export async function observeResources(clients: AwsClients, manifest: Manifest, digest: SecretDigest): Promise<ObservedResources> {
  const [account, secret, role, functions, policies] = await Promise.all([
    observeAccount(clients),
    manifest.secret ? observeSecret(clients, manifest.secret, digest) : undefined,
    observeRole(clients, manifest.name),
    Promise.all(Object.keys(manifest.functions).map((key) => observeFunction(clients, manifest.name, key))),
    observeCachePolicies(clients, manifest.name, Object.keys(manifest.cachePolicies)),
  ]);
  return { account, secret, role, functions, cachePolicies: policies.policies, customCachePolicyCount: policies.customCount };
}

export type { ObservedAccount, ObservedCachePolicy, ObservedFunction, ObservedRole, ObservedSecret, SecretDigest };
