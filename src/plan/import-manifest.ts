/**
 * PURE: the manifest `import` writes — the recipe's, expanded with the answers inferred from
 * the install (or given with --set; a value the vendor issues is never invented: no random
 * default), naming the secret the install uses, and naming an adopted cache policy by its id
 * (so the first attach keeps using it instead of creating the recipe's own). And the cache
 * policy judgement that decides the last: adopted when its settings are the recipe's, else
 * left as it is, with the differences.
 */
import type { CachePolicyConfig } from '@aws-sdk/client-cloudfront';
import { buildInitManifest } from '../manifest/init-manifest.js';
import { managedPolicyName } from '../manifest/managed-policies.js';
import { cachePolicyName } from '../manifest/naming.js';
import { parseManifest } from '../manifest/parse.js';
import { resolveAnswers, type Answers, type Recipe } from '../manifest/recipes.js';
import type { Manifest, ManifestInput } from '../manifest/schema.js';
import type { S3Location } from '../state/s3/location.js';
import { formatAddress, formatResource } from './addresses.js';
import type { Findings, MissingValue } from './import.js';
import { cachePolicyConfig } from './resources.js';

const noRandom = (): Buffer => {
  throw new Error('import never draws a random value');
};

/**
 * Every non-secret answer: --set wins over what was inferred, then the recipe's fixed defaults.
 * A question whose default is random (a value the vendor issues) and that nobody answered is
 * missing — as are inferred values the recipe's rules refuse.
 */
export function importAnswers(recipe: Recipe, integration: string, given: Answers, inferred: Answers, alreadyMissing: readonly MissingValue[]): { answers: Answers; missing: MissingValue[] } {
  const merged: Answers = { ...inferred, ...given, name: integration };
  const missing: MissingValue[] = [...alreadyMissing];
  const said = new Set(missing.map((m) => m.key));
  for (const q of recipe.questions) {
    if (q.type === 'secret' || q.key in merged || said.has(q.key)) continue;
    if (q.default !== undefined && typeof q.default === 'object') missing.push({ key: q.key, why: `import could not infer it from the install (${q.message})` });
  }
  const plain = { ...recipe, questions: recipe.questions.filter((q) => !missing.some((m) => m.key === q.key)) };
  const resolved = resolveAnswers(plain, merged, noRandom);
  for (const q of resolved.missing) missing.push({ key: q.key, why: `import could not infer it from the install (${q.message})` });
  for (const { question, reason } of resolved.invalid) {
    const from = question.key in given ? '--set' : 'the install';
    missing.push({ key: question.key, why: `${JSON.stringify(merged[question.key])} (from ${from}) is not valid: ${reason}` });
  }
  return { answers: resolved.answers, missing };
}

/** The differences between a cache policy and the recipe's, in words (empty: the same). */
export function policyDifferences(have: CachePolicyConfig, want: CachePolicyConfig): string[] {
  const out: string[] = [];
  const same = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${label} ${JSON.stringify(a ?? null)} (the recipe's: ${JSON.stringify(b ?? null)})`);
  };
  same('MinTTL', have.MinTTL, want.MinTTL);
  same('DefaultTTL', have.DefaultTTL, want.DefaultTTL);
  same('MaxTTL', have.MaxTTL, want.MaxTTL);
  const p = have.ParametersInCacheKeyAndForwardedToOrigin;
  const q = want.ParametersInCacheKeyAndForwardedToOrigin;
  same('gzip', p?.EnableAcceptEncodingGzip ?? false, q?.EnableAcceptEncodingGzip ?? false);
  same('brotli', p?.EnableAcceptEncodingBrotli ?? false, q?.EnableAcceptEncodingBrotli ?? false);
  // Header names are not case-sensitive in HTTP; cookie and query string names are.
  const set = (behavior: string | undefined, items: string[] | undefined, lower = false) => `${behavior ?? 'none'}${items?.length ? `: ${[...items].map((i) => (lower ? i.toLowerCase() : i)).sort().join(', ')}` : ''}`;
  same('headers', set(p?.HeadersConfig?.HeaderBehavior, p?.HeadersConfig?.Headers?.Items, true), set(q?.HeadersConfig?.HeaderBehavior, q?.HeadersConfig?.Headers?.Items, true));
  same('cookies', set(p?.CookiesConfig?.CookieBehavior, p?.CookiesConfig?.Cookies?.Items), set(q?.CookiesConfig?.CookieBehavior, q?.CookiesConfig?.Cookies?.Items));
  same('query strings', set(p?.QueryStringsConfig?.QueryStringBehavior, p?.QueryStringsConfig?.QueryStrings?.Items), set(q?.QueryStringsConfig?.QueryStringBehavior, q?.QueryStringsConfig?.QueryStrings?.Items));
  return out;
}

/** Decides each adopted behavior's cache policy: adopted (named by id in the manifest), or left with why. */
export function judgeCachePolicies(f: Findings, manifest: Manifest): Record<string, string> {
  const adopted: Record<string, string> = {};
  const integration = f.options.integration;
  for (const { key, pattern, policyId } of f.policyCandidates) {
    const recipePolicy = manifest.cachePolicies[key];
    const ours = cachePolicyName(integration, key);
    const managed = managedPolicyName(policyId);
    if (managed) {
      f.left.push({ part: `cache policy ${managed}`, reason: `${pattern} uses AWS's managed policy ${managed}, which is nobody's to adopt${recipePolicy ? `; the first attach moves ${pattern} to the recipe's own, ${ours}` : ''}` });
      continue;
    }
    const policy = f.inputs.cachePolicies.find((p) => p.id === policyId);
    if (!policy?.exists || !policy.config) {
      f.unmatched.push({ part: `cache policy of ${pattern}`, why: `${pattern} names cache policy ${policyId}, which CloudFront cannot find` });
      continue;
    }
    if (!recipePolicy) {
      f.left.push({ part: `cache policy ${policy.name}`, reason: `the recipe has no cache policy of its own for ${pattern}: left as it is` });
      continue;
    }
    const differences = policyDifferences(policy.config, cachePolicyConfig(integration, key, recipePolicy));
    if (differences.length) {
      f.unmatched.push({
        part: `cache policy ${policy.name}`,
        why: `it differs from the recipe's: ${differences.join('; ')}. It is left as it is; the first attach creates ${ours} with the recipe's settings and moves ${pattern} to it`,
      });
      continue;
    }
    adopted[key] = policy.id;
    f.adopt.push({
      kind: 'cache-policy',
      address: formatAddress({ kind: 'cache-policy', key }),
      name: policy.name ?? policy.id,
      evidence: [`the cache policy of ${pattern} (id ${policy.id})`, `the recipe's settings: TTL ${recipePolicy.minTtl}/${recipePolicy.defaultTtl}/${recipePolicy.maxTtl}`, 'cache policies take no tags: the revision records the adoption, and the manifest names it by id'],
    });
    f.adoptedResources.push(formatResource({ kind: 'cache-policy', name: policy.name ?? policy.id }));
  }
  return adopted;
}

/** The recipe's manifest with the import's answers, secret, and adopted cache policies (by id). */
export function importManifest(
  recipe: Recipe,
  answers: Answers,
  distributionId: string,
  options: { secret?: { name: string; region: string }; adoptedPolicies?: Record<string, string>; source?: string; state?: S3Location },
): { raw: ManifestInput; manifest: Manifest } {
  const built = buildInitManifest(recipe, answers, [distributionId], { secretRegion: options.secret?.region, source: options.source, state: options.state });
  const raw = structuredClone(built.raw) as ManifestInput & Record<string, unknown>;
  if (options.secret && raw.secret) raw.secret = { ...raw.secret, name: options.secret.name, region: options.secret.region };
  const policies = options.adoptedPolicies ?? {};
  if (Object.keys(policies).length) {
    raw.behaviors = raw.behaviors.map((b) => (b.cachePolicy && policies[b.cachePolicy] ? { ...b, cachePolicy: policies[b.cachePolicy] } : b));
    raw.cachePolicies = Object.fromEntries(Object.entries(raw.cachePolicies ?? {}).filter(([key]) => !policies[key]));
  }
  return { raw, manifest: parseManifest(structuredClone(raw), options.source, { recipe }) };
}
