/**
 * `gc`: delete the integration's Lambda versions — and whole functions — that no distribution
 * in the account uses any more. `prepareGc` only reads (functions, their versions and tags,
 * every distribution's associations) and decides; `applyGc` deletes. Lambda refuses to delete
 * a version CloudFront still has replicas of (for hours after its last association went): that
 * is reported as waiting, not as a failure, and the next run picks it up. Everything is
 * idempotent: what is already gone counts as done.
 */
import { DeleteFunctionCommand, GetFunctionCommand, ListFunctionsCommand, ListVersionsByFunctionCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../aws/clients.js';
import { ifExists } from '../aws/errors.js';
import { listAccountAssociations, type AccountAssociation } from '../aws/observe/account-associations.js';
import type { Manifest } from '../manifest/schema.js';
import { formatDuration } from '../plan/duration.js';
import { functionName, OWNER_TAG } from '../state/ownership.js';
import { listRevisions } from '../state/revisions.js';
import { settleWithLimit } from './concurrency.js';
import { isReplicaRefusal, type ResourceNote } from './detach.js';

export const GC_REPLICA_REASON = 'waiting for replicas to be removed (typically a few hours after the last association went); run `edge-install gc` later';

export interface GcSettings {
  stateDir: string;
  /** Versions and functions changed more recently than this are kept (0: no age limit). */
  minAgeMs: number;
  /** For tests: the time ages are measured from. */
  now?: number;
}

export interface GcTarget {
  kind: 'version' | 'function';
  /** `version:<function>:<n>` or `function:<name>`. */
  resource: string;
  functionName: string;
  version?: string;
  /** For a whole function: its published versions (tried one by one if the function must wait). */
  versions?: string[];
}

export interface PreparedGc {
  integration: string;
  targets: GcTarget[];
  kept: ResourceNote[];
}

export interface GcOutcome {
  deleted: string[];
  waiting: ResourceNote[];
  failed: ResourceNote[];
}

export interface ObservedOwnedFunction {
  name: string;
  latest: FunctionConfiguration;
  versions: FunctionConfiguration[];
}

const versionResource = (name: string, version: string) => `version:${name}:${version}`;
const functionResource = (name: string) => `function:${name}`;

/** Lambda's `2024-01-02T03:04:05.678+0000`; undefined when absent or unreadable. */
function modifiedAt(c: FunctionConfiguration): number | undefined {
  const ms = c.LastModified ? Date.parse(c.LastModified) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

async function listFunctionNames(clients: AwsClients): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.lambda.send(new ListFunctionsCommand({ Marker: marker }));
    names.push(...(page.Functions ?? []).map((f) => f.FunctionName!).filter(Boolean));
    marker = page.NextMarker;
  } while (marker);
  return names;
}

async function listVersions(clients: AwsClients, name: string): Promise<FunctionConfiguration[] | undefined> {
  const out: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await ifExists(() => clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker })), 'ResourceNotFoundException');
    if (!page) return undefined;
    out.push(...(page.Versions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

/**
 * The integration's functions: named by the manifest or a revision, or named `<integration>-…`
 * — and, in every case, carrying the owner tag (a name alone is never enough to delete).
 */
async function observeOwnedFunctions(clients: AwsClients, manifest: Manifest, stateDir: string, kept: ResourceNote[]): Promise<ObservedOwnedFunction[]> {
  const integration = manifest.name;
  const revisions = await listRevisions(stateDir, integration);
  const known = new Set([...Object.keys(manifest.functions).map((k) => functionName(integration, k)), ...revisions.flatMap((r) => (r.functions ?? []).map((f) => f.name))]);
  const existing = await listFunctionNames(clients);
  const candidates = [...new Set(existing.filter((n) => known.has(n) || n.startsWith(functionName(integration, ''))))].sort();
  const settled = await settleWithLimit(candidates, 4, async (name): Promise<ObservedOwnedFunction | undefined> => {
    const got = await ifExists(() => clients.lambda.send(new GetFunctionCommand({ FunctionName: name })), 'ResourceNotFoundException');
    if (!got?.Configuration) return undefined;
    if (got.Tags?.[OWNER_TAG] !== integration) {
      // Someone else's function that happens to share the prefix is none of our business; one
      // the manifest or a revision names is worth a word.
      if (known.has(name)) kept.push({ resource: functionResource(name), reason: `not tagged ${OWNER_TAG}=${integration}, so not edge-install's to delete` });
      return undefined;
    }
    const all = await listVersions(clients, name);
    if (!all) return undefined;
    return { name, latest: got.Configuration, versions: all.filter((v) => v.Version !== '$LATEST').sort((a, b) => Number(a.Version) - Number(b.Version)) };
  });
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<ObservedOwnedFunction | undefined>).value).filter((f): f is ObservedOwnedFunction => !!f);
}

/** PURE: what gc deletes and what it keeps, from the functions and every association in the account. */
export function decideGc(functions: ObservedOwnedFunction[], associations: AccountAssociation[], minAgeMs: number, now: number): { targets: GcTarget[]; kept: ResourceNote[] } {
  const targets: GcTarget[] = [];
  const kept: ResourceNote[] = [];
  const where = new Map<string, Set<string>>();
  for (const a of associations) {
    if (!where.has(a.arn)) where.set(a.arn, new Set());
    where.get(a.arn)!.add(a.distributionId);
  }
  // With no age limit, ages are not looked at (clocks may disagree by more than zero).
  const oldEnough = (c: FunctionConfiguration) => {
    if (minAgeMs <= 0) return true;
    const at = modifiedAt(c);
    return at !== undefined && now - at >= minAgeMs;
  };
  const young = `changed less than ${formatDuration(minAgeMs)} ago (--min-age)`;
  for (const fn of functions) {
    const usedAnywhere = associations.some((a) => a.functionName === fn.name);
    if (!usedAnywhere) {
      if ([fn.latest, ...fn.versions].every(oldEnough)) {
        targets.push({ kind: 'function', resource: functionResource(fn.name), functionName: fn.name, versions: fn.versions.map((v) => v.Version!) });
      } else kept.push({ resource: functionResource(fn.name), reason: young });
      continue;
    }
    for (const v of fn.versions) {
      const resource = versionResource(fn.name, v.Version!);
      const attached = where.get(v.FunctionArn!);
      if (attached) kept.push({ resource, reason: `attached to ${[...attached].sort().join(', ')}` });
      else if (!oldEnough(v)) kept.push({ resource, reason: young });
      else targets.push({ kind: 'version', resource, functionName: fn.name, version: v.Version! });
    }
  }
  return { targets, kept };
}

export async function prepareGc(clients: AwsClients, manifest: Manifest, settings: GcSettings): Promise<PreparedGc> {
  const kept: ResourceNote[] = [];
  const [functions, associations] = await Promise.all([observeOwnedFunctions(clients, manifest, settings.stateDir, kept), listAccountAssociations(clients)]);
  const decided = decideGc(functions, associations, settings.minAgeMs, settings.now ?? Date.now());
  return { integration: manifest.name, targets: decided.targets, kept: [...kept, ...decided.kept] };
}

type DeleteResult = 'deleted' | 'gone' | 'replicated';

async function deleteLambda(clients: AwsClients, name: string, version?: string): Promise<DeleteResult> {
  try {
    const done = await ifExists(() => clients.lambda.send(new DeleteFunctionCommand({ FunctionName: name, ...(version ? { Qualifier: version } : {}) })), 'ResourceNotFoundException');
    return done ? 'deleted' : 'gone';
  } catch (error) {
    if (isReplicaRefusal(error)) return 'replicated';
    throw error;
  }
}

export async function applyGc(clients: AwsClients, prepared: PreparedGc): Promise<GcOutcome> {
  const outcome: GcOutcome = { deleted: [], waiting: [], failed: [] };
  const note = (resource: string, result: DeleteResult) => {
    if (result === 'deleted') outcome.deleted.push(resource);
    else if (result === 'replicated') outcome.waiting.push({ resource, reason: GC_REPLICA_REASON });
  };
  for (const target of prepared.targets) {
    try {
      if (target.kind === 'version') {
        note(target.resource, await deleteLambda(clients, target.functionName, target.version));
        continue;
      }
      const whole = await deleteLambda(clients, target.functionName);
      if (whole !== 'replicated') {
        note(target.resource, whole);
        continue;
      }
      // Some version still has replicas: delete the versions that have none, so the next run
      // has less to do, and report the function as waiting.
      for (const version of target.versions ?? []) {
        const result = await deleteLambda(clients, target.functionName, version);
        if (result === 'deleted') outcome.deleted.push(versionResource(target.functionName, version));
      }
      outcome.waiting.push({ resource: target.resource, reason: GC_REPLICA_REASON });
    } catch (error) {
      outcome.failed.push({ resource: target.resource, reason: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return outcome;
}
