/**
 * `rollback`: put the owned parts of a distribution back as the previous (or a named)
 * revision left them, onto the config as it is now, in one UpdateDistribution. Without
 * revisions (a fresh CI machine) it falls back to the limited mode ARCHITECTURE.md describes:
 * each trigger goes back to the previous published version of its function.
 */
import type { AwsClients } from '../aws/clients.js';
import { waitUntilDeployed } from '../aws/wait.js';
import { observeDistribution } from '../aws/observe/distribution.js';
import { observeFunction } from '../aws/observe/functions.js';
import { functionNameOfArn } from '../plan/cloudfront-values.js';
import { ownedParts, type OwnedParts } from '../plan/owned-parts.js';
import type { Manifest } from '../manifest/schema.js';
import { functionName } from '../state/ownership.js';
import { listRevisions, revisionId, writeRevision, type ReplacedForeign, type Revision } from '../state/revisions.js';
import { applyRestore, prepareRestore, type PreparedRestore, type RestoreRequest } from './restore-distribution.js';

export class RollbackError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

export interface PreparedRollback {
  id: string;
  /** 'revision': from the state dir; 'limited': previous published versions only. */
  mode: 'revision' | 'limited';
  /** The revision whose state is restored (revision mode). */
  from?: string;
  notes: string[];
  request: RestoreRequest;
  prepared: PreparedRestore;
}

const ownedNames = (manifest: Manifest, revisions: Revision[]) => [
  ...new Set([...Object.keys(manifest.functions).map((k) => functionName(manifest.name, k)), ...revisions.flatMap((r) => r.functions.map((f) => f.name))]),
];

/** Which state to go back to, and which replaced foreign triggers come back with it. */
function target(revisions: Revision[], to: string | undefined): { target: OwnedParts; expected: OwnedParts; foreign: ReplacedForeign[]; from: string } {
  const latest = revisions.at(-1)!;
  if (!to) return { target: latest.ownedBefore, expected: latest.ownedAfter, foreign: latest.replacedForeign, from: `before ${latest.revision}` };
  const index = revisions.findIndex((r) => r.revision === to);
  if (index < 0) throw new RollbackError(`--to ${to}: no such revision for ${latest.distributionId}. Known: ${revisions.map((r) => r.revision).join(', ')}.`, 2);
  // Foreign triggers replaced by any later revision were there at `to` and come back.
  const foreign = revisions.slice(index + 1).flatMap((r) => r.replacedForeign);
  return { target: revisions[index]!.ownedAfter, expected: latest.ownedAfter, foreign, from: `after ${to}` };
}

/** Limited mode: each owned trigger → the newest published version older than the attached one. */
async function limitedTarget(clients: AwsClients, manifest: Manifest, current: OwnedParts, notes: string[]): Promise<OwnedParts> {
  const functions = await Promise.all(Object.keys(manifest.functions).map((key) => observeFunction(clients, manifest.name, key)));
  const associations = current.associations.map((a) => {
    const fn = functions.find((f) => f.name === functionNameOfArn(a.arn));
    const attached = Number(a.arn.split(':').at(-1));
    const previous = fn?.versions.filter((v) => Number(v.version) < attached).at(-1);
    if (!previous) {
      notes.push(`${a.pathPattern} ${a.eventType}: no published version before ${attached}; left as it is`);
      return a;
    }
    notes.push(`${a.pathPattern} ${a.eventType}: version ${attached} → ${previous.version}`);
    return { ...a, arn: previous.arn };
  });
  return { ...current, associations };
}

export async function prepareRollback(
  clients: AwsClients,
  manifest: Manifest,
  options: { distributionId: string; stateDir: string; to?: string; force?: boolean },
): Promise<PreparedRollback> {
  const revisions = await listRevisions(options.stateDir, manifest.name, options.distributionId);
  const names = ownedNames(manifest, revisions);
  const notes: string[] = [];
  let request: RestoreRequest;
  let mode: PreparedRollback['mode'] = 'revision';
  let from: string | undefined;
  if (revisions.length) {
    const chosen = target(revisions, options.to);
    from = chosen.from;
    request = { id: options.distributionId, integration: manifest.name, ownedFunctionNames: names, originKeys: Object.keys(manifest.origins), expected: chosen.expected, target: chosen.target, restoreForeign: chosen.foreign, force: options.force };
  } else {
    if (options.to) throw new RollbackError(`--to ${options.to}: there are no revisions for ${options.distributionId} in ${options.stateDir}.`, 2);
    mode = 'limited';
    notes.push(`limited mode: no revisions in ${options.stateDir}, so each trigger goes back to the previous published version of its function; origins and behaviors stay as they are`);
    const observed = await observeDistribution(clients, options.distributionId);
    const current = ownedParts(observed.config, { integration: manifest.name, functionNames: names, originKeys: Object.keys(manifest.origins) });
    request = { id: options.distributionId, integration: manifest.name, ownedFunctionNames: names, originKeys: Object.keys(manifest.origins), expected: current, target: await limitedTarget(clients, manifest, current, notes), restoreForeign: [], force: true };
  }
  const prepared = await prepareRestore(clients, request);
  return { id: options.distributionId, mode, from, notes, request, prepared };
}

export interface RollbackResult {
  id: string;
  etag: string;
  status: string;
  revision: string;
}

export async function applyRollback(
  clients: AwsClients,
  manifest: Manifest,
  rollback: PreparedRollback,
  options: { stateDir: string; wait: boolean; waitTimeoutSeconds: number; pollSeconds: number; signal?: AbortSignal },
): Promise<RollbackResult> {
  const written = await applyRestore(clients, rollback.prepared, rollback.request);
  const at = new Date();
  const revision: Revision = {
    version: 1,
    kind: 'rollback',
    revision: revisionId(at, rollback.id),
    integration: manifest.name,
    distributionId: rollback.id,
    createdAt: at.toISOString(),
    etagBefore: written.etagBefore,
    etagAfter: written.etagAfter,
    ownedBefore: written.plan.ownedBefore,
    ownedAfter: written.plan.ownedAfter,
    replacedForeign: [],
    functions: [],
    cachePolicies: {},
  };
  await writeRevision(options.stateDir, revision);
  let status = written.status;
  if (options.wait) {
    await waitUntilDeployed(clients, rollback.id, { timeoutSeconds: options.waitTimeoutSeconds, pollSeconds: options.pollSeconds, signal: options.signal });
    status = 'Deployed';
  }
  return { id: rollback.id, etag: written.etagAfter, status, revision: revision.revision };
}
