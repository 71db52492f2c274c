import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteConflictException,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  InvalidInputException,
  LimitExceededException,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
/** The SDK classifies LimitExceededException as throttling and retries it; tests need one attempt. */
let once: IAMClient;
beforeAll(async () => {
  sb = await startTestSandbox({ seed: 'empty' });
  once = new IAMClient({ ...sb.clientConfig(), maxAttempts: 1 });
});
afterAll(async () => {
  once.destroy();
  await sb.close();
});

const EDGE_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    },
  ],
});

const READ_SECRET = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
});

const BASIC_EXECUTION = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}-${++counter}`;

async function createRole(name = uniqueName('role'), document = EDGE_TRUST) {
  const { Role } = await sb.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: document }));
  return Role!;
}

/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<Error & { name: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (error) {
    return error as Error & { name: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}

describe('roles', () => {
  it('CreateRole then GetRole return the role as IAM does (trust document URL-encoded)', async () => {
    const name = uniqueName('edge');
    const created = await sb.iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: EDGE_TRUST,
        Description: 'edge-install execution role',
        Tags: [{ Key: 'edge-install:integration', Value: 'fp' }],
      }),
    );
    expect(created.Role).toMatchObject({
      RoleName: name,
      Path: '/',
      Arn: `arn:aws:iam::123456789012:role/${name}`,
      MaxSessionDuration: 3600,
      Description: 'edge-install execution role',
      Tags: [{ Key: 'edge-install:integration', Value: 'fp' }],
    });
    expect(created.Role!.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(created.Role!.CreateDate).toBeInstanceOf(Date);

    const { Role } = await sb.iam.send(new GetRoleCommand({ RoleName: name }));
    expect(Role!.RoleId).toBe(created.Role!.RoleId);
    expect(Role!.AssumeRolePolicyDocument).toBe(encodeURIComponent(EDGE_TRUST));
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toBe(EDGE_TRUST);
  });

  it('a Path goes into the ARN', async () => {
    const name = uniqueName('pathed');
    const { Role } = await sb.iam.send(new CreateRoleCommand({ RoleName: name, Path: '/edge/', AssumeRolePolicyDocument: EDGE_TRUST }));
    expect(Role!.Path).toBe('/edge/');
    expect(Role!.Arn).toBe(`arn:aws:iam::123456789012:role/edge/${name}`);
  });

  it('CreateRole and UpdateAssumeRolePolicy set propagatedAt (IAM eventual consistency)', async () => {
    const before = sb.world.now();
    const role = await createRole();
    const record = sb.world.data.iam.roles.find((r) => r.name === role.RoleName)!;
    expect(record.propagatedAt).toBeGreaterThanOrEqual(before + sb.world.delays.iamPropagationMs);
    expect(record.propagatedAt - record.created).toBe(sb.world.delays.iamPropagationMs);

    await sb.advance(60_000);
    const lambdaOnly = EDGE_TRUST.replace(', "edgelambda.amazonaws.com"', '').replace(',"edgelambda.amazonaws.com"', '');
    await sb.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role.RoleName, PolicyDocument: lambdaOnly }));
    const updated = sb.world.data.iam.roles.find((r) => r.name === role.RoleName)!;
    expect(updated.propagatedAt).toBeGreaterThanOrEqual(sb.world.now() - 1000 + sb.world.delays.iamPropagationMs);
    expect(updated.propagatedAt).toBeGreaterThan(record.created + 60_000);
    const { Role } = await sb.iam.send(new GetRoleCommand({ RoleName: role.RoleName }));
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toBe(lambdaOnly);
  });

  it('a second role with the same name (in any case) → 409 EntityAlreadyExists', async () => {
    const role = await createRole(uniqueName('Dup'));
    for (const name of [role.RoleName!, role.RoleName!.toLowerCase()]) {
      const error = await failure(createRole(name));
      expect(error).toBeInstanceOf(EntityAlreadyExistsException);
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(error.message).toBe(`Role with name ${name} already exists.`);
    }
  });

  it('an unknown role → 404 NoSuchEntity', async () => {
    const error = await failure(sb.iam.send(new GetRoleCommand({ RoleName: 'nobody' })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe('The role with name nobody cannot be found.');
  });

  it.each([
    ['has a space', 'bad name'],
    ['is over 64 characters', 'r'.repeat(65)],
    ['has a slash', 'a/b'],
  ])('a role name that %s → 400 ValidationError', async (_why, name) => {
    const error = await failure(createRole(name));
    expect(error.name).toBe('ValidationError');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/^1 validation error detected: Value '.*' at 'roleName' failed to satisfy constraint/);
  });

  it('MaxSessionDuration outside 3600–43200 and a path not wrapped in / → 400 ValidationError', async () => {
    for (const input of [{ MaxSessionDuration: 600 }, { MaxSessionDuration: 50_000 }, { Path: 'edge' }]) {
      const error = await failure(
        sb.iam.send(new CreateRoleCommand({ RoleName: uniqueName('v'), AssumeRolePolicyDocument: EDGE_TRUST, ...input })),
      );
      expect(error.name).toBe('ValidationError');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('DeleteRole removes the role', async () => {
    const role = await createRole();
    await sb.iam.send(new DeleteRoleCommand({ RoleName: role.RoleName }));
    const error = await failure(sb.iam.send(new GetRoleCommand({ RoleName: role.RoleName })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
  });

  it('DeleteRole with policies still on the role → 409 DeleteConflict', async () => {
    const role = await createRole();
    await sb.iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'inline', PolicyDocument: READ_SECRET }));
    await sb.iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: BASIC_EXECUTION }));

    const attached = await failure(sb.iam.send(new DeleteRoleCommand({ RoleName: role.RoleName })));
    expect(attached).toBeInstanceOf(DeleteConflictException);
    expect(attached.$metadata.httpStatusCode).toBe(409);
    expect(attached.message).toBe('Cannot delete entity, must detach all policies first.');

    await sb.iam.send(new DetachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: BASIC_EXECUTION }));
    const inline = await failure(sb.iam.send(new DeleteRoleCommand({ RoleName: role.RoleName })));
    expect(inline).toBeInstanceOf(DeleteConflictException);
    expect(inline.$metadata.httpStatusCode).toBe(409);
    expect(inline.message).toBe('Cannot delete entity, must delete policies first.');

    await sb.iam.send(new DeleteRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'inline' }));
    await sb.iam.send(new DeleteRoleCommand({ RoleName: role.RoleName }));
  });
});

describe('role tags', () => {
  it('TagRole adds and overwrites (keys in any case), UntagRole removes; GetRole shows them', async () => {
    const role = await createRole();
    await sb.iam.send(new TagRoleCommand({ RoleName: role.RoleName, Tags: [{ Key: 'team', Value: 'edge' }, { Key: 'env', Value: 'prod' }] }));
    await sb.iam.send(new TagRoleCommand({ RoleName: role.RoleName, Tags: [{ Key: 'TEAM', Value: 'cdn' }] }));
    const tags = (await sb.iam.send(new GetRoleCommand({ RoleName: role.RoleName }))).Role!.Tags;
    expect(Object.fromEntries(tags!.map((t) => [t.Key, t.Value]))).toEqual({ env: 'prod', TEAM: 'cdn' });
    await sb.iam.send(new UntagRoleCommand({ RoleName: role.RoleName, TagKeys: ['team', 'absent'] }));
    expect((await sb.iam.send(new GetRoleCommand({ RoleName: role.RoleName }))).Role!.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
  });

  it('more than 50 tags → 409 LimitExceeded; an unknown role → 404 NoSuchEntity', async () => {
    const role = await createRole();
    await sb.iam.send(new TagRoleCommand({ RoleName: role.RoleName, Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }));
    const over = await failure(sb.iam.send(new TagRoleCommand({ RoleName: role.RoleName, Tags: [{ Key: 'one-more', Value: 'v' }] })));
    expect(over).toBeInstanceOf(LimitExceededException);
    const missing = await failure(sb.iam.send(new TagRoleCommand({ RoleName: 'no-such-role', Tags: [{ Key: 'a', Value: 'b' }] })));
    expect(missing).toBeInstanceOf(NoSuchEntityException);
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });
});

describe('policy documents', () => {
  it('a trust policy that is not JSON → 400 MalformedPolicyDocument "This policy contains invalid Json"', async () => {
    const error = await failure(createRole(uniqueName('m'), '{"Version": "2012-10-17", '));
    expect(error).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe('This policy contains invalid Json');
  });

  it('a policy without Statement → 400 MalformedPolicyDocument "Syntax errors in policy."', async () => {
    const error = await failure(createRole(uniqueName('m'), '{"Version":"2012-10-17"}'));
    expect(error).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe('Syntax errors in policy.');
  });

  const statement = (s: Record<string, unknown>, version = '2012-10-17') => JSON.stringify({ Version: version, Statement: [s] });
  const principal = { Service: 'lambda.amazonaws.com' };
  it.each([
    ['an unknown Version', statement({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }, '2012-10-18'), 'The policy failed legacy parsing'],
    ['no Effect', statement({ Principal: principal, Action: 'sts:AssumeRole' }), 'Missing required field Effect'],
    ['no Action', statement({ Effect: 'Allow', Principal: principal }), 'Policy statement must contain actions.'],
    ['no Principal', statement({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'Missing required field Principal'],
    ['a Resource', statement({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', Resource: '*' }), 'Has prohibited field Resource'],
  ])('a trust policy with %s → MalformedPolicyDocument', async (_why, document, message) => {
    const error = await failure(createRole(uniqueName('m'), document));
    expect(error).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(error.message).toBe(message);
  });

  it.each([
    ['a Principal', statement({ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: '*' }), 'Policy document should not specify a principal.'],
    ['no Resource', statement({ Effect: 'Allow', Action: 's3:GetObject' }), 'Policy statement must contain resources.'],
    ['invalid JSON', 'not json', 'This policy contains invalid Json'],
  ])('an inline policy with %s → MalformedPolicyDocument', async (_why, document, message) => {
    const role = await createRole();
    const error = await failure(sb.iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'p', PolicyDocument: document })));
    expect(error).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(message);
  });

  it('UpdateAssumeRolePolicy checks the document too', async () => {
    const role = await createRole();
    const error = await failure(sb.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role.RoleName, PolicyDocument: '{' })));
    expect(error).toBeInstanceOf(MalformedPolicyDocumentException);
  });

  it('a trust policy over 2,048 characters (white space not counted) → 409 LimitExceeded', async () => {
    const padded = EDGE_TRUST.replace(/,/g, `,${' '.repeat(1000)}\n`); // lots of white space, still small
    expect(padded.length).toBeGreaterThan(2048);
    await createRole(uniqueName('padded'), padded);

    const services = Array.from({ length: 100 }, (_, i) => `service${i}.amazonaws.com`);
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: services }, Action: 'sts:AssumeRole' }] });
    const error = await failure(once.send(new CreateRoleCommand({ RoleName: uniqueName('big'), AssumeRolePolicyDocument: big })));
    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(error.message).toBe('Cannot exceed quota for ACLSizePerRole: 2048');
  });
});

describe('inline policies', () => {
  it('PutRolePolicy, GetRolePolicy (URL-encoded), ListRolePolicies, DeleteRolePolicy', async () => {
    const role = await createRole();
    await sb.iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'read-secret', PolicyDocument: READ_SECRET }));
    await sb.iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'logs', PolicyDocument: READ_SECRET }));

    const got = await sb.iam.send(new GetRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'read-secret' }));
    expect(got).toMatchObject({ RoleName: role.RoleName, PolicyName: 'read-secret' });
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(READ_SECRET);

    const listed = await sb.iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName }));
    expect(listed.PolicyNames).toEqual(['logs', 'read-secret']);
    expect(listed.IsTruncated).toBe(false);

    await sb.iam.send(new DeleteRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'logs' }));
    expect((await sb.iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName }))).PolicyNames).toEqual(['read-secret']);
  });

  it('ListRolePolicies pages with MaxItems and Marker; an empty list is []', async () => {
    const role = await createRole();
    expect((await sb.iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName }))).PolicyNames).toEqual([]);
    for (const name of ['a', 'b', 'c']) {
      await sb.iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: name, PolicyDocument: READ_SECRET }));
    }
    const first = await sb.iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName, MaxItems: 2 }));
    expect(first).toMatchObject({ PolicyNames: ['a', 'b'], IsTruncated: true });
    const second = await sb.iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName, MaxItems: 2, Marker: first.Marker }));
    expect(second).toMatchObject({ PolicyNames: ['c'], IsTruncated: false });
  });

  it('an unknown inline policy → 404 NoSuchEntity', async () => {
    const role = await createRole();
    for (const command of [
      new GetRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'missing' }),
      new DeleteRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'missing' }),
    ]) {
      const error = await failure(sb.iam.send(command as GetRolePolicyCommand));
      expect(error).toBeInstanceOf(NoSuchEntityException);
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.message).toBe('The role policy with name missing cannot be found.');
    }
  });

  it("inline policies over 10,240 characters in all → 409 LimitExceeded", async () => {
    const role = await createRole();
    const resources = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(4, '0')}/*`);
    const document = (n: number) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resources(n) }] });
    expect(document(400).length).toBeGreaterThan(10_240);
    const error = await failure(once.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'big', PolicyDocument: document(400) })));
    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(error.message).toBe(`Maximum policy size of 10240 bytes exceeded for role ${role.RoleName}`);

    // Two policies that fit alone but not together.
    await sb.iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'half', PolicyDocument: document(200) }));
    const together = await failure(once.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'other', PolicyDocument: document(200) })));
    expect(together).toBeInstanceOf(LimitExceededException);
    // Replacing the same policy counts only the new version.
    await sb.iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName, PolicyName: 'half', PolicyDocument: document(300) }));
  });
});

describe('managed policies', () => {
  it('AttachRolePolicy, ListAttachedRolePolicies, DetachRolePolicy', async () => {
    const role = await createRole();
    const own = 'arn:aws:iam::123456789012:policy/edge/own-policy';
    await sb.iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: BASIC_EXECUTION }));
    await sb.iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: BASIC_EXECUTION })); // no-op
    await sb.iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: own }));

    const listed = await sb.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }));
    expect(listed.AttachedPolicies).toEqual([
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: BASIC_EXECUTION },
      { PolicyName: 'own-policy', PolicyArn: own },
    ]);
    expect(listed.IsTruncated).toBe(false);

    await sb.iam.send(new DetachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: BASIC_EXECUTION }));
    const after = await sb.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }));
    expect(after.AttachedPolicies).toEqual([{ PolicyName: 'own-policy', PolicyArn: own }]);
  });

  it('a policy ARN that is neither AWS managed nor the account’s → 404 NoSuchEntity', async () => {
    const role = await createRole();
    const arn = 'arn:aws:iam::999999999999:policy/theirs';
    const error = await failure(sb.iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: arn })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe(`Policy ${arn} does not exist or is not attachable.`);

    const notArn = await failure(sb.iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: 'AWSLambdaBasicExecutionRole' })));
    expect(notArn).toBeInstanceOf(InvalidInputException);
    expect(notArn.$metadata.httpStatusCode).toBe(400);
  });

  it('detaching a policy that is not attached → 404 NoSuchEntity', async () => {
    const role = await createRole();
    const error = await failure(sb.iam.send(new DetachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: BASIC_EXECUTION })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error.message).toBe(`Policy ${BASIC_EXECUTION} was not found.`);
  });

  it('more than 10 managed policies on a role → 409 LimitExceeded', async () => {
    const role = await createRole();
    for (let i = 0; i < 10; i++) {
      await sb.iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: `arn:aws:iam::aws:policy/P${i}` }));
    }
    const error = await failure(once.send(new AttachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: 'arn:aws:iam::aws:policy/P10' })));
    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error.$metadata.httpStatusCode).toBe(409);
  });
});

describe('query protocol', () => {
  const form = (body: string) =>
    fetch(sb.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x',
      },
      body,
    });

  it('an unknown Action → 400 InvalidAction in an XML ErrorResponse', async () => {
    const response = await form('Action=MakeCoffee&Version=2010-05-08');
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
    expect(body).toContain('<Type>Sender</Type>');
    expect(body).toContain('<Code>InvalidAction</Code>');
    expect(body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });

  it('an unsigned form POST is IAM, and a missing required parameter → 400 ValidationError', async () => {
    const response = await fetch(sb.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetRole&Version=2010-05-08',
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('<Code>ValidationError</Code>');
    expect(body).toContain('Value null at &apos;roleName&apos;');
  });

  it('a successful reply is <ActionResponse><ActionResult> with the request id', async () => {
    const role = await createRole();
    const response = await form(`Action=GetRole&Version=2010-05-08&RoleName=${role.RoleName}`);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<GetRoleResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><GetRoleResult><Role>/);
    expect(body).toContain(`<AssumeRolePolicyDocument>${encodeURIComponent(EDGE_TRUST)}</AssumeRolePolicyDocument>`);
    expect(body).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetRoleResponse>$/);
  });
});
