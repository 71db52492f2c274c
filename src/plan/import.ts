/**
 * PURE: `import` assembled — a recipe's shape matched against an install made by hand (what
 * gather/import.ts read), giving what import would take over and on what evidence, what it
 * found but leaves as it is, what it expected and did not find (each with why), the values the
 * manifest needs (inferred from the install, or given with --set), and the first revision:
 * owned parts before = after = the adopted parts, the adopted function versions, the adopted
 * cache policies (which take no tags: the revision is their record) and the tags to add.
 *
 * How the adopted parts stay the integration's without any distribution write: they are
 * recognised from then on by the revision (owned-parts.ts takes the last revision's origins and
 * created behaviors as owned; owned-names.ts takes the functions a revision names as the
 * integration's), not by edge-install's name markers (`ei-<name>-<key>` origins,
 * `<name>-<key>` functions), which a hand-made install does not have. The first `attach` moves
 * them onto those markers (the built-in functions, edge-install's origin Id); until then the
 * state (revisions) is what knows them.
 *
 * The recipes' shapes are in import-shapes.ts; the manifest in import-manifest.ts.
 */
import type { CacheBehavior, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import type { ImportedFunction, ImportedRole, ImportedSecret } from '../aws/observe/import-parts.js';
import type { ImportInputs } from '../gather/import.js';
import { ADOPTED_TAG, missingTags, OWNER_TAG, roleName, wantedTags } from '../manifest/naming.js';
import type { Answers, Recipe } from '../manifest/recipes.js';
import type { Manifest, ManifestInput } from '../manifest/schema.js';
import type { S3Location } from '../state/s3/location.js';
import { formatAddress, formatResource } from './addresses.js';
import { ownedParts, type OwnedParts } from './owned-parts.js';
import type { RevisionFunction } from './revision.js';

/** Every behavior of a config, the default one as `*`, with what import looks at. */
export interface BehaviorView {
  pattern: string;
  /** -1 for the default behavior. */
  index: number;
  targetOriginId: string;
  cachePolicyId?: string;
  originRequestPolicyId?: string;
  viewerProtocolPolicy?: string;
  methods: string[];
  associations: { event: string; arn: string; includeBody: boolean }[];
}

export function behaviorsWithTriggers(config: DistributionConfig): BehaviorView[] {
  const view = (b: CacheBehavior | NonNullable<DistributionConfig['DefaultCacheBehavior']>, pattern: string, index: number): BehaviorView => ({
    pattern,
    index,
    targetOriginId: b.TargetOriginId ?? '',
    cachePolicyId: b.CachePolicyId || undefined,
    originRequestPolicyId: b.OriginRequestPolicyId || undefined,
    viewerProtocolPolicy: b.ViewerProtocolPolicy,
    methods: [...(b.AllowedMethods?.Items ?? [])].sort(),
    associations: (b.LambdaFunctionAssociations?.Items ?? []).map((a) => ({ event: a.EventType ?? '', arn: a.LambdaFunctionARN ?? '', includeBody: a.IncludeBody ?? false })),
  });
  return [
    ...(config.DefaultCacheBehavior ? [view(config.DefaultCacheBehavior, '*', -1)] : []),
    ...(config.CacheBehaviors?.Items ?? []).map((b, i) => view(b, b.PathPattern ?? '', i)),
  ];
}

/** A secret import looks for, and where the name came from. */
export interface SecretCandidate {
  name: string;
  region: string;
  from: string;
}

/** What the user told import (flags), already checked for form. */
export interface ImportOptions {
  recipe: Recipe;
  integration: string;
  distributionId: string;
  /** --set: values import cannot infer, or that pick among candidates. */
  given: Answers;
  /** --secret-name. */
  secretName?: string;
  /** --region: the secret's region. */
  secretRegion?: string;
  /** --function key=name: this function is the recipe's `key`, whatever its name says. */
  functionNames: Record<string, string>;
  /** --state s3://…: written into the manifest (state.s3), as init does, for every later run. */
  state?: S3Location;
}

// ---- what import reports ------------------------------------------------------------------

export type ImportPartKind = 'origin' | 'behavior' | 'association' | 'function' | 'cache-policy' | 'secret' | 'role';

export interface AdoptedPart {
  kind: ImportPartKind;
  /** As plan addresses say it: origins.<id>, behaviors.<pattern>, behaviors.<pattern>.<event>, functions.<key>, cachePolicies.<key>, secret, role. */
  address: string;
  /** The AWS name (origin Id, path pattern, function name:version, policy name, secret or role name). */
  name: string;
  /** Why import takes this for the recipe's part: what it checked. */
  evidence: string[];
  /** The tags import adds (only what it lacks); absent for parts that take no tags. */
  tags?: Record<string, string>;
}

/** A resource import tags, after approval: the only AWS writes it makes. */
export interface TagTarget {
  kind: 'function' | 'role' | 'secret';
  name: string;
  /** The ARN TagResource takes (Lambda: the function's, Secrets Manager: the secret's); a role is tagged by name. */
  arn: string;
  region?: string;
  tags: Record<string, string>;
}

export interface LeftPart {
  part: string;
  reason: string;
}

export interface UnmatchedPart {
  part: string;
  why: string;
}

export interface MissingValue {
  /** A recipe question's key (given with --set), or in parentheses what is not one: `(manifest)`, `(secret)` (the why says what to pass). */
  key: string;
  why: string;
}

export interface ImportPlan {
  recipe: string;
  integration: string;
  distributionId: string;
  etag: string;
  /** The recipe's required parts were found: there is an install to import. */
  found: boolean;
  adopt: AdoptedPart[];
  /** Found, and left as it is (not taken over), with why. */
  left: LeftPart[];
  /** Expected by the recipe and not found as it expects, with why. */
  unmatched: UnmatchedPart[];
  /** What the first attach will add or change (the recipe's parts the hand-made install lacks, edge-install's markers). */
  later: string[];
  /** The recipe's answers: inferred, given, or defaults (never a random one). */
  answers: Answers;
  /** Where each inferred answer came from. */
  inferred: Record<string, string>;
  /** Answers that could not be inferred and were not given (exit 2, naming --set). */
  missing: MissingValue[];
  secret?: { name: string; region: string; arn?: string };
  /** Adopted cache policies by recipe key: the manifest names them by id. */
  cachePolicyIds: Record<string, string>;
  /** The owned parts as the revision records them (before = after). */
  owned: OwnedParts;
  functions: RevisionFunction[];
  /** `function:<name>`, `secret:<name>`, `cache-policy:<name>`, `role:<name>`. */
  adoptedResources: string[];
  tags: TagTarget[];
  /** The manifest import writes (raw: `${values.*}` kept) and the same, checked. */
  manifest?: { raw: ManifestInput; manifest: Manifest };
}

// ---- matching, shared by the shapes -------------------------------------------------------

/** What a shape found, filled in as it goes (import-shapes.ts). */
export class Findings {
  readonly adopt: AdoptedPart[] = [];
  readonly left: LeftPart[] = [];
  readonly unmatched: UnmatchedPart[] = [];
  readonly later: string[] = [];
  readonly inferred: Record<string, string> = {};
  readonly answers: Answers = {};
  readonly origins: Origin[] = [];
  readonly createdPatterns: string[] = [];
  readonly functions = new Map<string, { fn: ImportedFunction; key: string }>();
  readonly tags: TagTarget[] = [];
  readonly adoptedResources: string[] = [];
  /** The cache policy of each adopted behavior, by recipe key: adopted or not is decided once the manifest is known. */
  readonly policyCandidates: { key: string; pattern: string; policyId: string }[] = [];
  readonly missingValues: MissingValue[] = [];
  secret?: ImportedSecret;
  /** Several parts fit the recipe's one: the user must say which before anything else can be told. */
  ambiguous = false;
  /** The secret the manifest names (found or not). */
  secretChoice?: SecretCandidate;
  found = false;

  constructor(
    readonly inputs: ImportInputs,
    readonly options: ImportOptions,
  ) {}

  infer(key: string, value: string | boolean, from: string): void {
    if (key in this.answers) return;
    this.answers[key] = value;
    this.inferred[key] = from;
  }

  originById(id: string): Origin | undefined {
    return (this.inputs.distribution.config.Origins?.Items ?? []).find((o) => o.Id === id);
  }

  fn(arn: string): ImportedFunction | undefined {
    return this.inputs.functions.find((f) => f.arn === arn);
  }

  /**
   * The tags a resource lacks, and whether it is adopted: the owner tag and the adoption mark —
   * except on what carries this integration's owner tag without the mark, which edge-install
   * made itself (an install whose state was lost): it stays edge-install's own, deletable by
   * detach, and is not recorded as adopted (naming.ts, wantedTags).
   */
  tagsFor(existing: Record<string, string>): { tags: Record<string, string>; adopted: boolean } {
    const wanted = wantedTags(this.options.integration, { exists: true, tags: existing });
    return { tags: missingTags(wanted, existing), adopted: wanted[ADOPTED_TAG] === 'true' };
  }

  /** Another integration's tag on a resource: it is not import's to take. */
  claimedByAnother(tags: Record<string, string>): string | undefined {
    const owner = tags[OWNER_TAG];
    return owner !== undefined && owner !== this.options.integration ? owner : undefined;
  }

  adoptOrigin(origin: Origin, evidence: string[]): void {
    if (this.origins.some((o) => o.Id === origin.Id)) return;
    this.origins.push(origin);
    this.adopt.push({ kind: 'origin', address: formatAddress({ kind: 'origin', id: origin.Id ?? '' }), name: origin.Id ?? '', evidence });
  }

  adoptBehavior(pattern: string, evidence: string[]): void {
    this.createdPatterns.push(pattern);
    this.adopt.push({ kind: 'behavior', address: formatAddress({ kind: 'behavior', pattern }), name: pattern, evidence });
  }

  /** A trigger and its function (tagged, unless it carries the tags already). */
  adoptTrigger(pattern: string, event: string, fn: ImportedFunction, key: string, evidence: string[]): void {
    this.adopt.push({ kind: 'association', address: formatAddress({ kind: 'association', pattern, event }), name: `${fn.name}:${fn.version}`, evidence });
    if (this.functions.has(fn.name)) return;
    this.functions.set(fn.name, { fn, key });
    const { tags, adopted } = this.tagsFor(fn.tags);
    const facts = [`${fn.runtime ?? 'unknown runtime'}, ${fn.memorySize ?? '?'} MB, ${fn.timeout ?? '?'} s`, `version ${fn.version} runs on ${pattern} ${event}`];
    this.adopt.push({ kind: 'function', address: formatAddress({ kind: 'function', key }), name: fn.name, evidence: facts, ...(Object.keys(tags).length ? { tags } : {}) });
    if (adopted) this.adoptedResources.push(formatResource({ kind: 'function', name: fn.name }));
    if (Object.keys(tags).length && fn.functionArn) this.tags.push({ kind: 'function', name: fn.name, arn: fn.functionArn, tags });
  }

  adoptSecret(secret: ImportedSecret, evidence: string[]): void {
    this.secret = secret;
    const { tags, adopted } = this.tagsFor(secret.tags);
    this.adopt.push({ kind: 'secret', address: formatAddress({ kind: 'secret' }), name: secret.name, evidence, ...(Object.keys(tags).length ? { tags } : {}) });
    if (adopted) this.adoptedResources.push(formatResource({ kind: 'secret', name: secret.name }));
    if (Object.keys(tags).length && secret.arn) this.tags.push({ kind: 'secret', name: secret.name, arn: secret.arn, region: secret.region, tags });
  }
}

/**
 * The functions' execution role. edge-install manages one role per integration, named
 * `<integration>-edge` (naming.ts), and only that one: detach finds (and untags) it by that
 * name. A hand-made role under another name is left as it is — tagging it would leave tags
 * no later command could find to remove — and the built-in functions the first attach deploys
 * get edge-install's own role. A role that does have that name is adopted (tagged).
 */
export function judgeRoles(f: Findings): void {
  const arns = [...new Set([...f.functions.values()].map(({ fn }) => fn.role).filter((r): r is string => !!r))];
  const wanted = roleName(f.options.integration);
  for (const arn of arns) {
    const role: ImportedRole | undefined = f.inputs.roles.find((r) => r.arn === arn || arn.endsWith(`/${r.name}`));
    const name = role?.name ?? arn.split('/').at(-1)!;
    if (!role?.exists) {
      f.left.push({ part: `role ${name}`, reason: 'the functions name it as their execution role, but it cannot be read (deleted, or not in this account)' });
      continue;
    }
    const other = f.claimedByAnother(role.tags);
    if (name === wanted && !other) {
      const { tags, adopted } = f.tagsFor(role.tags);
      f.adopt.push({ kind: 'role', address: formatAddress({ kind: 'role' }), name, evidence: [`the execution role of ${[...f.functions.values()].filter(({ fn }) => fn.role === arn).map(({ fn }) => fn.name).join(', ')}`, `named ${wanted}, the role edge-install keeps for ${f.options.integration}`], ...(Object.keys(tags).length ? { tags } : {}) });
      if (adopted) f.adoptedResources.push(formatResource({ kind: 'role', name }));
      if (Object.keys(tags).length) f.tags.push({ kind: 'role', name, arn: role.arn, tags });
      continue;
    }
    f.left.push({
      part: `role ${name}`,
      reason: other
        ? `tagged ${OWNER_TAG}=${other}: it belongs to that integration`
        : `the hand-made functions' execution role; edge-install manages only the role ${wanted}, so this one stays yours and untouched (the built-in functions the first attach deploys get ${wanted})`,
    });
  }
}

/** The revision's owned parts: the adopted origins, the adopted behaviors (created), the adopted triggers. */
export function importedOwnedParts(f: Findings): OwnedParts {
  const owner = { integration: f.options.integration, functionNames: [...f.functions.keys()], originKeys: [] };
  const previous: OwnedParts = { origins: f.origins, behaviors: [], associations: [] };
  return ownedParts(f.inputs.distribution.config, owner, previous, f.createdPatterns);
}
