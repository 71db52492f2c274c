/**
 * PURE: cache policy names by id, for the plans of `rollback`, `detach` and `plan`, whose lines
 * show the ids CloudFront gave them (issue 18: name cache policies by name, not id). From the
 * revisions (each records its policies' ids by manifest key) and, for detach and plan, from the
 * policies read in the account (name and id, also without any revision).
 *
 * A policy edge-install created is named `<integration>-<key>` (manifest/naming.ts). A policy
 * `import` adopted is the user's, with the user's name: an import revision records it by key
 * like the others (import creates nothing, so every policy it records is adopted) and names it
 * in its `adopted` list (`cache-policy:<its name>`, in the same order). It is shown by that
 * name — never as `<integration>-<key>`, which would say edge-install made it — or, when the
 * revision does not tell its name, by its id alone.
 */
import { cachePolicyName } from '../../manifest/naming.js';
import type { PolicyNames } from './text.js';

interface RevisionPolicies {
  kind?: string;
  cachePolicies?: Record<string, string>;
  adopted?: readonly string[];
}

/** The ids an import revision adopted, with their real names when the revision pairs them. */
function adoptedByImport(revision: RevisionPolicies): Map<string, string | undefined> {
  const ids = Object.values(revision.cachePolicies ?? {});
  const names = (revision.adopted ?? []).filter((r) => r.startsWith('cache-policy:')).map((r) => r.slice('cache-policy:'.length));
  // import-manifest.ts (judgeCachePolicies) records both in one loop, so they pair by position; if the counts differ, no name is guessed.
  return new Map(ids.map((id, i) => [id, names.length === ids.length ? names[i] : undefined]));
}

export function ownedPolicyNames(integration: string, revisions: readonly RevisionPolicies[], observed: readonly { kind: string; name: string; id?: string }[] = []): PolicyNames {
  const adopted = new Map<string, string | undefined>();
  for (const revision of revisions) if (revision.kind === 'import') for (const [id, name] of adoptedByImport(revision)) adopted.set(id, name);
  const names: Record<string, string> = {};
  for (const revision of revisions) {
    for (const [key, id] of Object.entries(revision.cachePolicies ?? {})) {
      // A later revision may carry an adopted id forward (promote copies the last one's): it is still the user's.
      if (adopted.has(id)) continue;
      names[id] = cachePolicyName(integration, key);
    }
  }
  for (const [id, name] of adopted) if (name !== undefined && name !== id) names[id] = name;
  // What the account says wins over a name derived from an old revision.
  for (const resource of observed) if (resource.kind === 'cache-policy' && resource.id) names[resource.id] = resource.name;
  return names;
}
