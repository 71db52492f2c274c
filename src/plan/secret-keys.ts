/**
 * PURE: `secret keys` — each key of the secret, what kind it is, whether a value is stored and
 * when that value last changed. Never a value: the dates come from comparing keyed digests of
 * the versions' values (src/aws/observe/secret-history.ts) along the secret's history.
 *
 * The history is the order in which versions were AWSCURRENT: each version from its creation
 * (PutSecretValue makes the new version AWSCURRENT), and every move of AWSCURRENT a revision
 * records (a rollback moves it back to an older version). A key's last change is the newest
 * step of that history where its digest differs from the step before. Where the step before
 * was not read (only the newest versions are), the date is "on or before" that step.
 */
import type { ObservedSecretHistory } from '../aws/observe/secret-history.js';
import type { Manifest } from '../manifest/schema.js';
import { inOrder, type Revision } from './revision.js';
import { originOf, PENDING_STAGE, type SecretKeyOrigins } from './secret-change.js';

/** A sensitive key's origin (plan/secret-change.ts originOf), or where a value that is not sensitive comes from. */
export type SecretKeyKind = 'vendor-issued' | 'generated' | 'user-supplied' | 'manifest-value' | 'not-in-manifest';

export interface SecretKeyRow {
  key: string;
  kind: SecretKeyKind;
  /** A value is stored under this key now (AWSCURRENT). */
  stored: boolean;
  /** ISO time the stored value last changed (or was first stored). */
  lastChanged?: string;
  /** false: the change happened at or before `lastChanged` (the versions before it were not read). */
  exact?: boolean;
  /** The commands that change it. */
  changeWith: string[];
}

export interface SecretKeysReport {
  name: string;
  region: string;
  exists: boolean;
  scheduledForDeletion: boolean;
  current?: string;
  versions: number;
  replicaRegions: string[];
  keys: SecretKeyRow[];
  notes: string[];
}

interface Step {
  at: string;
  versionId: string;
}

/** The order in which versions were AWSCURRENT, oldest first. */
export function currentHistory(history: ObservedSecretHistory, revisions: readonly Revision[]): Step[] {
  const created: Step[] = history.versions.map((v) => ({ at: v.created, versionId: v.versionId }));
  // A rollback's revision records the version it made AWSCURRENT again.
  const moves: Step[] = inOrder(revisions)
    .filter((r) => r.kind === 'rollback' && r.secret?.name === history.name && r.secret.versionId && history.versions.some((v) => v.versionId === r.secret!.versionId))
    .map((r) => ({ at: r.createdAt, versionId: r.secret!.versionId! }));
  const steps = [...created, ...moves].map((s, i) => ({ s, i })).sort((a, b) => a.s.at.localeCompare(b.s.at) || a.i - b.i).map(({ s }) => s);
  // The same version twice in a row (one run's revisions on several distributions) is one step.
  const out = steps.filter((s, i) => i === 0 || steps[i - 1]!.versionId !== s.versionId);
  // AWSCURRENT moved in a way nothing recorded (by hand, or another tool): it is current since the secret last changed.
  if (history.current && out.at(-1)?.versionId !== history.current) out.push({ at: history.lastChanged ?? out.at(-1)?.at ?? '', versionId: history.current });
  return out;
}

function kindOf(manifest: Manifest, key: string, origins: SecretKeyOrigins): SecretKeyKind {
  const spec = manifest.secret?.keys[key];
  if (!spec) return 'not-in-manifest';
  if (!spec.sensitive) return 'manifest-value';
  return originOf(key, origins);
}

const CHANGE_WITH: Record<SecretKeyKind, (key: string) => string[]> = {
  'vendor-issued': (key) => [`edge-install secret set ${key}`],
  'user-supplied': (key) => [`edge-install secret set ${key}`],
  generated: (key) => [`edge-install secret rotate ${key}`, `edge-install secret set ${key}`],
  'manifest-value': (key) => [`secret.keys.${key}.value in the manifest, then edge-install attach`],
  'not-in-manifest': () => [],
};

export function secretKeysReport(manifest: Manifest, history: ObservedSecretHistory, revisions: readonly Revision[], origins: SecretKeyOrigins): SecretKeysReport {
  const digests = new Map(history.versions.map((v) => [v.versionId, v.digests]));
  const current = history.current ? digests.get(history.current) : undefined;
  const steps = currentHistory(history, revisions);
  const notes: string[] = [];
  // A run of secret set|rotate takes its label off once its revisions are written: still there, it stopped in between (apply/secret-change.ts).
  if (history.versions.find((v) => v.versionId === history.current)?.stages.includes(PENDING_STAGE)) {
    notes.push(`the current version ${history.current} still carries the label ${PENDING_STAGE}: an edge-install secret run made it current and stopped before it finished recording it, so rollback may not know it; AWSPREVIOUS holds the value before it`);
  }
  if (history.exists && history.current && !current) notes.push(`the current version does not hold a JSON object of keys: no key can be read from it`);
  const lastChange = (key: string): { lastChanged?: string; exact?: boolean } => {
    const value = current?.[key];
    if (value === undefined || !steps.length) return {};
    for (let i = steps.length - 1; i > 0; i--) {
      const before = digests.get(steps[i - 1]!.versionId);
      if (before === undefined) return { lastChanged: steps[i]!.at, exact: false };
      if (before[key] !== value) return { lastChanged: steps[i]!.at, exact: true };
    }
    return { lastChanged: steps[0]!.at, exact: true };
  };
  const manifestKeys = Object.keys(manifest.secret?.keys ?? {});
  const storedKeys = Object.keys(current ?? {}).filter((k) => !manifestKeys.includes(k)).sort();
  const keys = [...manifestKeys, ...storedKeys].map((key): SecretKeyRow => {
    const kind = kindOf(manifest, key, origins);
    return { key, kind, stored: current?.[key] !== undefined, ...lastChange(key), changeWith: CHANGE_WITH[kind](key) };
  });
  const missing = keys.filter((k) => !k.stored && k.kind !== 'not-in-manifest').map((k) => k.key);
  if (history.exists && !history.scheduledForDeletion && missing.length) notes.push(`no value is stored for ${missing.join(', ')}: the functions read the secret without ${missing.length > 1 ? 'them' : 'it'}`);
  if (!history.exists) notes.push(`the secret ${history.name} does not exist in ${history.region}: edge-install init creates it`);
  if (history.scheduledForDeletion) notes.push(`the secret ${history.name} is scheduled for deletion: restore it (aws secretsmanager restore-secret --secret-id ${history.name} --region ${history.region})`);
  return {
    name: history.name,
    region: history.region,
    exists: history.exists,
    scheduledForDeletion: !!history.scheduledForDeletion,
    ...(history.current ? { current: history.current } : {}),
    versions: history.versions.length,
    replicaRegions: history.replicaRegions ?? [],
    keys,
    notes,
  };
}
