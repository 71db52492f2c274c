/**
 * How edge-install recognises what it owns (ARCHITECTURE.md, "Ownership is explicit"): names
 * derived from the integration name and a key, and a tag on what can carry tags. Nothing is
 * ever owned by accident: a name must match and, where AWS has tags, the tag must too.
 */
export const OWNER_TAG = 'edge-install:integration';

export const roleName = (integration: string): string => `${integration}-edge`;
export const functionName = (integration: string, key: string): string => `${integration}-${key}`;
export const cachePolicyName = (integration: string, key: string): string => `${integration}-${key}`;
export const originId = (integration: string, key: string): string => `ei-${integration}-${key}`;

/** The inline policy edge-install keeps on its role. */
export const EXECUTION_POLICY_NAME = 'edge-install-execution';

export const ownerTags = (integration: string): Record<string, string> => ({ [OWNER_TAG]: integration });

/**
 * On what edge-install adopted — a secret, role or function that existed, untagged, under the
 * name it wanted — next to the owner tag: it works with it but did not create it, so detach
 * and gc remove the tags and leave it in place, never delete it. (Cache policies take no
 * tags: their adoption is recorded in the revision.)
 */
export const ADOPTED_TAG = 'edge-install:adopted';

/** The tags edge-install adds to a resource it adopts. */
export const adoptionTags = (integration: string): Record<string, string> => ({ ...ownerTags(integration), [ADOPTED_TAG]: 'true' });

/** The tags edge-install's resources should carry: the owner tag, and the adoption mark on what it did not create. */
export function wantedTags(integration: string, existing: { exists: boolean; tags: Record<string, string> } | undefined): Record<string, string> {
  if (!existing?.exists) return ownerTags(integration);
  const adopted = existing.tags[OWNER_TAG] === undefined || existing.tags[ADOPTED_TAG] === 'true';
  return adopted ? adoptionTags(integration) : ownerTags(integration);
}

/** The tags among `wanted` that `tags` lacks or holds another value for. */
export const missingTags = (wanted: Record<string, string>, tags: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(wanted).filter(([k, v]) => tags[k] !== v));

export const ADOPTED_REASON = 'adopted: it existed before edge-install and is not edge-install\'s to delete; detach removes the edge-install tags and leaves it in place';

/** Why a resource with an owned name is left alone: it lacks the owner tag. */
export const notTaggedReason = (integration: string): string => `not tagged ${OWNER_TAG}=${integration}, so not edge-install's to delete`;

/** Where a Lambda@Edge function's replicas log, in every Region: Lambda@Edge's own group unless the manifest names one. */
export const edgeLogGroup = (functionName: string, custom?: string): string => custom ?? `/aws/lambda/us-east-1.${functionName}`;
