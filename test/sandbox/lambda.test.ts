import { createHash } from 'node:crypto';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  LambdaClient,
  LambdaServiceException,
  ListFunctionsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  paginateListVersionsByFunction,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFunctionVersion } from '../../src/sandbox/lambda/lookup.js';
import { syncReplicas } from '../../src/sandbox/lambda/replicas.js';
import type { RoleRecord } from '../../src/sandbox/world.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { zipOf } from '../helpers/zip.js';

const ACCOUNT = '123456789012';
const STATE_MS = 10_000;
const REPLICA_MS = 60_000;

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox({ seed: 'empty', delays: { lambdaStateMs: STATE_MS, replicaDeletionMs: REPLICA_MS } });
});
afterAll(() => sb.close());

// ---- helpers ---------------------------------------------------------------------------------

let roles = 0;
/** An execution role put straight into the sandbox's IAM state (trusting lambda + edgelambda). */
function putRole(options: { propagatedAt?: number; services?: string[] } = {}): string {
  const name = `lambda-test-role-${++roles}`;
  const arn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
  const role: RoleRecord = {
    name,
    id: `AROA${String(roles).padStart(17, '0')}`,
    arn,
    path: '/',
    maxSessionDuration: 3600,
    assumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: options.services ?? ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
    created: sb.world.now(),
    propagatedAt: options.propagatedAt ?? sb.world.now(),
    inlinePolicies: {},
    attachedPolicyArns: [],
    tags: {},
  };
  sb.world.data.iam.roles.push(role);
  return arn;
}

let zips = 0;
/** A real zip each time (Lambda refuses bytes that are not one), with distinct content. */
function zip(text = `zip-${++zips}`): Uint8Array {
  return new Uint8Array(zipOf(text));
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');
const arnOf = (name: string, qualifier?: string, region = 'us-east-1'): string =>
  `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;

let functions = 0;
function uniqueName(prefix: string): string {
  return `${prefix}-${++functions}`;
}

function createInput(name: string, overrides: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput {
  return {
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Role: overrides.Role ?? putRole(),
    Code: { ZipFile: zip() },
    ...overrides,
  };
}

/** Creates a function and moves the clock until it is Active. */
async function createActive(name: string, overrides: Partial<CreateFunctionCommandInput> = {}, client: LambdaClient = sb.lambda) {
  const created = await client.send(new CreateFunctionCommand(createInput(name, overrides)));
  await sb.advance(STATE_MS);
  return created;
}

/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

async function expectAwsError(
  promise: Promise<unknown>,
  errorClass: abstract new (...args: never[]) => Error,
  name: string,
  status: number,
  message?: RegExp | string,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(errorClass);
  expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status } });
  if (message !== undefined) expect((error as Error).message).toMatch(message);
}

// ---- tests -----------------------------------------------------------------------------------

describe('lambda: CreateFunction', () => {
  it('creates a Pending function that becomes Active, with AWS defaults, CodeSha256 and CodeSize', async () => {
    const name = uniqueName('create');
    const bytes = zip('hello world');
    const role = putRole();
    const created = await sb.lambda.send(new CreateFunctionCommand(createInput(name, { Role: role, Code: { ZipFile: bytes } })));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({
      FunctionName: name,
      FunctionArn: arnOf(name),
      Runtime: 'nodejs20.x',
      Role: role,
      Handler: 'index.handler',
      CodeSize: bytes.length,
      CodeSha256: sha256(bytes),
      Description: '',
      Timeout: 3,
      MemorySize: 128,
      Version: '$LATEST',
      TracingConfig: { Mode: 'PassThrough' },
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
    });
    expect(created.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(created.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.Environment).toBeUndefined();
    expect(created.Layers).toBeUndefined();
    expect(created.VpcConfig).toBeUndefined();

    const pending = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(pending.State).toBe('Pending');
    await sb.advance(STATE_MS);
    const active = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(active).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful', RevisionId: created.RevisionId });
    expect(active.StateReasonCode).toBeUndefined();
  });

  it('works with the SDK waiter waitUntilFunctionActiveV2', async () => {
    const name = uniqueName('waiter');
    await sb.lambda.send(new CreateFunctionCommand(createInput(name)));
    const waiting = waitUntilFunctionActiveV2({ client: sb.lambda, minDelay: 0.02, maxDelay: 0.05, maxWaitTime: 10 }, { FunctionName: name });
    await sb.advance(STATE_MS);
    const result = await waiting;
    expect(result.state).toBe('SUCCESS');
  });

  it('refuses a role Lambda cannot assume yet (IAM propagation), then succeeds once propagated', async () => {
    const name = uniqueName('propagation');
    const role = putRole({ propagatedAt: sb.world.now() + 5_000 });
    const message = 'The role defined for the function cannot be assumed by Lambda.';
    await expectAwsError(sb.lambda.send(new CreateFunctionCommand(createInput(name, { Role: role }))), InvalidParameterValueException, 'InvalidParameterValueException', 400, message);
    await sb.advance(5_000);
    const created = await sb.lambda.send(new CreateFunctionCommand(createInput(name, { Role: role })));
    expect(created.FunctionName).toBe(name);
  });

  it('refuses roles that do not exist or do not trust lambda.amazonaws.com', async () => {
    const untrusted = putRole({ services: ['edgelambda.amazonaws.com'] });
    const missing = `arn:aws:iam::${ACCOUNT}:role/no-such-role`;
    for (const role of [untrusted, missing]) {
      await expectAwsError(
        sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('bad-role'), { Role: role }))),
        InvalidParameterValueException,
        'InvalidParameterValueException',
        400,
        /cannot be assumed by Lambda/,
      );
    }
  });

  it('refuses a duplicate name with 409 ResourceConflictException', async () => {
    const name = uniqueName('duplicate');
    await sb.lambda.send(new CreateFunctionCommand(createInput(name)));
    await expectAwsError(
      sb.lambda.send(new CreateFunctionCommand(createInput(name))),
      ResourceConflictException,
      'ResourceConflictException',
      409,
      `Function already exist: ${name}`,
    );
  });

  it('validates members as Lambda does', async () => {
    await expectAwsError(
      sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('timeout'), { Timeout: 901, MemorySize: 64 }))),
      LambdaServiceException,
      'ValidationException',
      400,
      /^2 validation errors detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900; Value '64' at 'memorySize'/,
    );
    await expectAwsError(
      sb.lambda.send(new CreateFunctionCommand({ FunctionName: uniqueName('no-role'), Code: { ZipFile: zip() } } as CreateFunctionCommandInput)),
      LambdaServiceException,
      'ValidationException',
      400,
      /Value null at 'role' failed to satisfy constraint: Member must not be null/,
    );
    await expectAwsError(
      sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('no-handler'), { Handler: undefined }))),
      InvalidParameterValueException,
      'InvalidParameterValueException',
      400,
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
    await expectAwsError(
      sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('reserved-env'), { Environment: { Variables: { AWS_REGION: 'x' } } }))),
      InvalidParameterValueException,
      'InvalidParameterValueException',
      400,
      /reserved keys .* AWS_REGION/,
    );
  });

  it('with Publish: true publishes version 1 (reported under the unqualified ARN)', async () => {
    const name = uniqueName('publish-on-create');
    const created = await sb.lambda.send(new CreateFunctionCommand(createInput(name, { Publish: true })));
    expect(created).toMatchObject({ Version: '1', FunctionArn: arnOf(name), State: 'Pending' });
    const v1 = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '1' }));
    expect(v1).toMatchObject({ Version: '1', FunctionArn: arnOf(name, '1'), State: 'Pending' });
    await sb.advance(STATE_MS);
    const active = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: arnOf(name, '1') }));
    expect(active.State).toBe('Active');
  });
});

describe('lambda: updates and versions', () => {
  it('PublishVersion returns the newest version while code and configuration are unchanged', async () => {
    const name = uniqueName('publish');
    const bytes = zip();
    await createActive(name, { Code: { ZipFile: bytes } });

    const v1 = await sb.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(v1.$metadata.httpStatusCode).toBe(201);
    expect(v1).toMatchObject({ Version: '1', FunctionArn: arnOf(name, '1'), CodeSha256: sha256(bytes), State: 'Active' });
    const again = await sb.lambda.send(new PublishVersionCommand({ FunctionName: arnOf(name), CodeSha256: sha256(bytes) }));
    expect(again).toMatchObject({ Version: '1', RevisionId: v1.RevisionId });

    // Same bytes again: an update, but nothing to publish.
    const same = await sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: bytes }));
    expect(same).toMatchObject({ LastUpdateStatus: 'InProgress', Version: '$LATEST', FunctionArn: arnOf(name) });
    await sb.advance(STATE_MS);
    expect((await sb.lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version).toBe('1');

    const next = zip();
    await sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: next }));
    await sb.advance(STATE_MS);
    const v2 = await sb.lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'second' }));
    expect(v2).toMatchObject({ Version: '2', CodeSha256: sha256(next), Description: 'second' });

    // A configuration change counts too.
    await sb.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 5 }));
    await sb.advance(STATE_MS);
    const v3 = await sb.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(v3).toMatchObject({ Version: '3', Timeout: 5 });

    const old = await sb.lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '1' }));
    expect(old.Configuration).toMatchObject({ Version: '1', CodeSha256: sha256(bytes), Timeout: 3 });
  });

  it('refuses an update or a publish while the function is Pending or an update is in progress (409)', async () => {
    const name = uniqueName('conflict');
    await sb.lambda.send(new CreateFunctionCommand(createInput(name)));
    await expectAwsError(
      sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip() })),
      ResourceConflictException,
      'ResourceConflictException',
      409,
      'The operation cannot be performed at this time. The function is currently in the following state: Pending',
    );
    await sb.advance(STATE_MS);

    const updated = await sb.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 256, Environment: { Variables: { MODE: 'x' } } }));
    expect(updated).toMatchObject({ MemorySize: 256, Environment: { Variables: { MODE: 'x' } }, State: 'Active', LastUpdateStatus: 'InProgress' });
    const inProgress = `The operation cannot be performed at this time. An update is in progress for resource: ${arnOf(name)}`;
    await expectAwsError(sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip() })), ResourceConflictException, 'ResourceConflictException', 409, inProgress);
    await expectAwsError(sb.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 })), ResourceConflictException, 'ResourceConflictException', 409, inProgress);
    await expectAwsError(sb.lambda.send(new PublishVersionCommand({ FunctionName: name })), ResourceConflictException, 'ResourceConflictException', 409, inProgress);

    await sb.advance(STATE_MS);
    const done = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(done.LastUpdateStatus).toBe('Successful');
    expect(done.RevisionId).toBe(updated.RevisionId);
    await sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip() }));
  });

  it('PublishVersion: a CodeSha256 that does not match $LATEST is refused (400, as Lambda does); a stale RevisionId is 412', async () => {
    const name = uniqueName('precondition');
    const bytes = zip();
    const created = await createActive(name, { Code: { ZipFile: bytes } });
    const wrong = sha256(zip('other'));
    await expectAwsError(
      sb.lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: wrong })),
      InvalidParameterValueException,
      'InvalidParameterValueException',
      400,
      `CodeSHA256 (${wrong}) is different from current CodeSHA256 in $LATEST (${sha256(bytes)}). Please try again with the CodeSHA256 in $LATEST.`,
    );
    await expectAwsError(
      sb.lambda.send(new PublishVersionCommand({ FunctionName: name, RevisionId: '00000000-0000-0000-0000-000000000000' })),
      PreconditionFailedException,
      'PreconditionFailedException',
      412,
      /The Revision Id provided does not match the latest Revision Id/,
    );
    await expectAwsError(
      sb.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 4, RevisionId: 'stale' })),
      PreconditionFailedException,
      'PreconditionFailedException',
      412,
    );
    const published = await sb.lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: sha256(bytes), RevisionId: created.RevisionId }));
    expect(published.Version).toBe('1');
  });

  it('UpdateFunctionCode with Publish: true publishes the new code as the next version', async () => {
    const name = uniqueName('update-publish');
    await createActive(name, { Publish: true });
    const bytes = zip();
    const published = await sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: bytes, Publish: true }));
    expect(published).toMatchObject({ Version: '2', FunctionArn: arnOf(name, '2'), CodeSha256: sha256(bytes), CodeSize: bytes.length, State: 'Pending' });
    await sb.advance(STATE_MS);
    const v2 = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '2' }));
    expect(v2).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
  });

  it('ListVersionsByFunction pages with MaxItems and NextMarker', async () => {
    const name = uniqueName('paged');
    await createActive(name, { Publish: true });
    for (let i = 2; i <= 5; i++) {
      await sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip(), Publish: true }));
      await sb.advance(STATE_MS);
    }
    const pages: string[][] = [];
    let marker: string | undefined;
    do {
      const page = await sb.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 2, Marker: marker }));
      pages.push((page.Versions ?? []).map((v) => v.Version!));
      marker = page.NextMarker;
    } while (marker);
    expect(pages).toEqual([['$LATEST', '1'], ['2', '3'], ['4', '5']]);

    const all: string[] = [];
    for await (const page of paginateListVersionsByFunction({ client: sb.lambda, pageSize: 2 }, { FunctionName: name })) {
      for (const v of page.Versions ?? []) all.push(v.FunctionArn!);
    }
    expect(all).toEqual([arnOf(name, '$LATEST'), ...['1', '2', '3', '4', '5'].map((n) => arnOf(name, n))]);
  });
});

describe('lambda: reading functions', () => {
  it('GetFunction: Code.Location serves the exact zip bytes; tags come along', async () => {
    const name = uniqueName('download');
    const bytes = new Uint8Array(zipOf(Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256))));
    await sb.lambda.send(new CreateFunctionCommand(createInput(name, { Code: { ZipFile: bytes }, Tags: { team: 'edge' } })));
    const got = await sb.lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(got.Configuration).toMatchObject({ FunctionName: name, FunctionArn: arnOf(name), CodeSha256: sha256(bytes) });
    expect(got.Code?.RepositoryType).toBe('S3');
    expect(got.Tags).toEqual({ team: 'edge' });
    const response = await fetch(got.Code!.Location!);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('answers 404 ResourceNotFoundException for unknown functions, versions and aliases', async () => {
    const name = uniqueName('missing');
    await expectAwsError(
      sb.lambda.send(new GetFunctionCommand({ FunctionName: name })),
      ResourceNotFoundException,
      'ResourceNotFoundException',
      404,
      `Function not found: ${arnOf(name)}`,
    );
    await createActive(name);
    for (const qualifier of ['7', 'live']) {
      await expectAwsError(
        sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: qualifier })),
        ResourceNotFoundException,
        'ResourceNotFoundException',
        404,
        `Function not found: ${arnOf(name, qualifier)}`,
      );
    }
    const latest = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${name}:$LATEST` }));
    expect(latest).toMatchObject({ Version: '$LATEST', FunctionArn: arnOf(name, '$LATEST') });
  });

  it('keeps functions per region', async () => {
    const west = new LambdaClient(sb.clientConfig('eu-west-1'));
    try {
      const name = uniqueName('regional');
      const created = await west.send(new CreateFunctionCommand(createInput(name)));
      expect(created.FunctionArn).toBe(arnOf(name, undefined, 'eu-west-1'));
      await expectAwsError(sb.lambda.send(new GetFunctionCommand({ FunctionName: name })), ResourceNotFoundException, 'ResourceNotFoundException', 404);
      await expectAwsError(
        sb.lambda.send(new GetFunctionCommand({ FunctionName: created.FunctionArn })),
        ResourceNotFoundException,
        'ResourceNotFoundException',
        404,
        "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
      );
      const listed = await west.send(new ListFunctionsCommand({}));
      expect(listed.Functions?.map((f) => f.FunctionName)).toEqual([name]);
    } finally {
      west.destroy();
    }
  });

  it('ListFunctions lists $LATEST (or every version with FunctionVersion=ALL) without state fields', async () => {
    const name = uniqueName('listed');
    await createActive(name, { Publish: true });
    const latestOnly = await sb.lambda.send(new ListFunctionsCommand({}));
    const mine = latestOnly.Functions?.filter((f) => f.FunctionName === name);
    expect(mine).toHaveLength(1);
    expect(mine?.[0]).toMatchObject({ FunctionArn: arnOf(name), Version: '$LATEST' });
    expect(mine?.[0]?.State).toBeUndefined();
    const all = await sb.lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL', MaxItems: 50 }));
    expect(all.Functions?.filter((f) => f.FunctionName === name).map((f) => f.FunctionArn)).toEqual([arnOf(name, '$LATEST'), arnOf(name, '1')]);
  });

  it('findFunctionVersion finds numbered versions only', async () => {
    const name = uniqueName('lookup');
    await createActive(name, { Publish: true });
    const found = findFunctionVersion(sb.world, arnOf(name, '1'));
    expect(found?.fn.name).toBe(name);
    expect(found?.version.version).toBe('1');
    for (const arn of [arnOf(name), arnOf(name, '$LATEST'), arnOf(name, 'live'), arnOf(name, '2'), arnOf('nope', '1'), `arn:aws:lambda:us-east-1:999999999999:function:${name}:1`]) {
      expect(findFunctionVersion(sb.world, arn)).toBeUndefined();
    }
  });
});

describe('lambda: deleting and Lambda@Edge replicas', () => {
  it('refuses to delete a replicated version or its function until the replicas are gone', async () => {
    const name = uniqueName('replicated');
    await createActive(name, { Publish: true });
    const v1 = arnOf(name, '1');
    syncReplicas(sb.world, new Set([v1]));
    const message = `Lambda was unable to delete ${v1} because it is a replicated function. Please see our documentation for Deleting Lambda@Edge Functions and Replicas.`;
    await expectAwsError(sb.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' })), InvalidParameterValueException, 'InvalidParameterValueException', 400, message);
    await expectAwsError(sb.lambda.send(new DeleteFunctionCommand({ FunctionName: name })), InvalidParameterValueException, 'InvalidParameterValueException', 400, message);

    syncReplicas(sb.world, new Set()); // the last association is removed; replicas linger
    await expectAwsError(sb.lambda.send(new DeleteFunctionCommand({ FunctionName: v1 })), InvalidParameterValueException, 'InvalidParameterValueException', 400, message);
    await sb.advance(REPLICA_MS);
    const deleted = await sb.lambda.send(new DeleteFunctionCommand({ FunctionName: v1 }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectAwsError(sb.lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '1' })), ResourceNotFoundException, 'ResourceNotFoundException', 404);
    await sb.lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    await expectAwsError(sb.lambda.send(new GetFunctionCommand({ FunctionName: name })), ResourceNotFoundException, 'ResourceNotFoundException', 404);
    expect(sb.world.data.lambda.replicas[v1]).toBeUndefined();
  });

  it('refuses to delete $LATEST alone, and 404s an unknown function', async () => {
    const name = uniqueName('delete-latest');
    await createActive(name);
    await expectAwsError(
      sb.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '$LATEST' })),
      InvalidParameterValueException,
      'InvalidParameterValueException',
      400,
      '$LATEST version cannot be deleted without deleting the function.',
    );
    await expectAwsError(
      sb.lambda.send(new DeleteFunctionCommand({ FunctionName: 'no-such-function' })),
      ResourceNotFoundException,
      'ResourceNotFoundException',
      404,
      `Function not found: ${arnOf('no-such-function')}`,
    );
  });

  it('ListFunctions with MasterRegion lists the replicas of us-east-1 versions', async () => {
    const name = uniqueName('edge');
    await createActive(name, { Publish: true });
    const v1 = arnOf(name, '1');
    syncReplicas(sb.world, new Set([v1]));
    const west = new LambdaClient(sb.clientConfig('eu-west-1'));
    try {
      await expectAwsError(
        west.send(new ListFunctionsCommand({ MasterRegion: 'us-east-1' })),
        InvalidParameterValueException,
        'InvalidParameterValueException',
        400,
        /The combination MasterArn=us-east-1 and FunctionVersion=NULL is not supported/,
      );
      const replicas = await west.send(new ListFunctionsCommand({ MasterRegion: 'us-east-1', FunctionVersion: 'ALL' }));
      expect(replicas.Functions).toEqual([
        expect.objectContaining({
          FunctionName: `us-east-1.${name}`,
          FunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:us-east-1.${name}:1`,
          MasterArn: v1,
          Version: '1',
        }),
      ]);
      expect((await west.send(new ListFunctionsCommand({ MasterRegion: 'ALL', FunctionVersion: 'ALL' }))).Functions).toHaveLength(1);
      expect((await west.send(new ListFunctionsCommand({ MasterRegion: 'us-west-2', FunctionVersion: 'ALL' }))).Functions).toEqual([]);

      syncReplicas(sb.world, new Set());
      await sb.advance(REPLICA_MS);
      expect((await west.send(new ListFunctionsCommand({ MasterRegion: 'us-east-1', FunctionVersion: 'ALL' }))).Functions).toEqual([]);
    } finally {
      west.destroy();
    }
  });
});

describe('lambda: tags', () => {
  it('round-trips TagResource, ListTags and UntagResource on the function ARN', async () => {
    const name = uniqueName('tags');
    await sb.lambda.send(new CreateFunctionCommand(createInput(name, { Tags: { a: '1' } })));
    const arn = arnOf(name);
    await sb.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { b: '2', c: '3' } }));
    expect((await sb.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ a: '1', b: '2', c: '3' });
    await sb.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['a', 'c'] }));
    expect((await sb.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ b: '2' });
    await expectAwsError(
      sb.lambda.send(new TagResourceCommand({ Resource: arnOf(name, '1'), Tags: { x: 'y' } })),
      InvalidParameterValueException,
      'InvalidParameterValueException',
      400,
      /Tags on function aliases and versions are not supported/,
    );
    await expectAwsError(sb.lambda.send(new ListTagsCommand({ Resource: arnOf('nope') })), ResourceNotFoundException, 'ResourceNotFoundException', 404);
  });
});

describe('lambda: wire protocol', () => {
  it('answers a malformed JSON body with 400 InvalidRequestContentException', async () => {
    const response = await fetch(`${sb.endpoint}/2015-03-31/functions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"FunctionName": ',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    const body = (await response.json()) as { Type: string; message: string };
    expect(body.Type).toBe('User');
    expect(body.message).toMatch(/^Could not parse request body into json: /);
  });

  it('answers an unknown path with 404 and a wrong method with 405', async () => {
    const unknown = await fetch(`${sb.endpoint}/2015-03-31/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const wrongMethod = await fetch(`${sb.endpoint}/2015-03-31/functions/some-function/code`, { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('refuses a CreateFunction request over 69,905,067 bytes with 413 RequestEntityTooLargeException', async () => {
    const size = 69_905_067 + 1_024;
    const payload = Buffer.alloc(size, 0x41);
    payload.write('{"FunctionName":"too-big","ZipFile":"', 0);
    payload.write('"}', size - 2);
    const response = await fetch(`${sb.endpoint}/2015-03-31/functions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLargeException');
    expect(((await response.json()) as { message: string }).message).toBe(
      'Request must be smaller than 69905067 bytes for the CreateFunction operation',
    );
  });
});

describe('what Lambda checks of a deployment package and its settings', () => {
  it('bytes that are not a zip, an empty zip, and more than 262,144,000 bytes unzipped are refused with Lambda\'s words', async () => {
    const notZip = await failure(sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('pkg'), { Code: { ZipFile: new Uint8Array(Buffer.from('not a zip at all, but long enough')) } }))));
    expect([notZip.name, notZip.message]).toEqual(['InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.']);
    // An archive of no entries: just the end-of-central-directory record.
    const empty = Buffer.alloc(22);
    empty.writeUInt32LE(0x06054b50, 0);
    const none = await failure(sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('pkg'), { Code: { ZipFile: new Uint8Array(empty) } }))));
    expect(none.message).toBe('Uploaded file must be a non-empty zip');
    // A small zip that claims a huge file (sizes are read from the central directory).
    const huge = zipOf('x');
    huge.writeUInt32LE(262_144_000, huge.length - 22 - 46 - 8 + 24);
    const big = await failure(sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('pkg'), { Code: { ZipFile: new Uint8Array(huge) } }))));
    expect(big.message).toBe('Unzipped size must be smaller than 262144000 bytes');
    const update = await failure(sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: (await createActive(uniqueName('pkg'))).FunctionName, ZipFile: new Uint8Array(Buffer.from('nope')) })));
    expect(update.message).toBe('Could not unzip uploaded file. Please check your file, then try to upload again.');
  });

  it('SnapStart on a Node.js runtime is refused; on Python 3.12+ it is kept', async () => {
    const node = await failure(sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('snap'), { Runtime: 'nodejs22.x', SnapStart: { ApplyOn: 'PublishedVersions' } }))));
    expect([node.name, node.message]).toEqual(['InvalidParameterValueException', 'nodejs22.x is not supported for SnapStart enabled functions.']);
    const python = await sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('snap'), { Runtime: 'python3.13', SnapStart: { ApplyOn: 'PublishedVersions' } })));
    expect(python.SnapStart).toEqual({ ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' });
  });

  it('KMSKeyArn and LoggingConfig are kept; members the sandbox does not emulate are refused, not dropped', async () => {
    const name = uniqueName('kept');
    const created = await sb.lambda.send(
      new CreateFunctionCommand(createInput(name, { KMSKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } })),
    );
    expect(created.KMSKeyArn).toBe('arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(created.LoggingConfig).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO', LogGroup: `/aws/lambda/${name}` });
    await sb.advance(STATE_MS);
    const cleared = await sb.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, KMSKeyArn: '', LoggingConfig: { LogFormat: 'Text' } }));
    expect(cleared.KMSKeyArn).toBeUndefined();
    expect(cleared.LoggingConfig).toEqual({ LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` });
    const efs = await failure(
      sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('efs'), { FileSystemConfigs: [{ Arn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-1', LocalMountPath: '/mnt/x' }] }))),
    );
    expect([efs.name, efs.message]).toEqual(['InvalidParameterValueException', 'The sandbox does not emulate FileSystemConfigs for CreateFunction; leave it out, or use an AWS account.']);
    const signing = await failure(sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('sign'), { CodeSigningConfigArn: 'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-1' }))));
    expect(signing.message).toContain('does not emulate CodeSigningConfigArn');
  });

  it('ResourceNotFoundException carries `Message`, as the Lambda model names it', async () => {
    const response = await fetch(`${sb.endpoint}/2015-03-31/functions/no-such-function`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0' },
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as Record<string, string>;
    expect(body.Message).toMatch(/Function not found/);
    expect(body.message).toBeUndefined();
  });
});

describe('runtimes on the deprecation schedule (sandbox clock)', () => {
  // Last in the file: it moves the shared sandbox clock into 2027.
  it('a runtime past its create block is refused for new functions, then for updates a month later, as Lambda words it', async () => {
    const name = uniqueName('sched');
    await createActive(name, { Runtime: 'nodejs20.x' });
    await sb.advance(Math.max(0, Date.parse('2027-02-02T00:00:00Z') - sb.world.now()));
    const created = await failure(sb.lambda.send(new CreateFunctionCommand(createInput(uniqueName('sched'), { Runtime: 'nodejs20.x' }))));
    expect(created.name).toBe('InvalidParameterValueException');
    expect(created.message).toBe(
      'The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (nodejs24.x) while creating or updating functions.',
    );
    // An existing function can still be updated until 2027-03-03.
    await sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip() }));
    await sb.advance(STATE_MS + 40 * 86_400_000);
    const updated = await failure(sb.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip() })));
    expect(updated.name).toBe('InvalidParameterValueException');
    // Settings too, unless the update moves the function off the blocked runtime.
    expect((await failure(sb.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 4 })))).name).toBe('InvalidParameterValueException');
    expect((await sb.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Runtime: 'nodejs24.x' }))).Runtime).toBe('nodejs24.x');
    await createActive(uniqueName('sched'), { Runtime: 'nodejs24.x' });
  });
});
