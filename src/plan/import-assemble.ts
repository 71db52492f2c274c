/**
 * PURE: `import` assembled from what gather/import.ts read: the recipe's shape matched
 * (import-shapes.ts), the answers and the manifest (import-manifest.ts), the cache policies
 * judged against the recipe's, the role judged, and the first revision's facts (import.ts).
 */
import type { ImportInputs } from '../gather/import.js';
import { ManifestError } from '../manifest/errors.js';
import { Findings, importedOwnedParts, judgeRoles, type ImportOptions, type ImportPlan, type SecretCandidate } from './import.js';
import { importAnswers, importManifest, judgeCachePolicies } from './import-manifest.js';
import { enforcerSecretCandidates, matchEdgeEnforcer, matchFirstPartyProxy, proxySecretCandidates } from './import-shapes.js';
import type { RevisionFunction } from './revision.js';

/** The recipes import knows the shape of (custom has none: its handlers and behaviors are the user's). */
export const IMPORTABLE_RECIPES = ['first-party-proxy', 'edge-enforcer'] as const;

const SHAPES: Record<string, (f: Findings) => void> = {
  'first-party-proxy': matchFirstPartyProxy,
  'edge-enforcer': matchEdgeEnforcer,
};

/** The secrets gather should look for, once the distribution is read. */
export function secretCandidates(options: ImportOptions, origins: Parameters<typeof proxySecretCandidates>[1]): SecretCandidate[] {
  const found = options.recipe.name === 'first-party-proxy' ? proxySecretCandidates({ options }, origins) : enforcerSecretCandidates({ options });
  // Also the recipe's own name, in each candidate's region: the manifest names it in place of a
  // secret import refuses, but only if it is free (import-shapes.ts, ownSecretFree), which takes reading it.
  const own = found.map((c) => ({ name: `edge-install/${options.integration}`, region: c.region, from: "the recipe's default name" }));
  return [...found, ...own.filter((o, i) => !found.some((c) => c.name === o.name && c.region === o.region) && own.findIndex((p) => p.region === o.region) === i)];
}

/** Secret keys the recipe keeps in plain text (a `value`, never `sensitive`): import may read these to infer settings. */
export function plainSecretKeys(options: Pick<ImportOptions, 'recipe'>): string[] {
  const keys = ((options.recipe.manifest.secret as { keys?: Record<string, { sensitive?: boolean; value?: string }> } | undefined)?.keys ?? {}) as Record<string, { sensitive?: boolean; value?: string }>;
  return Object.entries(keys)
    .filter(([, k]) => !k.sensitive && k.value !== undefined)
    .map(([name]) => name);
}

export function assembleImport(inputs: ImportInputs, options: ImportOptions): ImportPlan {
  const f = new Findings(inputs, options);
  SHAPES[options.recipe.name]!(f);
  const base: ImportPlan = {
    recipe: options.recipe.name,
    integration: options.integration,
    distributionId: inputs.distribution.id,
    etag: inputs.distribution.etag,
    found: f.found,
    adopt: f.adopt,
    left: f.left,
    unmatched: f.unmatched,
    later: f.later,
    answers: {},
    inferred: f.inferred,
    missing: [],
    cachePolicyIds: {},
    owned: { origins: [], behaviors: [], associations: [] },
    functions: [],
    adoptedResources: f.adoptedResources,
    tags: f.tags,
  };
  if (!f.found) return base;
  if (f.ambiguous) return { ...base, missing: f.missingValues };
  judgeRoles(f);
  const { answers, missing } = importAnswers(options.recipe, options.integration, options.given, f.answers, f.missingValues);
  base.answers = answers;
  base.missing = missing;
  if (missing.length) return base;
  const secret = f.secretChoice && { name: f.secretChoice.name, region: f.secretChoice.region };
  let built;
  try {
    // First with the recipe's own policies, to judge the install's against them; then naming the adopted ones by id.
    const recipeManifest = importManifest(options.recipe, answers, inputs.distribution.id, { secret }).manifest;
    base.cachePolicyIds = judgeCachePolicies(f, recipeManifest);
    built = importManifest(options.recipe, answers, inputs.distribution.id, { secret, adoptedPolicies: base.cachePolicyIds, state: options.state });
  } catch (error) {
    // An inferred value the manifest's rules refuse: said as a value to give, not as a broken file.
    if (error instanceof ManifestError) {
      base.missing = [{ key: '(manifest)', why: error.message }];
      return base;
    }
    throw error;
  }
  base.manifest = built;
  base.owned = importedOwnedParts(f);
  base.functions = [...f.functions.values()].map(({ fn, key }): RevisionFunction => ({ key, name: fn.name, version: fn.version, arn: fn.arn, ...(fn.codeSha256 ? { codeSha256: fn.codeSha256 } : {}) }));
  // No versionId: a revision's versionId is a version the change wrote (rollback moves the secret back from it); import writes none.
  if (f.secret?.exists) base.secret = { name: f.secret.name, region: f.secret.region, ...(f.secret.arn ? { arn: f.secret.arn } : {}) };
  return base;
}
