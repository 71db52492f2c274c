/**
 * What `secret set|rotate|keys` show, as text and as the --json documents. Key names, version
 * ids, dates and regions only: never a value, and nothing derived from one (no length, no
 * digest), since even a length narrows what a secret can be.
 */
import type { SecretChangeResult } from '../../apply/secret-change.js';
import type { SecretKeyRow, SecretKeysReport } from '../../plan/secret-keys.js';
import type { LivePickup, SecretChangePlan } from '../../plan/secret-change.js';
import { colors } from './colors.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** 300 → "5 minutes", 90 → "90 seconds". */
export function duration(seconds: number): string {
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/** Whether and when the live functions read the new value. */
export function pickupText(live: LivePickup): string {
  if (!live.readers.length) return 'No function of the integration is attached on the distributions of the manifest: nothing reads the secret yet, and attach needs no new build for it.';
  const where = live.readers.map((r) => `${r.key ?? r.name} on ${r.distributions.join(', ')}`).join('; ');
  if (live.withinSeconds !== undefined) {
    return `Live functions (${where}) read the new value within ${duration(live.withinSeconds)} (their secret cache TTL); nothing to redeploy. Until then, instances that read the secret earlier keep using the old value.`;
  }
  const custom = live.readers.filter((r) => !r.builtin).map((r) => r.key ?? r.name);
  const builtin = live.readers.filter((r) => r.ttlSeconds !== undefined);
  const within = builtin.length ? ` Built-in handlers (${builtin.map((r) => r.key ?? r.name).join(', ')}) read it within ${duration(Math.max(...builtin.map((r) => r.ttlSeconds!)))} (their secret cache TTL).` : '';
  return `Live functions (${where}) read the secret at run time, so nothing is redeployed.${within} ${custom.join(', ')} run${custom.length === 1 ? 's' : ''} your own handler code: it reads the new value the next time it reads the secret (edge-install's runtime helper caches it for 5 minutes, or config.secretTtlSeconds).`;
}

function changeLine(plan: SecretChangePlan): string {
  if (plan.action === 'none') return `  = ${plan.key}: (unchanged: it already holds this value)`;
  const what = plan.command === 'secret rotate' ? 'a new random value' : plan.action === 'add' ? 'added' : 'changed';
  return `  ${plan.action === 'add' ? '+' : '~'} ${plan.key}: (${what})`;
}

/** The plan: the key and what happens to it, the versions, where it is recorded. */
export function secretChangeText(plan: SecretChangePlan, options: { color: boolean }): string {
  const c = colors(options.color);
  const lines = [
    c.bold(`Secret ${plan.name} in ${plan.region}${plan.replicaRegions.length ? ` (replicas: ${plan.replicaRegions.join(', ')})` : ''}`),
    plan.action === 'add' ? c.green(changeLine(plan)) : plan.action === 'replace' ? c.yellow(changeLine(plan)) : changeLine(plan),
  ];
  if (plan.action !== 'none') {
    lines.push(
      plan.create
        ? `Creates the secret holding this key, tagged edge-install:integration=${plan.integration}.`
        : `Writes one new version of the secret; every other key keeps its value.${plan.versionBefore ? ` Version ${plan.versionBefore} (AWSCURRENT now) stays as AWSPREVIOUS: edge-install rollback moves the secret back to it.` : ''}`,
      plan.records.length ? `Recorded as a revision for ${plan.records.map((r) => r.distributionId).join(', ')}.` : 'Not recorded as a revision (no distribution in the manifest).',
    );
  }
  for (const note of plan.notes) lines.push(c.yellow(`! ${note}`));
  return lines.join('\n');
}

/** After the write: the new version, the revisions, the replicas, and when the functions read it. */
export function secretResultLines(plan: SecretChangePlan, result: SecretChangeResult): string[] {
  return [
    `Wrote version ${result.versionId} of ${plan.name}${result.versionBefore ? ` (the previous one, ${result.versionBefore}, is AWSPREVIOUS)` : ''}.`,
    ...(result.revisions.length ? [`Recorded: ${result.revisions.join(', ')} (edge-install rollback moves the secret back).`] : []),
    ...(result.replicas.length ? [`Replicas in sync: ${result.replicas.map((r) => r.region).join(', ')}.`] : []),
    pickupText(plan.live),
  ];
}

/** `secret set|rotate --json`: the change (key names, version ids; never a value). */
export function secretChangeDocument(plan: SecretChangePlan, outcome: { dryRun?: boolean; result?: SecretChangeResult }) {
  return {
    version: 1 as const,
    command: plan.command,
    integration: plan.integration,
    secret: { name: plan.name, region: plan.region, replicaRegions: plan.replicaRegions },
    changes: plan.action === 'none' ? [] : [{ key: plan.key, action: plan.action === 'add' ? 'add' : 'replace', ...(plan.command === 'secret rotate' ? { generated: true } : {}) }],
    ...(outcome.dryRun ? { dryRun: true } : {}),
    versionBefore: plan.versionBefore ?? null,
    versionId: outcome.result?.versionId ?? null,
    revisions: outcome.result?.revisions ?? [],
    replicas: outcome.result?.replicas ?? [],
    live: {
      redeploy: false,
      withinSeconds: plan.live.withinSeconds ?? null,
      functions: plan.live.readers.map((r) => ({ ...(r.key ? { key: r.key } : {}), name: r.name, builtin: r.builtin, ttlSeconds: r.ttlSeconds ?? null, distributions: r.distributions })),
    },
    notes: plan.notes,
  };
}

// ---- secret keys --------------------------------------------------------------------------

const KIND_TEXT: Record<SecretKeyRow['kind'], string> = {
  'vendor-issued': 'sensitive, vendor-issued',
  generated: 'sensitive, rotatable',
  'user-supplied': 'sensitive, yours',
  'manifest-value': 'manifest value',
  'not-in-manifest': 'not in the manifest',
};

/** `2026-12-02T16:30:12.345Z` → `2026-12-02 16:30:12 UTC`. */
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

export function secretKeysText(report: SecretKeysReport, options: { color: boolean }): string {
  const c = colors(options.color);
  const head = report.exists
    ? `Secret ${report.name} in ${report.region}: ${plural(report.versions, 'version')}${report.current ? `, AWSCURRENT ${report.current}` : ''}${report.replicaRegions.length ? `; replicas: ${report.replicaRegions.join(', ')}` : ''}`
    : `Secret ${report.name} in ${report.region}: does not exist`;
  const rows = report.keys.map((k) => [k.key, KIND_TEXT[k.kind], k.stored ? 'yes' : 'no', k.lastChanged ? `${k.exact === false ? 'on or before ' : ''}${when(k.lastChanged)}` : '-']);
  const header = ['KEY', 'KIND', 'STORED', 'LAST CHANGED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const lines = [c.bold(head), c.dim(line(header)), ...rows.map(line)];
  for (const note of report.notes) lines.push(c.yellow(`! ${note}`));
  const rotatable = report.keys.some((k) => k.kind === 'generated');
  lines.push(c.dim(`Values are never shown. Change a sensitive key: edge-install secret set KEY${rotatable ? '; make a new random one for a rotatable key: edge-install secret rotate KEY' : ''}.`));
  return lines.join('\n');
}

export function secretKeysDocument(report: SecretKeysReport) {
  return {
    version: 1 as const,
    secret: { name: report.name, region: report.region, exists: report.exists, scheduledForDeletion: report.scheduledForDeletion, current: report.current ?? null, versions: report.versions, replicaRegions: report.replicaRegions },
    keys: report.keys.map((k) => ({ key: k.key, kind: k.kind, stored: k.stored, lastChanged: k.lastChanged ?? null, exact: k.exact ?? null, changeWith: k.changeWith })),
    notes: report.notes,
  };
}
