/**
 * APPLY for `attach` (ARCHITECTURE.md steps 1–9), given the approved plan and the clients:
 * the resource steps (secret, role, functions and versions, cache policies), then per
 * distribution exactly one ETag-pinned UpdateDistribution of the approved change, its revision
 * recorded at once, the wait for Deployed and the optional verification.
 *
 * Before any distribution is written, a failure (or an interrupt) undoes what this run created
 * or changed, newest first, and the distribution stays as it was. Once one is written, the
 * resources it uses stay: a failure while waiting or verifying leaves the change live and
 * says so — or, with --rollback-on-failure, puts the owned parts back first.
 */
import type { AwsClients } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import { listAccountAssociations, type AccountAssociation } from '../aws/observe/account-associations.js';
import type { ObservedDistribution } from '../aws/observe/distribution.js';
import { waitUntilDeployed } from '../aws/wait.js';
import { watchErrors, WatchBreachError, WatchInconclusiveError, type WatchSettings } from './watch.js';
import { InterruptedError, interrupted, RuntimeError } from '../errors.js';
import { planAttachDistribution, type AttachPlan } from '../plan/attach.js';
import type { DistributionPlan } from '../plan/distribution.js';
import { adoptedBy } from '../plan/resources.js';
import { adoptedResources, knownFunctions, type RevisionFunction } from '../plan/revision.js';
import { settleWithLimit } from '../concurrency.js';
import type { ApplyRuntime, DistributionResult } from './events.js';
import { recordUnwritten, UnrecordedWriteError, writeAndRecord, type RevisionFacts } from './record.js';
import { applyResources, type ResourceOutputs } from './resources.js';
import { restoreDistribution } from './restore.js';
import { interruptedWithUndo, step, StepError, UndoLog, undoSummary, type InUse } from './undo.js';

export interface AttachApplyOptions extends ApplyRuntime {
  wait: boolean;
  waitTimeoutSeconds: number;
  verifyUrl?: string;
  /** After a failed wait or verification, put the owned parts back as they were. */
  rollbackOnFailure?: boolean;
  /** Distributions worked on at once. */
  concurrency: number;
  /** After Deployed (and --verify-url), watch the errors for a window and roll back on a breach. */
  watch?: Omit<WatchSettings, 'functions'>;
}

export interface AttachResult {
  resources: ResourceOutputs;
  distributions: DistributionResult[];
}

export class VerifyError extends RuntimeError {}

/** A wait or verification failed after the write, and --rollback-on-failure put the owned parts back. */
export class RolledBackError extends RuntimeError {}

const describeCause = (error: unknown): string => (error instanceof Error ? (describeAwsError(error)?.what.replace(/\.$/, '') ?? error.message) : String(error));

/**
 * A wait or verification failed after the distribution was written: the change is live and
 * recorded, the resources it uses are kept, and the message says how to go on.
 */
export class AfterWriteError extends RuntimeError {
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

/**
 * What something live uses now, looked up once when a run is undone: the run made these
 * resources, but another run (another machine, another state dir) may have put the
 * integration live with them meanwhile. If the account cannot be read, nothing is deleted.
 */
async function liveUse(clients: AwsClients, functionNames: string[]): Promise<InUse> {
  let associations: AccountAssociation[];
  try {
    associations = await listAccountAssociations(clients);
  } catch (error) {
    const why = `could not check whether a distribution uses it (${describeCause(error)})`;
    return () => why;
  }
  const names = new Set(functionNames);
  const on = (matching: AccountAssociation[]) => [...new Set(matching.map((a) => a.distributionId))].sort().join(', ');
  return (subject) => {
    const used =
      subject.kind === 'version'
        ? associations.filter((a) => a.arn === subject.arn)
        : subject.kind === 'function'
          ? associations.filter((a) => a.functionName === subject.name)
          : associations.filter((a) => names.has(a.functionName));
    return used.length ? `in use: ${subject.kind === 'integration' ? 'the integration is' : 'it is'} attached to ${on(used)}` : undefined;
  };
}

async function verify(url: string): Promise<number> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status >= 500) throw new VerifyError(`verification failed: GET ${url} answered ${response.status}`);
  return response.status;
}

/** The function versions this run published or reused, as a revision records them. */
function revisionFunctions(outputs: ResourceOutputs): RevisionFunction[] {
  return Object.values(outputs.functions).map((f) => ({ key: f.key, name: f.name, version: f.version, arn: f.arn, codeSha256: f.codeSha256 }));
}

/** The resource steps done, and what the distribution writes need from them (attach and attach --canary). */
export interface AppliedResources {
  outputs: ResourceOutputs;
  /** The version ARNs to associate, by function key. */
  versions: Record<string, string>;
  /** Plans a distribution (as read) with the real versions and policy ids. */
  replan: (observed: ObservedDistribution) => DistributionPlan;
  revisionFacts: RevisionFacts;
  functions: RevisionFunction[];
  undo: UndoLog;
  /** Undoes what this run created or changed, and rethrows `error` with what was undone. */
  abort: (error: unknown) => Promise<never>;
}

/** The resource steps (secret, role, functions and versions, cache policies); undone on failure. */
export async function applyAttachResources(clients: AwsClients, plan: AttachPlan, options: AttachApplyOptions): Promise<AppliedResources> {
  const { inputs } = plan;
  const { manifest } = inputs;
  const undo = new UndoLog();
  const abort = async (error: unknown): Promise<never> => {
    const report = await undo.undoAll(await liveUse(clients, [...new Set([...inputs.ownedFunctionNames, ...plan.resourcePlan.functions.map(([f]) => f.name)])]));
    if (error instanceof InterruptedError) throw interruptedWithUndo(error, report);
    if (error instanceof StepError) throw new StepError(error.step, error.cause, report);
    throw new StepError('resources', error as Error, report);
  };
  let outputs: ResourceOutputs;
  try {
    // Lambda's own waits (a function becoming Active, an update finishing) take seconds; they
    // have their own limit (polling.ts), not --wait-timeout, which is about CloudFront deploying.
    outputs = await applyResources(
      clients,
      plan.resourcePlan,
      {
        observed: inputs.resources,
        secretValues: inputs.secretValues,
        zips: Object.fromEntries(Object.entries(inputs.bundles).map(([key, bundle]) => [key, bundle.zip])),
        functionOptions: { timing: options.timing, onEvent: options.onEvent },
      },
      undo,
      options.signal,
    );
  } catch (error) {
    return abort(error);
  }
  options.onEvent?.({ type: 'resources-applied' });
  const versions = Object.fromEntries(Object.entries(outputs.functions).map(([key, f]) => [key, f.arn]));
  const replan = (o: ObservedDistribution) => planAttachDistribution(inputs, plan.options, o, versions, outputs.cachePolicyIds);
  // Values written over stored ones: the version they replaced, so a rollback of this change can move the secret back.
  const secretChange = plan.resourcePlan.secret;
  const replacedVersion = secretChange?.action === 'update' && outputs.secret?.versionId ? secretChange.versionBefore : undefined;
  const secret = manifest.secret
    ? { name: manifest.secret.name, region: manifest.secret.region, arn: outputs.secret?.arn, versionId: outputs.secret?.versionId, ...(replacedVersion ? { versionBefore: replacedVersion, changedKeys: secretChange!.keysToWrite } : {}) }
    : undefined;
  // Adoption carried forward into every revision: losing one revision never loses the record.
  const adopted = [...new Set([...adoptedBy(plan.resourcePlan), ...adoptedResources(inputs.revisions)])].sort();
  const functions = revisionFunctions(outputs);
  // `by`: the caller the gather read (sts:GetCallerIdentity, observeAccount).
  const revisionFacts: RevisionFacts = { kind: 'attach', by: inputs.resources.account?.callerArn, integration: manifest.name, functions, cachePolicies: outputs.cachePolicyIds, secret, adopted };
  return { outputs, versions, replan, revisionFacts, functions, undo, abort };
}

/** What something live uses now (for undoing a run), by function name. */
export { liveUse };

export async function applyAttach(clients: AwsClients, plan: AttachPlan, options: AttachApplyOptions): Promise<AttachResult> {
  const { inputs } = plan;
  const { manifest } = inputs;
  const { outputs, replan, revisionFacts, functions, undo, abort } = await applyAttachResources(clients, plan, options);
  const secret = revisionFacts.secret;

  /** The first distribution whose watch saw a breach, if any. */
  let watchFailed: string | undefined;
  const attachOne = async (observed: ObservedDistribution, index: number): Promise<DistributionResult> => {
    const approved = plan.distributions[index]!;
    const unchanged: DistributionResult = { id: observed.id, ok: true, written: false, etag: observed.etag, status: observed.status };
    if (approved.changes.length === 0) {
      if (!secret?.versionBefore) return unchanged;
      // The secret's values changed and nothing else: recorded, so rollback can move them back.
      try {
        const revision = await recordUnwritten(options.state, observed, approved, revisionFacts);
        return { ...unchanged, revision: revision.revision };
      } catch (error) {
        // Not recorded: the run is undone (the secret's previous value put back), as for any failure before a write.
        return { ...unchanged, ok: false, error: new RuntimeError(`the revision recording the secret's new values could not be written in ${options.state.location} (${(error as Error).message})`) };
      }
    }
    if (options.signal?.aborted) throw interrupted(options.signal);
    // Another distribution's watch saw this change fail: the rest are not written with it.
    if (watchFailed) return { id: observed.id, ok: false, written: false, etag: observed.etag, status: observed.status, error: new RuntimeError(`not written: the change failed its watch on ${watchFailed} and was rolled back there; fix it and attach again`) };
    // Recorded before waiting: it says what was applied, whatever happens next.
    let done;
    try {
      done = await step(`distribution ${observed.id}`, () =>
        writeAndRecord(clients, { approved, observed, replan, revision: revisionFacts }, options),
      );
    } catch (error) {
      // Written, not recorded: live all the same, so nothing it uses is undone.
      if (error instanceof UnrecordedWriteError) return { id: observed.id, ok: false, written: true, etag: error.written.etagAfter, status: error.written.status, error };
      throw error;
    }
    if (!done) return unchanged;
    const { written, revision } = done;
    let status = written.status;
    try {
      // After an interrupt the write is finished, the wait is not: the revision already says what is live.
      if (options.wait && !options.signal?.aborted) {
        options.onEvent?.({ type: 'waiting', id: observed.id });
        await waitUntilDeployed(clients, observed.id, { ...options.timing.deploy, timeoutMs: options.waitTimeoutSeconds * 1000, signal: options.signal }, `--wait-timeout ${options.waitTimeoutSeconds}`);
        status = 'Deployed';
        options.onEvent?.({ type: 'deployed', id: observed.id });
      }
      if (options.verifyUrl && !options.signal?.aborted) {
        const statusCode = await verify(options.verifyUrl);
        options.onEvent?.({ type: 'verified', id: observed.id, url: options.verifyUrl, status: statusCode });
      }
      if (options.watch && !options.signal?.aborted) {
        options.onEvent?.({ type: 'watching', id: observed.id, windowMs: options.watch.windowMs, maxErrorRate: options.watch.maxErrorRate });
        const watchedVersions = functions.map((f) => ({ name: f.name, version: f.version }));
        const verdict = await watchErrors(clients, observed.id, { ...options.watch, functions: watchedVersions }, { timing: options.timing, signal: options.signal });
        // Interrupted: no verdict to tell (the change stays as it is; exit 130).
        if (verdict) options.onEvent?.({ type: 'watched', id: observed.id, reason: verdict.reason });
      }
    } catch (error) {
      const live = { id: observed.id, written: true, etag: written.etagAfter, status, revision: revision.revision };
      if (options.signal?.aborted && !(error instanceof WatchBreachError)) return { ...live, ok: true };
      // A watch that could not read the metrics judged nothing: the change stays, whatever --rollback-on-failure says.
      if (error instanceof WatchInconclusiveError) return { ...live, ok: false, error: new AfterWriteError(observed.id, revision.revision, error) };
      if (error instanceof WatchBreachError) watchFailed ??= observed.id;
      // The change is live and recorded: the resources it uses stay. Only --rollback-on-failure
      // takes it back, and only once that has worked is it as if nothing had been written.
      // A watch that saw the change fail takes it back by itself: that is what --watch is for.
      if (!options.rollbackOnFailure && !(error instanceof WatchBreachError)) return { ...live, ok: false, error: new AfterWriteError(observed.id, revision.revision, error as Error) };
      try {
        await restoreDistribution(
          clients,
          {
            id: observed.id,
            integration: manifest.name,
            ownedFunctionNames: inputs.ownedFunctionNames,
            originKeys: Object.keys(manifest.origins),
            expected: revision.ownedAfter,
            target: revision.ownedBefore,
            restoreForeign: revision.replacedForeign,
          },
          { kind: 'rollback', integration: manifest.name, known: [...functions, ...knownFunctions(inputs.revisions)] },
          options,
        );
      } catch (restoreError) {
        return { ...live, ok: false, error: new AfterWriteError(observed.id, revision.revision, error as Error, restoreError as Error) };
      }
      options.onEvent?.({ type: 'rolled-back', id: observed.id });
      return { id: observed.id, ok: false, written: false, error: new RolledBackError(`${describeCause(error)}; the owned parts of ${observed.id} were rolled back to how they were before this attach`) };
    }
    return { id: observed.id, ok: true, written: true, etag: written.etagAfter, status, revision: revision.revision };
  };

  const settled = await settleWithLimit(
    inputs.distributions.map((d, i) => [d, i] as const),
    options.concurrency,
    ([d, i]) => attachOne(d, i),
  );
  const distributions = settled.map((s, i) => (s.status === 'fulfilled' ? s.value : { id: inputs.distributions[i]!.id, ok: false, written: false, error: s.reason as Error }));
  // Nothing reached a distribution: take back what this run created, as if it had not run.
  const noneWritten = distributions.every((d) => !d.written) && distributions.some((d) => !d.ok);
  if (noneWritten) {
    const failure = distributions.find((d) => !d.ok)!.error!;
    if (failure instanceof RolledBackError) throw new RolledBackError(`${failure.message}; ${undoSummary(await undo.undoAll(await liveUse(clients, inputs.ownedFunctionNames)))}`);
    return abort(failure);
  }
  if (options.signal?.aborted) {
    // As rollback says it: what is live is recorded, CloudFront deploys it without us, and where to look.
    const live = distributions.filter((d) => d.written);
    const deploying = live.some((d) => d.status !== 'Deployed');
    const notWritten = distributions.filter((d) => d.error instanceof InterruptedError).map((d) => d.id);
    throw interrupted(
      options.signal,
      live.length
        ? `interrupted${deploying ? ' while CloudFront deploys' : ''}: the change is live and recorded on ${live.map((d) => (d.revision ? `${d.id} (revision ${d.revision})` : d.id)).join(', ')}${deploying ? '; CloudFront finishes deploying it by itself' : ''}; check it with edge-install status${notWritten.length ? `; not written: ${notWritten.join(', ')} (attach again to finish)` : ''}`
        : 'interrupted',
    );
  }
  return { resources: outputs, distributions };
}
