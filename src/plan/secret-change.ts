/**
 * PURE: `secret set` and `secret rotate` — which key a run may change, what it changes (added
 * or replaced: names only, never a value, a length or a digest), the revisions that record it
 * (one per distribution of the manifest, so `rollback` moves the secret back), and whether the
 * live functions pick the new value up by themselves. Every input is an argument: the secret as
 * observed (values as keyed digests), the distributions, the revisions, the recipe's keys.
 *
 * Which keys:
 * - a key the manifest does not name: refused (exit 2) with a did-you-mean and the keys;
 * - a non-sensitive key: its value is the manifest's (secret.keys.KEY.value), which attach
 *   writes; changing it here would be undone by the next attach, so it is refused (exit 2);
 * - `rotate` makes a new random value, which only works for a key nobody else issues. The keys
 *   a built-in recipe asks for as secrets (FPJS_PRE_SHARED_SECRET, PX_AUTH_TOKEN,
 *   PX_COOKIE_SECRET) are issued by the vendor — a random value would break the integration —
 *   so rotate refuses them (exit 2) and names `secret set`. Every other sensitive key (a custom
 *   handler's own signing key, say) is one edge-install may generate.
 */
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import type { ObservedSecret } from '../aws/observe/secret.js';
import { UsageError } from '../errors.js';
import { functionName, OWNER_TAG } from '../manifest/naming.js';
import type { Manifest } from '../manifest/schema.js';
import { closest, listOf } from '../manifest/suggest.js';
import { functionNameOfArn } from './cloudfront-values.js';
import { ownedParts, type OwnedParts } from './owned-parts.js';
import { buildRevision, inOrder, knownFunctions, type Revision, type RevisionDraft } from './revision.js';

export type SecretCommand = 'secret set' | 'secret rotate';

/**
 * The built-in handlers' secret cache TTL when the function's config sets no
 * `secretTtlSeconds`: DEFAULT_SECRET_TTL_MS of handlers/shared/secret-cache.ts (a test checks
 * the two agree; the handlers build separately, so it is not imported).
 */
export const DEFAULT_SECRET_TTL_SECONDS = 300;

/** A key a built-in recipe asks for as a secret: issued by the vendor. `where` is the recipe's question. */
export interface VendorIssuedKey {
  key: string;
  where: string;
}

const keysOf = (manifest: Manifest) => Object.keys(manifest.secret?.keys ?? {});

/** The manifest has a secret at all (exit 2 otherwise). */
export function requireSecret(manifest: Manifest, shown: string): NonNullable<Manifest['secret']> {
  if (!manifest.secret) throw new UsageError(`${shown} has no secret (no "secret" block): there is nothing for edge-install secret to change.`);
  return manifest.secret;
}

/**
 * The key may be changed by this command, or exit 2 saying why and what to do instead. Checked
 * before anything is read from AWS or asked at a prompt.
 */
export function checkSecretKey(manifest: Manifest, key: string, command: SecretCommand, vendorIssued: readonly VendorIssuedKey[], shown: string): void {
  const secret = requireSecret(manifest, shown);
  const spec = secret.keys[key];
  if (!spec) {
    const guess = closest(key, keysOf(manifest));
    throw new UsageError(`${command} ${key}: the secret ${secret.name} has no key ${key} in ${shown}${guess ? `; did you mean ${guess}?` : ''} Its keys: ${listOf(keysOf(manifest))}.`);
  }
  if (!spec.sensitive) {
    throw new UsageError(
      `${command} ${key}: ${key} is not sensitive; its value comes from ${shown} (secret.keys.${key}.value), and attach writes it. Fix: change it there and run edge-install attach; ${command} changes sensitive keys (${listOf(keysOf(manifest).filter((k) => secret.keys[k]!.sensitive))}).`,
    );
  }
  const issued = vendorIssued.find((v) => v.key === key);
  if (command === 'secret rotate' && issued) {
    throw new UsageError(
      `secret rotate ${key}: ${key} is issued by the vendor (the recipe asks for it as "${issued.where}"): a random value would not be accepted there. Fix: get a new value from the vendor, then store it with: edge-install secret set ${key}`,
    );
  }
}

/**
 * The secret can take a new version of its keys: it is not scheduled for deletion, holds a JSON
 * object of keys and is not another integration's — or it does not exist yet, and is created.
 * Exit 2 otherwise, with the fix.
 */
export function checkSecretWritable(manifest: Manifest, observed: ObservedSecret): void {
  const secret = manifest.secret!;
  const where = `the secret ${secret.name} in ${secret.region}`;
  // A secret that does not exist yet is created (planSecretChange): the manifest names it, so it is the integration's to make.
  if (!observed.exists) return;
  if (observed.scheduledForDeletion) throw new UsageError(`${where} is scheduled for deletion. Fix: restore it (aws secretsmanager restore-secret --secret-id ${secret.name} --region ${secret.region}), then run this again.`);
  if (observed.keyDigests === undefined) throw new UsageError(`${where} does not hold a JSON object of keys (it holds SecretBinary, or text that is not one), so one key cannot be changed in it. Fix: store its keys as JSON (edge-install init does), or point secret.name at the integration's secret.`);
  const owner = observed.tags[OWNER_TAG];
  if (owner !== undefined && owner !== manifest.name) {
    throw new UsageError(`${where} belongs to the integration ${owner} (tag ${OWNER_TAG}=${owner}), not ${manifest.name}. Fix: run this from ${owner}'s manifest, or give this integration its own secret (secret.name).`);
  }
}

// ---- the change ---------------------------------------------------------------------------

/** One distribution's record of the change: the owned parts as they stand (unchanged by it). */
export interface SecretChangeRecord {
  distributionId: string;
  etag: string;
  owned: OwnedParts;
}

/** A function that reads the secret and runs now on some distribution. */
export interface LiveReader {
  key?: string;
  name: string;
  /** Runs a built-in handler, whose secret cache TTL is known. */
  builtin: boolean;
  /** The cache TTL of a built-in handler (config.secretTtlSeconds, else 300 s). */
  ttlSeconds?: number;
  distributions: string[];
}

export interface LivePickup {
  readers: LiveReader[];
  /** Every reader runs a built-in handler: all hold the new value after this many seconds. */
  withinSeconds?: number;
  /** The value is read at run time, never baked into a bundle: nothing is redeployed. */
  redeploy: false;
}

export interface SecretChangePlan {
  command: SecretCommand;
  integration: string;
  name: string;
  region: string;
  /** The secret's ARN; none until it is created. */
  arn?: string;
  key: string;
  /**
   * The secret does not exist yet: it is created holding this one key, tagged as the
   * integration's (an install imported before its secret existed, or a manifest written by hand).
   * Its replica regions are left to attach, which adds them (said in the notes).
   */
  create: boolean;
  /** add: the stored secret has no such key yet; replace: it has; none: it already holds this value. */
  action: 'add' | 'replace' | 'none';
  /** The version labelled AWSCURRENT when read: the write is refused if that moved since. */
  versionBefore?: string;
  /** Replica regions the new version must reach before the functions there read it. */
  replicaRegions: string[];
  records: SecretChangeRecord[];
  live: LivePickup;
  notes: string[];
}

export interface SecretChangeInput {
  command: SecretCommand;
  manifest: Manifest;
  observed: ObservedSecret;
  key: string;
  /** The new value's digest, by the same keyed digest as the observation's. */
  newDigest: string;
  /** The manifest's distributions as they are now. */
  distributions: readonly ObservedDistribution[];
  /** Every revision of the integration (oldest first), the journal resolved. */
  revisions: readonly Revision[];
  ownedFunctionNames: readonly string[];
}

/**
 * The owned parts a record of this change carries for a distribution: those the last revision
 * left (so that drift made by hand since stays drift for status and rollback), else those found
 * on it now (nothing, where the integration was never attached).
 */
function ownedNow(input: SecretChangeInput, distribution: ObservedDistribution): OwnedParts {
  const last = inOrder(input.revisions.filter((r) => r.distributionId === distribution.id)).at(-1);
  if (last) return last.ownedAfter;
  return ownedParts(distribution.config, { integration: input.manifest.name, functionNames: [...input.ownedFunctionNames], originKeys: Object.keys(input.manifest.origins) });
}

/** The TTL a function's cache keeps a value (the built-in handlers' `secretTtlSeconds`, handlers/shared/secret-source.ts). */
function ttlOf(config: Record<string, unknown>): number {
  const setting = Number(config.secretTtlSeconds);
  return Number.isFinite(setting) && setting > 0 ? setting : DEFAULT_SECRET_TTL_SECONDS;
}

/**
 * Who reads the new value, and when: every function of the integration attached on a
 * distribution read. Handlers get only the secret's name and region at bundle time
 * (src/bundle/manifest.ts) and read the value at run time through a TTL cache, so a new
 * version reaches them without a redeploy, once their cached value expires.
 */
export function livePickup(manifest: Manifest, distributions: readonly ObservedDistribution[], ownedFunctionNames: readonly string[]): LivePickup {
  const owner = { integration: manifest.name, functionNames: [...ownedFunctionNames], originKeys: Object.keys(manifest.origins) };
  const byName = new Map<string, LiveReader>();
  for (const d of distributions) {
    for (const a of ownedParts(d.config, owner).associations) {
      const name = functionNameOfArn(a.arn) ?? a.arn;
      const key = Object.keys(manifest.functions).find((k) => functionName(manifest.name, k) === name);
      const fn = key ? manifest.functions[key] : undefined;
      const builtin = !!fn?.handler.startsWith('builtin:');
      const reader = byName.get(name) ?? { ...(key ? { key } : {}), name, builtin, ...(builtin ? { ttlSeconds: ttlOf(fn!.config as Record<string, unknown>) } : {}), distributions: [] };
      if (!reader.distributions.includes(d.id)) reader.distributions.push(d.id);
      byName.set(name, reader);
    }
  }
  const readers = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  const allKnown = readers.length > 0 && readers.every((r) => r.ttlSeconds !== undefined);
  return { readers, ...(allKnown ? { withinSeconds: Math.max(...readers.map((r) => r.ttlSeconds!)) } : {}), redeploy: false };
}

export function planSecretChange(input: SecretChangeInput): SecretChangePlan {
  const { manifest, observed, key } = input;
  checkSecretWritable(manifest, observed);
  const stored = observed.keyDigests?.[key];
  const action = stored === undefined ? 'add' : stored === input.newDigest ? 'none' : 'replace';
  const notes: string[] = [];
  const create = !observed.exists;
  if (create) {
    const others = keysOf(manifest).filter((k) => k !== key && manifest.secret!.keys[k]!.sensitive);
    notes.push(`the secret ${observed.name} does not exist in ${observed.region}: it is created with ${key} only${others.length ? `; store ${listOf(others)} the same way (edge-install secret set <key>) before the first attach` : ''}`);
  }
  if (!observed.versionId) notes.push(`the secret has no value yet: a rollback of this change has no earlier version to move back to`);
  if (!input.distributions.length) notes.push(`the manifest names no distribution, so no revision records this change: rollback cannot move it back`);
  // On a new secret too: attach adds replicas (and waits for them); a change of one key is not the place.
  const missingReplicas = manifest.secret!.replicaRegions.filter((r) => !observed.replicaRegions.includes(r));
  if (missingReplicas.length) notes.push(`the manifest lists replica region${missingReplicas.length > 1 ? 's' : ''} ${missingReplicas.join(', ')} that the secret is not replicated to; edge-install attach adds ${missingReplicas.length > 1 ? 'them' : 'it'}`);
  return {
    command: input.command,
    integration: manifest.name,
    name: observed.name,
    region: observed.region,
    ...(observed.arn ? { arn: observed.arn } : {}),
    key,
    create,
    action,
    ...(observed.versionId ? { versionBefore: observed.versionId } : {}),
    replicaRegions: observed.replicaRegions,
    records: input.distributions.map((d) => ({ distributionId: d.id, etag: d.etag, owned: ownedNow(input, d) })),
    live: livePickup(manifest, input.distributions, input.ownedFunctionNames),
    notes,
  };
}

/**
 * The revision recording the change on one distribution: kind `secret`, the owned parts as they
 * stand (before = after: no distribution was written), the secret's version before and after
 * — the pair `rollback` moves AWSCURRENT back with (plan/rollback.ts) — and the key's name.
 * Never a value.
 */
export function secretChangeRevision(plan: SecretChangePlan, record: SecretChangeRecord, facts: { versionId: string; arn: string; at: Date; by?: string; revisions: readonly Revision[] }): RevisionDraft {
  const draft = buildRevision({
    kind: 'secret',
    integration: plan.integration,
    distributionId: record.distributionId,
    at: facts.at,
    etagBefore: record.etag,
    etagAfter: record.etag,
    written: { ownedBefore: record.owned, ownedAfter: record.owned, changes: [] },
    known: knownFunctions(facts.revisions),
    secret: { name: plan.name, region: plan.region, arn: facts.arn, versionId: facts.versionId, ...(plan.versionBefore ? { versionBefore: plan.versionBefore } : {}), changedKeys: [plan.key] },
  });
  return facts.by ? { ...draft, by: facts.by } : draft;
}
