/**
 * `edge-install status`: per distribution, Deployed or not, each trigger's attached version
 * against the newest published, drift, the secret, the last revision. Exit 0 in sync, 3 not.
 * Works without a state dir, from the ownership markers alone.
 */
import type { Command } from 'commander';
import type { StatusFlags } from '../commands/status.js';
import { distributionIdsFor } from '../../apply/attach.js';
import { settleWithLimit } from '../../apply/concurrency.js';
import { listCustomCachePolicies } from '../../aws/observe/cache-policies.js';
import { observeDistribution } from '../../aws/observe/distribution.js';
import { observeFunction } from '../../aws/observe/functions.js';
import { secretExists } from '../../aws/observe/secret-exists.js';
import { distributionStatus, type DistributionStatus } from '../../plan/status.js';
import { cachePolicyName, functionName } from '../../state/ownership.js';
import { latestRevision } from '../../state/revisions.js';
import { contextFor } from '../context.js';
import { combinedError, RuntimeError } from '../errors.js';
import { colors } from '../render/colors.js';

function renderStatus(integration: string, secret: { name: string; exists: boolean } | null, statuses: DistributionStatus[], color: boolean): string {
  const c = colors(color);
  const lines = [c.bold(`edge-install status: ${integration}`)];
  if (secret) lines.push(`secret ${secret.name}: ${secret.exists ? c.green('present') : c.red('missing')}`);
  for (const s of statuses) {
    lines.push('', `${c.bold(`Distribution ${s.id}`)}  ${s.status === 'Deployed' ? c.green(s.status) : c.yellow(s.status)}  ${s.inSync ? c.green('in sync') : c.yellow('not in sync')}`);
    lines.push(`  last revision: ${s.lastRevision ?? 'none (no state dir; read from the ownership markers)'}`);
    for (const a of s.associations) {
      const state = a.state === 'ok' ? c.green(a.state) : a.state === 'stale' ? c.yellow(a.state) : c.red(a.state);
      lines.push(`  ${a.pathPattern} ${a.eventType}: ${a.function}${a.version ? `:${a.version}` : ''} (newest ${a.latestVersion ?? 'none'}) ${state}`);
    }
    for (const d of s.drift) lines.push(`  ${c.yellow('drift')}: ${d}`);
  }
  return lines.join('\n');
}

export async function runStatus(flags: StatusFlags, command: Command): Promise<void> {
  const ctx = contextFor(command);
  try {
    const loaded = await ctx.loadManifest();
    const { manifest } = loaded;
    const clients = (await ctx.clients());
    const ids = distributionIdsFor(loaded, flags.distribution);
    const [functions, policies, exists] = await Promise.all([
      Promise.all(Object.keys(manifest.functions).map((key) => observeFunction(clients, manifest.name, key))),
      listCustomCachePolicies(clients),
      manifest.secret ? secretExists(clients, manifest.secret) : Promise.resolve(true),
    ]);
    const cachePolicyIds = Object.fromEntries(Object.keys(manifest.cachePolicies).map((key) => [key, policies.get(cachePolicyName(manifest.name, key)) ?? `(missing cache policy ${cachePolicyName(manifest.name, key)})`]));
    const settled = await settleWithLimit(ids, 4, async (id) => {
      const [observed, revision] = await Promise.all([observeDistribution(clients, id), latestRevision(ctx.stateDir, manifest.name, id)]);
      const owned = [...new Set([...Object.keys(manifest.functions).map((k) => functionName(manifest.name, k)), ...(revision?.functions ?? []).map((f) => f.name)])];
      return distributionStatus({ manifest, id, etag: observed.etag, status: observed.status, config: observed.config, functions, cachePolicyIds, ownedFunctionNames: owned, lastRevision: revision });
    });
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failures.length) throw combinedError(failures.map((f) => f.reason));
    const statuses = settled.map((s) => (s as PromiseFulfilledResult<DistributionStatus>).value);
    const secret = manifest.secret ? { name: manifest.secret.name, exists } : null;
    if (ctx.flags.json) {
      ctx.json({ version: 1, integration: manifest.name, secret, distributions: statuses });
    } else {
      ctx.out(renderStatus(manifest.name, secret, statuses, ctx.color));
    }
    if (!exists || statuses.some((s) => !s.inSync)) process.exitCode = 3;
  } finally {
    ctx.close();
  }
}
