/**
 * `plan` and `attach` share this: `prepareAttach` builds the Plan (bundles locally, reads
 * AWS, plans purely — no writes), `applyAttach` carries it out (ARCHITECTURE.md steps 1–9):
 * resources, then per distribution one ETag-pinned UpdateDistribution, wait, verify, revision.
 */
import type { AwsClients } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import { observeDistribution, type ObservedDistribution } from '../aws/observe/distribution.js';
import { waitUntilDeployed } from '../aws/wait.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { Manifest } from '../manifest/schema.js';
import { planDistribution, type DistributionPlan, type FunctionVersionRef } from '../plan/distribution.js';
import type { Plan } from '../plan/plan.js';
import type { ResourcePlan } from '../plan/resources.js';
import { functionName } from '../state/ownership.js';
import { latestRevision, revisionId, writeRevision, type Revision } from '../state/revisions.js';
import { settleWithLimit } from './concurrency.js';
import { applyPreparedResources, prepareResources, type PreparedResources } from './pipeline.js';
import type { ResourceOutputs } from './resources.js';
import type { SecretValues } from './steps/secret.js';
import { restoreDistribution } from './restore-distribution.js';
import { writeDistribution, type WrittenDistribution } from './steps/distribution.js';
import { InterruptedError, step, StepError, UndoLog, undoSummary } from './undo.js';

export interface AttachSettings {
  distributionIds: string[];
  replaceForeign: boolean;
  stateDir: string;
  concurrency: number;
  secretValues?: SecretValues;
  packageRoot?: string;
}

export interface PreparedAttach {
  plan: Plan;
  resources: PreparedResources;
  observed: ObservedDistribution[];
  previous: Map<string, Revision | undefined>;
  settings: AttachSettings;
}

export class NoDistributionError extends Error {
  readonly exitCode = 2;
}

/** Version ARNs to associate: reused versions as they are; versions this apply publishes as placeholders. */
function plannedVersions(resources: ResourcePlan, accountId: string): Record<string, FunctionVersionRef> {
  return Object.fromEntries(
    resources.functions.map(([fn, version]) => [
      fn.key,
      version.reuse ? { arn: version.reuse.arn, pending: false } : { arn: `arn:aws:lambda:us-east-1:${accountId}:function:${fn.name}:(new version)`, pending: true },
    ]),
  );
}

function plannedPolicyIds(resources: ResourcePlan): Record<string, string> {
  return Object.fromEntries(resources.cachePolicies.map((c) => [c.key, c.id ?? `(new cache policy ${c.name})`]));
}

function ownedFunctionNames(manifest: Manifest, previous: Revision | undefined): string[] {
  const names = Object.keys(manifest.functions).map((key) => functionName(manifest.name, key));
  return [...new Set([...names, ...(previous?.functions ?? []).map((f) => f.name)])];
}

function planOne(
  manifest: Manifest,
  settings: AttachSettings,
  observed: ObservedDistribution,
  previous: Revision | undefined,
  functionVersions: Record<string, FunctionVersionRef>,
  cachePolicyIds: Record<string, string>,
): DistributionPlan {
  return planDistribution({
    manifest,
    id: observed.id,
    etag: observed.etag,
    status: observed.status,
    config: observed.config,
    unknownMembers: observed.unknownMembers,
    functionVersions,
    cachePolicyIds,
    ownedFunctionNames: ownedFunctionNames(manifest, previous),
    replaceForeign: settings.replaceForeign,
    previous: previous?.ownedAfter,
  });
}

export function distributionIdsFor(loaded: LoadedManifest, flags: string[]): string[] {
  const ids = flags.length ? flags : loaded.manifest.distributions;
  if (!ids.length) {
    throw new NoDistributionError('No distribution to work on: pass --distribution <id>, or list it under "distributions" in the manifest.');
  }
  return [...new Set(ids)];
}

export async function prepareAttach(clients: AwsClients, loaded: LoadedManifest, settings: AttachSettings): Promise<PreparedAttach> {
  const [resources, observed] = await Promise.all([
    prepareResources(clients, loaded.manifest, loaded.baseDir, settings.secretValues, settings.packageRoot),
    Promise.all(settings.distributionIds.map((id) => observeDistribution(clients, id))),
  ]);
  const previous = new Map(await Promise.all(settings.distributionIds.map(async (id) => [id, await latestRevision(settings.stateDir, loaded.manifest.name, id)] as const)));
  const versions = plannedVersions(resources.plan, resources.observed.account.accountId);
  const policyIds = plannedPolicyIds(resources.plan);
  const distributions = observed.map((d) => planOne(loaded.manifest, settings, d, previous.get(d.id), versions, policyIds));
  return { plan: { integration: loaded.manifest.name, manifest: loaded.manifest, resources: resources.plan, distributions }, resources, observed, previous, settings };
}

export interface ApplyOptions {
  wait: boolean;
  /** After a failed wait or verification, put the owned parts back as they were. */
  rollbackOnFailure?: boolean;
  /** Aborted on SIGINT: the current step finishes, no new one starts. */
  signal?: AbortSignal;
  waitTimeoutSeconds: number;
  /** Seconds between Deployed polls (the SDK waiter's minimum delay). */
  pollSeconds: number;
  verifyUrl?: string;
  /** Progress for the CLI to show (stderr). */
  onEvent?: (event: AttachEvent) => void;
}

export type AttachEvent =
  | { type: 'resources-applied' }
  | { type: 'written'; id: string; etag: string }
  | { type: 'waiting'; id: string }
  | { type: 'deployed'; id: string }
  | { type: 'verified'; id: string; url: string; status: number }
  | { type: 'rolled-back'; id: string };

export interface DistributionResult {
  id: string;
  ok: boolean;
  /** The distribution carries this run's change (a failure after the write leaves it written). */
  written: boolean;
  etag?: string;
  status?: string;
  revision?: string;
  error?: Error;
}

export interface AttachResult {
  resources: ResourceOutputs;
  distributions: DistributionResult[];
}

export class VerifyError extends Error {
  readonly exitCode = 1;
}

async function verify(url: string): Promise<number> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status >= 500) throw new VerifyError(`verification failed: GET ${url} answered ${response.status}`);
  return response.status;
}

function revisionFor(prepared: PreparedAttach, id: string, written: WrittenDistribution, outputs: ResourceOutputs, kind: Revision['kind'] = 'attach'): Revision {
  const at = new Date();
  return {
    version: 1,
    kind,
    revision: revisionId(at, id),
    integration: prepared.plan.integration,
    distributionId: id,
    createdAt: at.toISOString(),
    etagBefore: written.etagBefore,
    etagAfter: written.etagAfter,
    ownedBefore: written.plan.ownedBefore,
    ownedAfter: written.plan.ownedAfter,
    replacedForeign: written.plan.changes
      .filter((c) => c.replacedForeign)
      .map((c) => {
        const [pathPattern, eventType] = splitAssociationAddress(c.address);
        return { pathPattern, eventType, arn: c.replacedForeign!, includeBody: (c.before as { IncludeBody?: boolean } | undefined)?.IncludeBody ?? false };
      }),
    functions: Object.values(outputs.functions).map((f) => ({ key: f.key, name: f.name, version: f.version, arn: f.arn, codeSha256: f.codeSha256 })),
    cachePolicies: outputs.cachePolicyIds,
    secret: prepared.plan.manifest.secret
      ? { name: prepared.plan.manifest.secret.name, region: prepared.plan.manifest.secret.region, arn: outputs.secret?.arn, versionId: outputs.secret?.versionId }
      : undefined,
  };
}

/**
 * Steps 1–9. Before any distribution is written, a failure (or SIGINT via `signal`) undoes
 * what this run created or changed and the distribution stays as it was. Once written, the
 * revision is recorded at once; a failure while waiting or verifying then rolls the owned
 * parts back to how they were if `rollbackOnFailure` is set.
 */
export async function applyAttach(clients: AwsClients, prepared: PreparedAttach, options: ApplyOptions): Promise<AttachResult> {
  const { settings, plan } = prepared;
  const undo = new UndoLog();
  const abort = async (error: unknown): Promise<never> => {
    const report = await undo.undoAll();
    if (error instanceof InterruptedError) throw new InterruptedError(report);
    if (error instanceof StepError) throw new StepError(error.step, error.cause, report);
    throw new StepError('resources', error as Error, report);
  };
  let outputs: ResourceOutputs;
  try {
    // Lambda's own waits (a function becoming Active, an update finishing) take seconds; they
    // get the steps' default limit, not --wait-timeout, which is about CloudFront deploying.
    outputs = await applyPreparedResources(clients, prepared.resources, {}, undo, options.signal);
  } catch (error) {
    return abort(error);
  }
  options.onEvent?.({ type: 'resources-applied' });
  const versions = Object.fromEntries(Object.entries(outputs.functions).map(([key, f]) => [key, { arn: f.arn, pending: false }]));

  const settled = await settleWithLimit(prepared.observed, settings.concurrency, async (observed): Promise<DistributionResult> => {
    const previous = prepared.previous.get(observed.id);
    const shown = plan.distributions.find((d) => d.id === observed.id)!;
    const planFor = (o: ObservedDistribution) => planOne(plan.manifest, settings, o, previous, versions, outputs.cachePolicyIds);
    if (planFor(observed).changes.length === 0) return { id: observed.id, ok: true, written: false, etag: observed.etag, status: observed.status };
    if (options.signal?.aborted) throw new InterruptedError();
    const written = await step(`distribution ${observed.id}`, () => writeDistribution(clients, shown, observed, planFor));
    options.onEvent?.({ type: 'written', id: observed.id, etag: written.etagAfter });
    // Recorded before waiting: it says what was applied, whatever happens next.
    const revision = revisionFor(prepared, observed.id, written, outputs);
    await writeRevision(settings.stateDir, revision);
    let status = written.status;
    try {
      // After SIGINT the write is finished, the wait is not: the revision already says what is live.
      if (options.wait && !options.signal?.aborted) {
        options.onEvent?.({ type: 'waiting', id: observed.id });
        await waitDeployed(clients, observed.id, options);
        status = 'Deployed';
        options.onEvent?.({ type: 'deployed', id: observed.id });
      }
      if (options.verifyUrl && !options.signal?.aborted) {
        const statusCode = await verify(options.verifyUrl);
        options.onEvent?.({ type: 'verified', id: observed.id, url: options.verifyUrl, status: statusCode });
      }
    } catch (error) {
      const live = { id: observed.id, written: true, etag: written.etagAfter, status, revision: revision.revision };
      if (options.signal?.aborted) return { ...live, ok: true };
      // The change is live and recorded: the resources it uses stay. Only --rollback-on-failure
      // takes it back, and only once that has worked is it as if nothing had been written.
      if (!options.rollbackOnFailure) return { ...live, ok: false, error: new AfterWriteError(observed.id, revision.revision, error as Error) };
      let rolledBack: WrittenDistribution;
      try {
        rolledBack = await restoreDistribution(clients, {
          id: observed.id,
          integration: plan.integration,
          ownedFunctionNames: ownedFunctionNames(plan.manifest, previous),
          originKeys: Object.keys(plan.manifest.origins),
          expected: revision.ownedAfter,
          target: revision.ownedBefore,
          restoreForeign: revision.replacedForeign,
        });
      } catch (restoreError) {
        return { ...live, ok: false, error: new AfterWriteError(observed.id, revision.revision, error as Error, restoreError as Error) };
      }
      await writeRevision(settings.stateDir, { ...revisionFor(prepared, observed.id, rolledBack, outputs, 'rollback'), ownedBefore: revision.ownedAfter, ownedAfter: rolledBack.plan.ownedAfter, replacedForeign: [] });
      options.onEvent?.({ type: 'rolled-back', id: observed.id });
      return { id: observed.id, ok: false, written: false, error: new RolledBackError(`${describeCause(error)}; the owned parts of ${observed.id} were rolled back to how they were before this attach`) };
    }
    return { id: observed.id, ok: true, written: true, etag: written.etagAfter, status, revision: revision.revision };
  });
  const distributions = settled.map((s, i) => (s.status === 'fulfilled' ? s.value : { id: prepared.observed[i]!.id, ok: false, written: false, error: s.reason as Error }));
  // Nothing reached a distribution: take back what this run created, as if it had not run.
  const noneWritten = distributions.every((d) => !d.written) && distributions.some((d) => !d.ok);
  if (noneWritten) {
    const failure = distributions.find((d) => !d.ok)!.error!;
    if (failure instanceof RolledBackError) throw new RolledBackError(`${failure.message}; ${undoSummary(await undo.undoAll())}`);
    return abort(failure);
  }
  if (options.signal?.aborted) throw new InterruptedError();
  return { resources: outputs, distributions };
}

/** A wait or verification failed after the write, and --rollback-on-failure put the owned parts back. */
export class RolledBackError extends Error {
  readonly exitCode = 1;
}

const describeCause = (error: unknown): string => (error instanceof Error ? (describeAwsError(error)?.what.replace(/\.$/, '') ?? error.message) : String(error));

/**
 * A wait or verification failed after the distribution was written: the change is live and
 * recorded, the resources it uses are kept, and the message says how to go on.
 */
export class AfterWriteError extends Error {
  readonly exitCode = 1;

  constructor(
    readonly distributionId: string,
    readonly revision: string,
    override readonly cause: Error,
    readonly rollbackError?: Error,
  ) {
    super(
      `${describeCause(cause)}; the change to ${distributionId} is written and recorded (revision ${revision})` +
        (rollbackError ? `, and putting it back failed too (${describeCause(rollbackError)})` : '') +
        `: check it with edge-install status, re-run attach to finish, or run edge-install rollback to take it back`,
    );
  }
}

async function waitDeployed(clients: AwsClients, id: string, options: ApplyOptions): Promise<void> {
  await waitUntilDeployed(clients, id, { timeoutSeconds: options.waitTimeoutSeconds, pollSeconds: options.pollSeconds, signal: options.signal });
}

/** `behaviors.<pattern>.<event>` → [pattern, event]; patterns may contain dots. */
function splitAssociationAddress(address: string): [string, string] {
  const rest = address.slice('behaviors.'.length);
  const cut = rest.lastIndexOf('.');
  return [rest.slice(0, cut), rest.slice(cut + 1)];
}
