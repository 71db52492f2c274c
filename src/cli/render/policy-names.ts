/**
 * PURE: the integration's own cache policies by id, for the plans of `rollback` and `detach`,
 * whose lines show the ids CloudFront gave them (issue 18: name cache policies by name, not
 * id). From the revisions (each records its policies' ids by manifest key; the name is
 * `<integration>-<key>`, manifest/naming.ts) and, for detach, from the policies read in the
 * account (name and id, also without any revision).
 */
import { cachePolicyName } from '../../manifest/naming.js';
import type { PolicyNames } from './text.js';

export function ownedPolicyNames(
  integration: string,
  revisions: readonly { cachePolicies?: Record<string, string> }[],
  observed: readonly { kind: string; name: string; id?: string }[] = [],
): PolicyNames {
  const names: Record<string, string> = {};
  for (const revision of revisions) for (const [key, id] of Object.entries(revision.cachePolicies ?? {})) names[id] = cachePolicyName(integration, key);
  // What the account says wins over a name derived from an old revision.
  for (const resource of observed) if (resource.kind === 'cache-policy' && resource.id) names[resource.id] = resource.name;
  return names;
}
