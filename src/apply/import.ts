/**
 * APPLY for `import`: its only writes, after approval — tags on the adopted functions, secret
 * and role (edge-install's owner tag and the adoption mark: detach and gc then untag them and
 * leave them in place, never delete them), the manifest, and a first revision of kind
 * `import` whose owned parts before and after are the adopted ones (the distribution is not
 * written: nothing of it changes).
 *
 * Not tagged: the distribution (it is the user's, never adopted; which of its parts are the
 * integration's is the revision's to say, and nothing reads a distribution tag), and cache
 * policies (CloudFront gives them no tags; the revision's `adopted` list is their record).
 *
 * Order and undo: checked first that the distribution is still as import read it (its ETag)
 * and that the integration has no revision yet (under its lock); then tags (each undone if a
 * later step fails), then the manifest (atomically; a replaced one is put back on failure),
 * then the revision — the last step, so a failure anywhere leaves nothing recorded.
 */
import { readFile, unlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { TagRoleCommand, UntagRoleCommand } from '@aws-sdk/client-iam';
import { TagResourceCommand as TagFunctionCommand, UntagResourceCommand as UntagFunctionCommand } from '@aws-sdk/client-lambda';
import { TagResourceCommand as TagSecretCommand, UntagResourceCommand as UntagSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../aws/clients.js';
import { ConflictError, interrupted, UsageError } from '../errors.js';
import type { ImportPlan, TagTarget } from '../plan/import.js';
import { buildRevision, type Revision } from '../plan/revision.js';
import { ExistsError, writeDurably } from '../state/files.js';
import type { StateStore } from '../state/store.js';
import { ManifestExistsError } from './init.js';
import { interruptedWithUndo, StepError, UndoLog } from './undo.js';

export interface ImportWrite {
  plan: ImportPlan;
  manifestPath: string;
  /** As the user gave it, for messages. */
  manifestShown: string;
  manifestText: string;
  /** Replace an existing manifest (--force). */
  force: boolean;
  state: StateStore;
  /** The caller identity ARN (the revision's `by`). */
  by?: string;
  signal?: AbortSignal;
}

export interface ImportResult {
  revision: Revision;
  /** `function:<name>`, … : what was tagged. */
  tagged: string[];
}

/** TagResource / TagRole, and how to take it back. */
async function tag(clients: AwsClients, target: TagTarget, undo: UndoLog): Promise<void> {
  const keys = Object.keys(target.tags);
  const pairs = Object.entries(target.tags).map(([Key, Value]) => ({ Key, Value }));
  switch (target.kind) {
    case 'function':
      // Lambda API reference, TagResource: Resource is the function's ARN; tags apply to the function, not a version.
      await clients.lambda.send(new TagFunctionCommand({ Resource: target.arn, Tags: target.tags }));
      undo.push(`untag function ${target.name}`, async () => void (await clients.lambda.send(new UntagFunctionCommand({ Resource: target.arn, TagKeys: keys }))));
      return;
    case 'role':
      // IAM API reference, TagRole: by role name; an existing key is overwritten.
      await clients.iam.send(new TagRoleCommand({ RoleName: target.name, Tags: pairs }));
      undo.push(`untag role ${target.name}`, async () => void (await clients.iam.send(new UntagRoleCommand({ RoleName: target.name, TagKeys: keys }))));
      return;
    case 'secret': {
      // Secrets Manager API reference, TagResource: SecretId is the ARN or name.
      const client = clients.secrets(target.region ?? 'us-east-1');
      await client.send(new TagSecretCommand({ SecretId: target.arn, Tags: pairs }));
      undo.push(`untag secret ${target.name}`, async () => void (await client.send(new UntagSecretCommand({ SecretId: target.arn, TagKeys: keys }))));
      return;
    }
  }
}

export async function applyImport(clients: AwsClients, write: ImportWrite): Promise<ImportResult> {
  const { plan, state } = write;
  const undo = new UndoLog();
  const stopIfInterrupted = async () => {
    if (write.signal?.aborted) throw interruptedWithUndo(interrupted(write.signal), undo.size ? await undo.undoAll() : undefined);
  };
  // Under the lock: another run may have made the integration edge-install's meanwhile.
  const { revisions } = await state.readRevisions(plan.integration);
  if (revisions.length) throw new UsageError(alreadyManagedMessage(plan.integration, state.location));
  if (!write.force && existsSync(write.manifestPath)) throw new ManifestExistsError(write.manifestShown);
  // The revision says what the distribution looked like: it must still look so (tags do not change an ETag).
  const current = await clients.cloudfront.send(new GetDistributionConfigCommand({ Id: plan.distributionId }));
  if (current.ETag !== plan.etag) {
    throw new ConflictError(`${plan.distributionId} changed since import read it (ETag ${plan.etag}, now ${current.ETag}): nothing was written; run import again to match what is there now`);
  }
  const tagged: string[] = [];
  for (const target of plan.tags) {
    await stopIfInterrupted();
    try {
      await tag(clients, target, undo);
    } catch (error) {
      throw new StepError(`tag ${target.kind} ${target.name}`, error as Error, await undo.undoAll());
    }
    tagged.push(`${target.kind}:${target.name}`);
  }
  await stopIfInterrupted();
  const previous = write.force && existsSync(write.manifestPath) ? await readFile(write.manifestPath, 'utf8') : undefined;
  try {
    await writeDurably(write.manifestPath, write.manifestText, { exclusive: !write.force });
  } catch (error) {
    const report = await undo.undoAll();
    if (error instanceof ExistsError) throw Object.assign(new StepError('write the manifest', new ManifestExistsError(write.manifestShown), report), { exitCode: 2 });
    throw new StepError('write the manifest', error as Error, report);
  }
  const draft = buildRevision({
    kind: 'import',
    integration: plan.integration,
    distributionId: plan.distributionId,
    at: new Date(),
    etagBefore: plan.etag,
    etagAfter: plan.etag,
    written: { ownedBefore: plan.owned, ownedAfter: plan.owned, changes: [] },
    functions: plan.functions,
    cachePolicies: plan.cachePolicyIds,
    ...(plan.secret ? { secret: plan.secret } : {}),
    adopted: plan.adoptedResources,
  });
  let revision: Revision;
  try {
    revision = await state.appendRevision({ ...draft, ...(write.by ? { by: write.by } : {}) });
  } catch (error) {
    // Nothing recorded: the manifest and tags go too, so a second import starts from the same place.
    if (previous === undefined) await unlink(write.manifestPath).catch(() => undefined);
    else await writeDurably(write.manifestPath, previous).catch(() => undefined);
    throw new StepError(`record the revision in ${state.location}`, error as Error, await undo.undoAll());
  }
  return { revision, tagged };
}

export function alreadyManagedMessage(integration: string, location: string): string {
  // Exit 2: importing over it would start a second history for the same name and hide the first.
  return `${integration} already has revisions in ${location}: it is installed by edge-install already (edge-install status shows it), and import never starts over an integration's history. Fix: import this install under another --name; or, if ${integration} is gone for good, move its state ${location}/${integration} to another place, then run import again.`;
}
