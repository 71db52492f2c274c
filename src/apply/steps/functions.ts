/**
 * Function step, always in us-east-1: create (retrying while IAM propagates the new role),
 * update code or settings only when they differ, and publish a version guarded by the
 * CodeSha256 of the bundle — or reuse the newest published version that already matches.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../aws/clients.js';
import { isAwsError } from '../../aws/errors.js';
import type { ObservedFunction } from '../../aws/observe/functions.js';
import type { FunctionChange, VersionChange } from '../../plan/resources.js';
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
  /** How long to keep retrying "cannot be assumed by Lambda" after a new role (IAM propagation). */
  rolePropagationTimeoutMs?: number;
  /** Waiter limit for Pending → Active and update completion. */
  waitTimeoutSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Lambda's answer while a new role has not reached it yet (IAM is eventually consistent). */
const isRoleNotYetAssumable = (error: unknown) => isAwsError(error, 'InvalidParameterValueException') && /cannot be assumed by Lambda/.test((error as Error).message);

async function createWithRoleRetry(create: () => Promise<unknown>, options: FunctionStepOptions): Promise<void> {
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + (options.rolePropagationTimeoutMs ?? 120_000);
  for (let delay = 1_000; ; delay = Math.min(delay * 2, 10_000)) {
    try {
      await create();
      return;
    } catch (error) {
      if (!isRoleNotYetAssumable(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay);
    }
  }
}

async function waitUntilIdle(lambda: LambdaClient, name: string, options: FunctionStepOptions): Promise<void> {
  const maxWaitTime = options.waitTimeoutSeconds ?? 300;
  const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  if (current.State === 'Pending') await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime, minDelay: 1 }, { FunctionName: name });
  if (current.LastUpdateStatus === 'InProgress') await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime, minDelay: 1 }, { FunctionName: name });
}

export async function applyFunction(
  clients: AwsClients,
  [change, version]: [FunctionChange, VersionChange],
  zip: Buffer | undefined,
  undo: UndoLog,
  observed: ObservedFunction,
  options: FunctionStepOptions = {},
): Promise<FunctionOutput> {
  const lambda = clients.lambda;
  const { name, settings } = change;
  const maxWaitTime = options.waitTimeoutSeconds ?? 300;
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
    undo.push(`delete function ${name}`, async () => {
      await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    });
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime, minDelay: 1 }, { FunctionName: name });
  } else if (change.action === 'update') {
    // $LATEST is not what CloudFront runs (it runs numbered versions), so code and settings
    // updates need no undo; the version published below does.
    await waitUntilIdle(lambda, name, options);
    if (change.updateSettings) {
      // Environment and layers are cleared: Lambda@Edge refuses functions that have them.
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...configuration, Environment: { Variables: {} }, Layers: [] }));
      await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime, minDelay: 1 }, { FunctionName: name });
    }
    if (change.updateCode) {
      await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: needZip() }));
      await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime, minDelay: 1 }, { FunctionName: name });
    }
  }
  const output = { key: change.key, name, codeSha256: change.codeSha256, codeSize: change.codeSize };
  if (version.reuse) return { ...output, arn: version.reuse.arn, version: version.reuse.version };
  if (change.action === 'none') await waitUntilIdle(lambda, name, options);
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: change.codeSha256 }));
  const isNew = change.action !== 'create' && !observed.versions.some((v) => v.version === published.Version);
  if (isNew) {
    undo.push(`delete version ${published.Version} of function ${name}`, async () => {
      await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: published.Version }));
    });
  }
  return { ...output, arn: published.FunctionArn!, version: published.Version! };
}
