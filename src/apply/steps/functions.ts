/**
 * Function step, always in us-east-1: create (retrying while IAM propagates the new role),
 * update code or settings only when they differ, and publish a version guarded by the
 * CodeSha256 of the bundle — or reuse the newest published version that already matches.
 */
import { CreateFunctionCommand, DeleteFunctionCommand, PublishVersionCommand, TagResourceCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../aws/clients.js';
import { isAwsError } from '../../aws/errors.js';
import type { ObservedFunction } from '../../aws/observe/functions.js';
import type { Timing } from '../../aws/polling.js';
import { waitUntilFunctionReady } from '../../aws/wait.js';
import type { FunctionChange, VersionChange } from '../../plan/resources.js';
import type { ApplyEvent } from '../events.js';
import type { UndoLog } from '../undo.js';

export interface FunctionOutput {
  key: string;
  name: string;
  /** The qualified ARN of the version to associate. */
  arn: string;
  version: string;
  codeSha256: string;
  codeSize: number;
}

export interface FunctionStepOptions {
  /** Polling for Lambda's states and the IAM propagation retry (src/aws/polling.ts). */
  timing: Pick<Timing, 'lambda' | 'rolePropagation'>;
  /** How to wait between CreateFunction retries (tests move the sandbox clock instead). */
  sleep?: (ms: number) => Promise<void>;
  /** Told when a wait for Lambda (or for the secret's replicas) takes more than one read, and when it ends. */
  onEvent?: (event: ApplyEvent) => void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Lambda's answer while a new role has not reached it yet (IAM is eventually consistent). */
const isRoleNotYetAssumable = (error: unknown) => isAwsError(error, 'InvalidParameterValueException') && /cannot be assumed by Lambda/.test((error as Error).message);

async function createWithRoleRetry(create: () => Promise<unknown>, options: FunctionStepOptions): Promise<void> {
  const { firstDelayMs, maxDelayMs, timeoutMs } = options.timing.rolePropagation;
  const sleep = options.sleep ?? realSleep;
  const deadline = Date.now() + timeoutMs;
  for (let delay = firstDelayMs; ; delay = Math.min(delay * 2, maxDelayMs)) {
    try {
      await create();
      return;
    } catch (error) {
      if (!isRoleNotYetAssumable(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay);
    }
  }
}

export async function applyFunction(
  clients: AwsClients,
  [change, version]: [FunctionChange, VersionChange],
  zip: Buffer | undefined,
  undo: UndoLog,
  observed: ObservedFunction,
  options: FunctionStepOptions,
): Promise<FunctionOutput> {
  const lambda = clients.lambda;
  const { name, settings } = change;
  // Until Lambda has settled the function (Pending → Active, an update finishing): after our own
  // create or update a Failed state is that step failing; before an update it is just where an
  // earlier update left the function, which this update repairs. Not cut short by an
  // interrupt: a step in flight always finishes (undo.ts).
  // Each wait is reported (the CLI shows a spinner line for it) only once a read finds Lambda
  // still busy: on AWS a create stays Pending for seconds, an update InProgress as long.
  const waitFor = async (failedIs: 'an error' | 'settled') => {
    let waited = false;
    const onState = (state: string) => {
      waited = true;
      options.onEvent?.({ type: 'function-waiting', name, state });
    };
    await waitUntilFunctionReady(clients, name, { ...options.timing.lambda, onState }, failedIs);
    if (waited) options.onEvent?.({ type: 'function-ready', name });
  };
  const ready = () => waitFor('an error');
  const settled = () => waitFor('settled');
  const needZip = () => {
    if (!zip) throw new Error(`functions.${change.key}: the bundle was not built`);
    return zip;
  };
  const configuration = {
    Runtime: settings.runtime as never,
    MemorySize: settings.memorySize,
    Timeout: settings.timeout,
    Role: settings.role,
    Handler: settings.handler,
    Description: settings.description,
    // Lambda's default group unless the manifest names one (an update back to the default names it).
    LoggingConfig: { LogGroup: settings.logGroup ?? `/aws/lambda/${name}` },
  };
  if (change.action === 'create') {
    await createWithRoleRetry(
      () =>
        lambda.send(
          new CreateFunctionCommand({
            FunctionName: name,
            ...configuration,
            Architectures: ['x86_64'],
            PackageType: 'Zip',
            Code: { ZipFile: needZip() },
            Tags: change.tags,
          }),
        ),
      options,
    );
    undo.push(
      `delete function ${name}`,
      async () => {
        await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
      },
      { kind: 'function', name },
    );
    await ready();
  } else if (change.action === 'update') {
    // $LATEST is not what CloudFront runs (it runs numbered versions), so code and settings
    // updates need no undo; the version published below does.
    await settled();
    if (change.updateSettings) {
      // Environment and layers are cleared: Lambda@Edge refuses functions that have them.
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...configuration, Environment: { Variables: {} }, Layers: [] }));
      await ready();
    }
    if (change.updateCode) {
      await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: needZip() }));
      await ready();
    }
    // Adopted: tagged as the integration's and as not created by it (detach untags it, never deletes it).
    if (Object.keys(change.tagsToAdd).length) await lambda.send(new TagResourceCommand({ Resource: observed.arn!, Tags: change.tagsToAdd }));
  }
  const output = { key: change.key, name, codeSha256: change.codeSha256, codeSize: change.codeSize };
  if (version.reuse) return { ...output, arn: version.reuse.arn, version: version.reuse.version };
  // Nothing of ours changed it: publish what is there once Lambda has settled it.
  if (change.action === 'none') await settled();
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: change.codeSha256 }));
  const isNew = change.action !== 'create' && !observed.versions.some((v) => v.version === published.Version);
  if (isNew) {
    undo.push(
      `delete version ${published.Version} of function ${name}`,
      async () => {
        await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: published.Version }));
      },
      { kind: 'version', arn: published.FunctionArn! },
    );
  }
  return { ...output, arn: published.FunctionArn!, version: published.Version! };
}
