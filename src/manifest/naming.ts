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

/** Why a resource with an owned name is left alone: it lacks the owner tag. */
export const notTaggedReason = (integration: string): string => `not tagged ${OWNER_TAG}=${integration}, so not edge-install's to delete`;
