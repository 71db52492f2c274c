/**
 * Lambda@Edge association rules, end to end: roles made with IAM, functions with Lambda,
 * associated through CloudFront — each rule asserted by the SDK error class and status.
 */
import {
  GetDistributionConfigCommand,
  InvalidLambdaFunctionAssociation,
  UpdateDistributionCommand,
  type DistributionConfig,
  type LambdaFunctionAssociation,
} from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  InvalidParameterValueException,
  LambdaClient,
  PublishVersionCommand,
  type Architecture,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { expectAwsError } from '../helpers/errors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { zipOfSize } from '../helpers/zip.js';

const ID = DEMO_DISTRIBUTION_ID;
let sb: TestSandbox;
let edgeRole: string;
let lambdaOnlyRole: string;

function trust(...services: string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: services }, Action: 'sts:AssumeRole' }] });
}

beforeAll(async () => {
  sb = await startTestSandbox();
  const create = async (name: string, doc: string) =>
    (await sb.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc }))).Role!.Arn!;
  edgeRole = await create('edge', trust('lambda.amazonaws.com', 'edgelambda.amazonaws.com'));
  lambdaOnlyRole = await create('lambda-only', trust('lambda.amazonaws.com'));
  await sb.advance(sb.world.delays.iamPropagationMs);
});
afterAll(() => sb.close());

let counter = 0;
interface FunctionOptions {
  memorySize?: number;
  timeout?: number;
  role?: string;
  environment?: Record<string, string>;
  runtime?: Runtime;
  architecture?: Architecture;
  zipBytes?: number;
  client?: LambdaClient;
}

/** Creates a function and publishes version 1; returns the qualified version ARN. */
async function edgeFunction(options: FunctionOptions = {}): Promise<string> {
  const client = options.client ?? sb.lambda;
  const name = `fn-${++counter}`;
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: options.role ?? edgeRole,
      Runtime: options.runtime ?? 'nodejs20.x',
      Handler: 'index.handler',
      MemorySize: options.memorySize ?? 128,
      Timeout: options.timeout ?? 5,
      Architectures: options.architecture ? [options.architecture] : undefined,
      Environment: options.environment ? { Variables: options.environment } : undefined,
      Code: { ZipFile: zipOfSize(options.zipBytes ?? 512) },
    }),
  );
  await sb.advance(sb.world.delays.lambdaStateMs);
  const version = await client.send(new PublishVersionCommand({ FunctionName: name }));
  return version.FunctionArn!;
}

async function associate(change: (config: DistributionConfig) => void) {
  const { DistributionConfig: config, ETag } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
  change(config!);
  return sb.cloudfront.send(new UpdateDistributionCommand({ Id: ID, IfMatch: ETag, DistributionConfig: config }));
}

const onDefault = (...items: LambdaFunctionAssociation[]) => (c: DistributionConfig) => {
  c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: items.length, Items: items };
};
const viewerRequest = (arn: string): LambdaFunctionAssociation => ({ EventType: 'viewer-request', LambdaFunctionARN: arn, IncludeBody: false });
const reject = (change: (c: DistributionConfig) => void, message: RegExp) => expectAwsError(associate(change), InvalidLambdaFunctionAssociation, 400, message);

describe('Lambda@Edge associations', () => {
  it('a numbered version of a conforming function is accepted and kept', async () => {
    const arn = await edgeFunction();
    await associate(onDefault(viewerRequest(arn)));
    const { DistributionConfig } = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: ID }));
    expect(DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items).toEqual([viewerRequest(arn)]);
    await associate(onDefault());
  });

  it('the ARN must name a numbered version: not unqualified, not $LATEST', async () => {
    const arn = await edgeFunction();
    const unqualified = arn.replace(/:\d+$/, '');
    await reject(onDefault(viewerRequest(unqualified)), /must reference a specific function version/);
    await reject(onDefault(viewerRequest(`${unqualified}:$LATEST`)), /must reference a specific function version/);
    await reject(onDefault(viewerRequest(`${unqualified}:7`)), /does not exist/);
  });

  it("the function must be in region 'us-east-1'", async () => {
    const west = new LambdaClient(sb.clientConfig('eu-west-1'));
    const arn = await edgeFunction({ client: west });
    expect(arn).toContain(':eu-west-1:');
    await reject(onDefault(viewerRequest(arn)), /The function must be in region 'us-east-1'/);
    west.destroy();
  });

  it('the execution role must trust edgelambda.amazonaws.com as well as lambda.amazonaws.com', async () => {
    const arn = await edgeFunction({ role: lambdaOnlyRole });
    await reject(onDefault(viewerRequest(arn)), /must be assumable with edgelambda\.amazonaws\.com as well as lambda\.amazonaws\.com/);
  });

  it('the function cannot have environment variables', async () => {
    const arn = await edgeFunction({ environment: { SECRET_NAME: 'x' } });
    await reject(onDefault(viewerRequest(arn)), /cannot have environment variables/);
  });

  it('the runtime must be one Lambda@Edge supports, on x86_64', async () => {
    await reject(onDefault(viewerRequest(await edgeFunction({ runtime: 'java21' }))), /invalid runtime/);
    // "Lambda@Edge supports the latest versions of Node.js and Python runtimes": the newest ones too.
    await associate(onDefault(viewerRequest(await edgeFunction({ runtime: 'nodejs24.x' }))));
    await associate(onDefault({ EventType: 'origin-request', LambdaFunctionARN: await edgeFunction({ runtime: 'python3.14' }), IncludeBody: false }));
    await reject(onDefault(viewerRequest(await edgeFunction({ architecture: 'arm64' }))), /x86_64/);
  });

  it('viewer events: memory <= 128 MB, timeout <= 5 s; origin events allow more', async () => {
    const big = await edgeFunction({ memorySize: 256 });
    await reject(onDefault(viewerRequest(big)), /memory size is larger than the maximum allowed size.*: 256 Max allowed: 128/);
    await associate(onDefault({ EventType: 'origin-request', LambdaFunctionARN: big, IncludeBody: false }));
    const slow = await edgeFunction({ timeout: 10 });
    await reject(onDefault(viewerRequest(slow)), /timeout is larger than the maximum allowed.*: 10 Max allowed: 5/);
    await associate(onDefault({ EventType: 'origin-response', LambdaFunctionARN: slow }));
    const slower = await edgeFunction({ timeout: 31 });
    await reject(onDefault({ EventType: 'origin-request', LambdaFunctionARN: slower }), /timeout is larger.*Max allowed: 30/);
    await associate(onDefault());
  });

  it('viewer events: code <= 1,048,576 bytes', async () => {
    const large = await edgeFunction({ zipBytes: 1_048_577 });
    await reject(onDefault(viewerRequest(large)), /code size is larger than the maximum allowed size.*: 1048577 Max allowed: 1048576/);
  });

  it('one association per event type per behavior; IncludeBody only on request events', async () => {
    const a = await edgeFunction();
    const b = await edgeFunction();
    await reject(onDefault(viewerRequest(a), viewerRequest(b)), /^The event type of a function association must be unique in the cache behavior\. Event type viewer-request cannot be associated with two functions\.$/);
    await reject(onDefault({ EventType: 'origin-response', LambdaFunctionARN: a, IncludeBody: true }), /^The IncludeBody option can only be used with viewer-request or origin-request events\.$/);
  });

  it('CloudFront Functions and Lambda@Edge cannot be combined in viewer events; origin events may be mixed', async () => {
    const arn = await edgeFunction();
    // The seed's /static/* behavior runs a CloudFront Function on viewer-request.
    const onStatic = (...associations: LambdaFunctionAssociation[]) => (c: DistributionConfig) => {
      c.CacheBehaviors!.Items![1]!.LambdaFunctionAssociations = { Quantity: associations.length, Items: associations };
    };
    await reject(onStatic(viewerRequest(arn)), /Event type viewer-request cannot be associated with two functions/);
    await reject(onStatic({ EventType: 'viewer-response', LambdaFunctionARN: arn, IncludeBody: false }), /You can't combine CloudFront Functions and Lambda@Edge in viewer events/);
    await associate(onStatic({ EventType: 'origin-request', LambdaFunctionARN: arn, IncludeBody: false }));
  });
});

describe('replicas', () => {
  it('an attached version cannot be deleted until its replicas are gone after detaching', async () => {
    const arn = await edgeFunction();
    await associate(onDefault(viewerRequest(arn)));
    const deleteVersion = () => sb.lambda.send(new DeleteFunctionCommand({ FunctionName: arn }));
    await expectAwsError(deleteVersion(), InvalidParameterValueException, 400, /replicated function/);
    await associate(onDefault());
    await expectAwsError(deleteVersion(), InvalidParameterValueException, 400, /replicated function/);
    await sb.advance(sb.world.delays.replicaDeletionMs);
    await deleteVersion();
  });
});
