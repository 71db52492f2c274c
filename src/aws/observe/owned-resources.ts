/**
 * Read-only, for detach: the integration's resources that exist now, in deletion order —
 * cache policies, the role, functions, the secret — each with whether it carries the owner
 * tag (only tagged ones are edge-install's to delete).
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ADOPTED_TAG, cachePolicyName, functionName, notTaggedReason, OWNER_TAG } from '../../manifest/naming.js';
import { formatResource } from '../../plan/addresses.js';
import type { Manifest } from '../../manifest/schema.js';
import type { AwsClients } from '../clients.js';
import { ifExists } from '../errors.js';
import { listCustomCachePolicies } from './cache-policies.js';
import { observeRole } from './role.js';

export type OwnedResourceKind = 'cache-policy' | 'role' | 'function' | 'secret';

export interface ObservedOwnedResource {
  kind: OwnedResourceKind;
  name: string;
  /** `cache-policy:<name>`, `role:<name>`, `function:<name>`, `secret:<name>` (addresses.ts). */
  resource: string;
  /** Manifest key (functions, cache policies), when the manifest names it. */
  key?: string;
  /** Cache policy id. */
  id?: string;
  /** Secret: its region and replica regions; the names of its keys (never values). */
  region?: string;
  replicaRegions?: string[];
  keys?: string[];
  /** Set when it does not carry the owner tag: why it is not edge-install's to delete. */
  notOurs?: string;
  /** It carries the adoption tag: edge-install adopted it, so detach untags it and leaves it. */
  adopted?: boolean;
  /** A function's ARN (to untag it). */
  arn?: string;
}

const tagged = (tags: Record<string, string> | undefined, integration: string) => tags?.[OWNER_TAG] === integration;
/** Ours (the owner tag), and whether adopted; or why it is not ours. */
const ownership = (tags: Record<string, string> | undefined, integration: string) =>
  tagged(tags, integration) ? (tags?.[ADOPTED_TAG] === 'true' ? { adopted: true } : {}) : { notOurs: notTaggedReason(integration) };

/**
 * `policyKeys`: the cache policy keys of the manifest and of every revision; `functionNames`:
 * the integration's function names (owned-names.ts).
 */
export async function observeOwnedResources(clients: AwsClients, manifest: Manifest, policyKeys: readonly string[], functionNames: readonly string[]): Promise<ObservedOwnedResource[]> {
  const integration = manifest.name;
  const [policies, role, functions, secret] = await Promise.all([
    policyKeys.length ? listCustomCachePolicies(clients) : Promise.resolve(new Map<string, string>()),
    observeRole(clients, integration),
    Promise.all(functionNames.map(async (name) => ({ name, got: await ifExists(() => clients.lambda.send(new GetFunctionCommand({ FunctionName: name })), 'ResourceNotFoundException') }))),
    manifest.secret
      ? ifExists(() => clients.secrets(manifest.secret!.region).send(new DescribeSecretCommand({ SecretId: manifest.secret!.name })), 'ResourceNotFoundException')
      : Promise.resolve(undefined),
  ]);
  const out: ObservedOwnedResource[] = [];
  for (const key of [...policyKeys].sort()) {
    const name = cachePolicyName(integration, key);
    const id = policies.get(name);
    if (id) out.push({ kind: 'cache-policy', name, resource: formatResource({ kind: 'cache-policy', name }), key, id });
  }
  if (role.exists) {
    out.push({ kind: 'role', name: role.name, resource: formatResource({ kind: 'role', name: role.name }), ...ownership(role.tags, integration) });
  }
  for (const { name, got } of functions) {
    if (!got?.Configuration) continue;
    const key = Object.keys(manifest.functions).find((k) => functionName(integration, k) === name);
    out.push({ kind: 'function', name, resource: formatResource({ kind: 'function', name }), key, arn: got.Configuration.FunctionArn, ...ownership(got.Tags, integration) });
  }
  if (manifest.secret && secret && secret.DeletedDate === undefined) {
    const tags = Object.fromEntries((secret.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
    out.push({
      kind: 'secret',
      name: manifest.secret.name,
      resource: formatResource({ kind: 'secret', name: manifest.secret.name }),
      region: manifest.secret.region,
      replicaRegions: (secret.ReplicationStatus ?? []).map((r) => r.Region!).sort(),
      keys: Object.keys(manifest.secret.keys),
      ...ownership(tags, integration),
    });
  }
  return out;
}
