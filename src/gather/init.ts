/**
 * GATHER for `init`, one read per question it asks: whose account the credentials are for,
 * which distributions there are (the picker) or whether the named ones exist, what of the
 * secret is stored (values as keyed digests only), and which starter files the custom recipe
 * would add.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AwsClients } from '../aws/clients.js';
import { listAccountAssociations, type AccountAssociation } from '../aws/observe/account-associations.js';
import { observeAccount, type ObservedAccount } from '../aws/observe/account.js';
import { checkDistributionIds, listDistributions, type DistributionListing } from '../aws/observe/distributions-list.js';
import { newSecretDigest, observeSecret, type ObservedSecret } from '../aws/observe/secret.js';
import { BUILTIN_PREFIX } from '../bundle/resolve-handler.js';
import type { Manifest } from '../manifest/schema.js';
import type { SecretDigest } from '../plan/secret-values.js';

export type { DistributionListing, ObservedAccount, ObservedSecret };

/** sts:GetCallerIdentity: the first call, so bad credentials are said before any question. */
export function gatherAccount(clients: AwsClients): Promise<ObservedAccount> {
  return observeAccount(clients);
}

export function gatherDistributionList(clients: AwsClients): Promise<DistributionListing[]> {
  return listDistributions(clients);
}

/** Of the ids given: those that name no distribution, and those that name a staging one. */
export function gatherDistributionIds(clients: AwsClients, ids: string[]): Promise<{ unknown: string[]; staging: string[] }> {
  return checkDistributionIds(clients, ids);
}

/**
 * What exists of the manifest's secret (undefined without one), its values reduced to keyed
 * digests, and the digest function made for this run, for the values given to compare with.
 */
export async function gatherInitSecret(clients: AwsClients, manifest: Manifest): Promise<{ observed: ObservedSecret | undefined; digest: SecretDigest }> {
  const digest = newSecretDigest();
  return { observed: manifest.secret ? await observeSecret(clients, manifest.secret, digest) : undefined, digest };
}

/** Every Lambda@Edge association in the account: is the secret's integration live anywhere? */
export function gatherAssociations(clients: AwsClients): Promise<AccountAssociation[]> {
  return listAccountAssociations(clients);
}

export interface ScaffoldFile {
  /** Absolute path. */
  path: string;
  text: string;
}

const STARTER_HANDLER = new URL('../../templates/starters/custom-handler.ts', import.meta.url);

/**
 * The `custom` recipe's starter: a typed handler at the path the user named, when no file is
 * there yet. A file that exists is the user's and is left alone.
 */
export async function gatherScaffold(manifest: Manifest, baseDir: string): Promise<ScaffoldFile[]> {
  if (manifest.recipe !== 'custom') return [];
  const out: ScaffoldFile[] = [];
  for (const fn of Object.values(manifest.functions)) {
    if (fn.handler.startsWith(BUILTIN_PREFIX)) continue;
    const path = resolve(baseDir, fn.handler);
    if (existsSync(path) || out.some((f) => f.path === path)) continue;
    out.push({ path, text: await readFile(STARTER_HANDLER, 'utf8') });
  }
  return out;
}

/** Handler files the manifest names that do not exist and init does not create (a warning, not an error). */
export function missingHandlerFiles(manifest: Manifest, baseDir: string, scaffolded: ScaffoldFile[]): string[] {
  return Object.values(manifest.functions)
    .map((fn) => fn.handler)
    .filter((handler) => !handler.startsWith(BUILTIN_PREFIX))
    .filter((handler) => !existsSync(resolve(baseDir, handler)) && !scaffolded.some((f) => f.path === resolve(baseDir, handler)));
}
