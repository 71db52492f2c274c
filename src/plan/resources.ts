/**
 * PURE: what the resource steps must do, from the manifest, what exists (src/aws/observe) and
 * the bundles already built. No I/O, no secret values (only keyed digests), so every rule
 * here is a unit test on plain objects. A re-run with nothing changed yields only `none`.
 */
import type { CachePolicyConfig } from '@aws-sdk/client-cloudfront';
import type { ObservedResources, ObservedSecret } from '../aws/observe/index.js';
import type { FunctionSettings, ObservedFunction, ObservedVersion } from '../aws/observe/functions.js';
import type { Manifest, ManifestCachePolicy } from '../manifest/schema.js';
import { UsageError } from '../errors.js';
import { cachePolicyName, EXECUTION_POLICY_NAME, functionName, missingTags, OWNER_TAG, ownerTags, roleName, wantedTags } from '../manifest/naming.js';
import { formatResource, type Address } from './addresses.js';
import { executionPolicy, trustPolicy, type PolicyDocument } from './iam-documents.js';
import { sameValue } from './values.js';

export type Action = 'create' | 'update' | 'none';

/** Something the user must supply or fix before anything is written (exit code 2). */
export class PlanError extends UsageError {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(`${message} ${fix}`);
  }
}

export interface SecretChange {
  kind: 'secret';
  action: Action;
  address: Extract<Address, { kind: 'secret' }>;
  name: string;
  region: string;
  /** Keys whose stored value differs from (or lacks) the desired one; never the values. */
  keysToWrite: string[];
  addReplicaRegions: string[];
  tagsToAdd: Record<string, string>;
  /** It exists without edge-install's tag: this change adopts it (tags it, never deletes it). */
  adopt: boolean;
  /** The version labelled AWSCURRENT when it was read (what a rollback of this change goes back to). */
  versionBefore?: string;
}

export interface RoleChange {
  kind: 'role';
  action: Action;
  address: Extract<Address, { kind: 'role' }>;
  name: string;
  createRole: boolean;
  updateTrust: boolean;
  putExecutionPolicy: boolean;
  policyName: string;
  trustPolicy: PolicyDocument;
  executionPolicy: PolicyDocument;
  tags: Record<string, string>;
  /** Tags an existing role lacks (TagRole). */
  tagsToAdd: Record<string, string>;
  /** It exists without edge-install's tag: this change adopts it. */
  adopt: boolean;
}

export interface DesiredFunctionSettings {
  runtime: string;
  memorySize: number;
  timeout: number;
  role: string;
  handler: string;
  description: string;
  /** LoggingConfig.LogGroup when the manifest names one; undefined: Lambda's default group. */
  logGroup?: string;
}

export interface FunctionChange {
  kind: 'function';
  action: Action;
  address: Extract<Address, { kind: 'function' }>;
  key: string;
  name: string;
  settings: DesiredFunctionSettings;
  codeSha256: string;
  codeSize: number;
  updateCode: boolean;
  updateSettings: boolean;
  tags: Record<string, string>;
  /** Tags an existing function lacks (Lambda TagResource). */
  tagsToAdd: Record<string, string>;
  /** It exists without edge-install's tag: this change adopts it. */
  adopt: boolean;
  reasons: string[];
  /** The runtime Lambda runs now, when this change moves the function to another one. */
  runtimeBefore?: string;
}

export interface VersionChange {
  kind: 'version';
  /** create = publish a new version; none = reuse `reuse`. */
  action: 'create' | 'none';
  address: Extract<Address, { kind: 'version' }>;
  key: string;
  name: string;
  codeSha256: string;
  reuse?: { version: string; arn: string };
}

export interface CachePolicyChange {
  kind: 'cache-policy';
  action: Action;
  address: Extract<Address, { kind: 'cache-policy' }>;
  key: string;
  name: string;
  id?: string;
  etag?: string;
  config: CachePolicyConfig;
  /** It existed, and no revision says edge-install made it: this change adopts it (recorded in the revision; cache policies take no tags). */
  adopt: boolean;
}

export type ResourceChange = SecretChange | RoleChange | FunctionChange | VersionChange | CachePolicyChange;

export interface ResourcePlanInput {
  manifest: Manifest;
  observed: ObservedResources;
  /** Per function key: the bundle it should run. */
  bundles: Record<string, { codeSha256: string; codeSize: number }>;
  /** Digest (same key as the observation's) of every secret value known for this run. */
  desiredSecretDigests: Record<string, string>;
  /** What the revisions say of cache policies: ids they record, and names recorded as adopted. */
  cachePolicyRecord?: { recordedIds: ReadonlySet<string>; adopted: ReadonlySet<string> };
}

/**
 * A resource under the wanted name that carries another integration's owner tag is that
 * integration's: re-tagging it would hand it to this one (and to its detach). Refused, for
 * every kind (function names can collide: `fp` + `proxy-x` and `fp-proxy` + `x`).
 */
function refuseForeignOwner(integration: string, what: string, tags: Record<string, string> | undefined, fix: string): void {
  const owner = tags?.[OWNER_TAG];
  if (owner !== undefined && owner !== integration) throw new PlanError(`The ${what} belongs to the integration ${owner} (tag ${OWNER_TAG}=${owner}).`, fix);
}

// ---- secret -------------------------------------------------------------------------------

/** The secret step, from the manifest, the secret as it is (values as keyed digests) and the desired values' digests. */
export function planSecret(manifest: Manifest, current: ObservedSecret | undefined, desiredSecretDigests: Record<string, string>): SecretChange | undefined {
  const secret = manifest.secret;
  if (!secret) return undefined;
  if (current?.scheduledForDeletion) {
    throw new PlanError(`The secret ${secret.name} in ${secret.region} is scheduled for deletion.`, 'Restore it (aws secretsmanager restore-secret) or choose another secret.name.');
  }
  const stored = current?.keyDigests ?? {};
  const missing = Object.keys(secret.keys).filter((key) => desiredSecretDigests[key] === undefined && stored[key] === undefined);
  if (missing.length && !current?.exists) {
    // Most often the secret exists, in another region: say where it was looked for.
    throw new PlanError(
      `The secret ${secret.name} was not found in ${secret.region}, and no value is given for ${missing.length > 1 ? 'its keys' : 'its key'} ${missing.join(', ')}.`,
      `If the secret is in another region, set secret.region in the manifest to it; otherwise create it with edge-install init (it asks for the values), then run this again.`,
    );
  }
  if (missing.length) {
    throw new PlanError(
      `No value is stored or given for secret key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
      `Store ${missing.length > 1 ? 'them' : 'it'} with edge-install init (it asks; unattended: init --force with --secrets-file, --secrets-from-env and EDGE_INSTALL_SECRET_${missing[0]}, or --secrets-stdin), then run this again.`,
    );
  }
  if (current?.exists && current.keyDigests === undefined) {
    throw new PlanError(`The secret ${secret.name} does not hold a JSON object of keys.`, 'Point secret.name at a secret edge-install manages, or store its keys as JSON.');
  }
  const owner = current?.exists ? current.tags[OWNER_TAG] : undefined;
  refuseForeignOwner(
    manifest.name,
    `secret ${secret.name} in ${secret.region}`,
    current?.exists ? current.tags : undefined,
    `Give this integration its own secret (secret.name in the manifest); if ${owner} is gone, remove the tag (aws secretsmanager untag-resource --secret-id ${secret.name} --tag-keys ${OWNER_TAG} --region ${secret.region}).`,
  );
  const keysToWrite = Object.keys(desiredSecretDigests).filter((key) => stored[key] !== desiredSecretDigests[key]).sort();
  const tagsToAdd = missingTags(wantedTags(manifest.name, current), current?.tags ?? {});
  const addReplicaRegions = secret.replicaRegions.filter((r) => !current?.replicaRegions.includes(r));
  const action: Action = !current?.exists ? 'create' : keysToWrite.length || addReplicaRegions.length || Object.keys(tagsToAdd).length ? 'update' : 'none';
  const adopt = !!current?.exists && owner === undefined;
  return { kind: 'secret', action, address: { kind: 'secret' }, name: secret.name, region: secret.region, keysToWrite, addReplicaRegions, tagsToAdd, adopt, versionBefore: current?.versionId };
}

// ---- role ---------------------------------------------------------------------------------

export function planRole(input: ResourcePlanInput): RoleChange {
  const { manifest, observed } = input;
  const names = Object.keys(manifest.functions).map((key) => functionName(manifest.name, key));
  const desiredTrust = trustPolicy();
  const customLogGroups = Object.values(manifest.functions).flatMap((fn) => (fn.logGroup ? [fn.logGroup] : []));
  const desiredExecution = executionPolicy(observed.account.accountId, names, manifest.secret, customLogGroups);
  const role = observed.role;
  if (role.exists) {
    refuseForeignOwner(manifest.name, `role ${role.name}`, role.tags, `Rename this integration (name in the manifest); if ${role.tags[OWNER_TAG]} is gone, remove the tag (aws iam untag-role --role-name ${role.name} --tag-keys ${OWNER_TAG}).`);
  }
  const createRole = !role.exists;
  const updateTrust = role.exists && !sameValue(role.trustPolicy, desiredTrust);
  const putExecutionPolicy = !role.exists || !sameValue(role.executionPolicy, desiredExecution);
  const tagsToAdd = role.exists ? missingTags(wantedTags(manifest.name, role), role.tags) : {};
  return {
    kind: 'role',
    action: createRole ? 'create' : updateTrust || putExecutionPolicy || Object.keys(tagsToAdd).length ? 'update' : 'none',
    address: { kind: 'role' },
    name: roleName(manifest.name),
    createRole,
    updateTrust,
    putExecutionPolicy,
    policyName: EXECUTION_POLICY_NAME,
    trustPolicy: desiredTrust,
    executionPolicy: desiredExecution,
    tags: ownerTags(manifest.name),
    tagsToAdd,
    adopt: role.exists && role.tags[OWNER_TAG] === undefined,
  };
}

// ---- functions and versions ---------------------------------------------------------------

export function roleArnOf(input: ResourcePlanInput): string {
  return input.observed.role.arn ?? `arn:aws:iam::${input.observed.account.accountId}:role/${roleName(input.manifest.name)}`;
}

function desiredSettings(input: ResourcePlanInput, key: string): DesiredFunctionSettings {
  const fn = input.manifest.functions[key]!;
  return {
    runtime: fn.runtime,
    memorySize: fn.memorySize,
    timeout: fn.timeout,
    role: roleArnOf(input),
    handler: 'index.handler',
    description: fn.description ?? `edge-install ${input.manifest.name}: ${key}`,
    logGroup: fn.logGroup,
  };
}

/** The differences between what Lambda runs and what is wanted, in words for the plan. */
export function settingsDrift(actual: FunctionSettings, wanted: DesiredFunctionSettings): string[] {
  const reasons: string[] = [];
  for (const field of ['runtime', 'memorySize', 'timeout', 'role', 'handler', 'description', 'logGroup'] as const) {
    // An absent log group is Lambda@Edge's own (/aws/lambda/us-east-1.<function>).
    const shown = (value: unknown) => (value === undefined && field === 'logGroup' ? "Lambda@Edge's own" : JSON.stringify(value));
    if (actual[field] !== wanted[field]) reasons.push(`${field} ${shown(actual[field])} → ${shown(wanted[field])}`);
  }
  if (actual.environmentVariables > 0) reasons.push('environment variables removed (Lambda@Edge forbids them)');
  if (actual.layers > 0) reasons.push('layers removed (Lambda@Edge forbids them)');
  return reasons;
}

/** A published version runs this code with these settings. */
function versionMatches(version: ObservedVersion, codeSha256: string, wanted: DesiredFunctionSettings): boolean {
  return version.codeSha256 === codeSha256 && settingsDrift(version.settings, wanted).length === 0;
}

export function planFunction(input: ResourcePlanInput, observed: ObservedFunction): [FunctionChange, VersionChange] {
  const { key } = observed;
  const bundle = input.bundles[key];
  if (!bundle) throw new Error(`no bundle was built for functions.${key}`);
  const settings = desiredSettings(input, key);
  const name = functionName(input.manifest.name, key);
  if (observed.exists) {
    refuseForeignOwner(input.manifest.name, `function ${name}`, observed.tags, `Rename functions.${key} (or this integration); if ${observed.tags[OWNER_TAG]} is gone, remove the tag (aws lambda untag-resource --resource ${observed.arn ?? name} --tag-keys ${OWNER_TAG}).`);
  }
  const latest = observed.latest;
  const updateCode = !!latest && latest.codeSha256 !== bundle.codeSha256;
  const drift = latest ? settingsDrift(latest.settings, settings) : [];
  const tagsToAdd = observed.exists ? missingTags(wantedTags(input.manifest.name, observed), observed.tags) : {};
  const adopt = observed.exists && observed.tags[OWNER_TAG] === undefined;
  const reasons = [...(updateCode ? ['code changed'] : []), ...drift];
  const action: Action = !observed.exists ? 'create' : reasons.length || Object.keys(tagsToAdd).length ? 'update' : 'none';
  const fnChange: FunctionChange = {
    kind: 'function',
    action,
    address: { kind: 'function', key },
    key,
    name,
    settings,
    codeSha256: bundle.codeSha256,
    codeSize: bundle.codeSize,
    updateCode,
    updateSettings: drift.length > 0,
    tags: ownerTags(input.manifest.name),
    tagsToAdd,
    adopt,
    reasons,
    ...(latest && latest.settings.runtime !== settings.runtime ? { runtimeBefore: latest.settings.runtime } : {}),
  };
  // Reuse the newest published version that already runs this code with these settings (tags are not part of a version).
  const reusable = observed.exists && reasons.length === 0 ? [...observed.versions].reverse().find((v) => versionMatches(v, bundle.codeSha256, settings)) : undefined;
  const versionChange: VersionChange = reusable
    ? { kind: 'version', action: 'none', address: { kind: 'version', key }, key, name, codeSha256: bundle.codeSha256, reuse: { version: reusable.version, arn: reusable.arn } }
    : { kind: 'version', action: 'create', address: { kind: 'version', key }, key, name, codeSha256: bundle.codeSha256 };
  return [fnChange, versionChange];
}

// ---- cache policies -----------------------------------------------------------------------

const names = (values: string[]) => ({ Quantity: values.length, Items: values });

/** The CloudFront config a manifest cache policy stands for. */
export function cachePolicyConfig(integration: string, key: string, policy: ManifestCachePolicy): CachePolicyConfig {
  const listed = (value: 'all' | string[], none: 'none') =>
    value === 'all' ? { behavior: 'all' as const } : value.length ? { behavior: 'whitelist' as const, names: names(value) } : { behavior: none };
  const cookies = listed(policy.cookies, 'none');
  const queryStrings = listed(policy.queryStrings, 'none');
  return {
    Name: cachePolicyName(integration, key),
    Comment: policy.comment ?? `edge-install ${integration}: ${key}`,
    MinTTL: policy.minTtl,
    DefaultTTL: policy.defaultTtl,
    MaxTTL: policy.maxTtl,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: policy.gzip,
      EnableAcceptEncodingBrotli: policy.brotli,
      HeadersConfig: policy.headers.length ? { HeaderBehavior: 'whitelist', Headers: names(policy.headers) } : { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: cookies.behavior, ...('names' in cookies ? { Cookies: cookies.names } : {}) },
      QueryStringsConfig: { QueryStringBehavior: queryStrings.behavior, ...('names' in queryStrings ? { QueryStrings: queryStrings.names } : {}) },
    },
  };
}

export function planCachePolicies(input: ResourcePlanInput): CachePolicyChange[] {
  return input.observed.cachePolicies.map((observed) => {
    const config = cachePolicyConfig(input.manifest.name, observed.key, input.manifest.cachePolicies[observed.key]!);
    const action: Action = !observed.exists ? 'create' : sameValue(observed.config, config) ? 'none' : 'update';
    // A policy with the wanted name that no revision made (nor adopted already) was there before: adopted now.
    const record = input.cachePolicyRecord;
    const adopt = observed.exists && !record?.recordedIds.has(observed.id ?? '') && !record?.adopted.has(formatResource({ kind: 'cache-policy', name: observed.name }));
    return { kind: 'cache-policy', action, address: { kind: 'cache-policy', key: observed.key }, key: observed.key, name: observed.name, id: observed.id, etag: observed.etag, config, adopt };
  });
}

// ---- all ----------------------------------------------------------------------------------

export interface ResourcePlan {
  secret?: SecretChange;
  role: RoleChange;
  functions: [FunctionChange, VersionChange][];
  cachePolicies: CachePolicyChange[];
}

export function planResources(input: ResourcePlanInput): ResourcePlan {
  return {
    secret: planSecret(input.manifest, input.observed.secret, input.desiredSecretDigests),
    role: planRole(input),
    functions: input.observed.functions.map((fn) => planFunction(input, fn)),
    cachePolicies: planCachePolicies(input),
  };
}

/** Every change in apply order (secret, role, functions and versions, cache policies). */
export function resourceChanges(plan: ResourcePlan): ResourceChange[] {
  return [...(plan.secret ? [plan.secret] : []), plan.role, ...plan.functions.flat(), ...plan.cachePolicies];
}


/** The resources this plan adopts, as a revision records them (`secret:<name>`, `role:<name>`, …). */
export function adoptedBy(plan: ResourcePlan): string[] {
  const out: string[] = [];
  if (plan.secret?.adopt) out.push(formatResource({ kind: 'secret', name: plan.secret.name }));
  if (plan.role.adopt) out.push(formatResource({ kind: 'role', name: plan.role.name }));
  for (const [fn] of plan.functions) if (fn.adopt) out.push(formatResource({ kind: 'function', name: fn.name }));
  for (const policy of plan.cachePolicies) if (policy.adopt) out.push(formatResource({ kind: 'cache-policy', name: policy.name }));
  return out;
}
