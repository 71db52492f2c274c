/**
 * `edge-install sandbox --from-distribution E…`: a rehearsal on a copy of a real distribution.
 *
 * Two sandboxes: a source one plays "the real account" (account 111122223333, the demo site
 * with a Lambda@Edge function attached, a custom cache policy, a custom origin request
 * policy, a CloudFront Function and a config member the AWS SDK does not know), and the CLI
 * runs in this process with --endpoint-url pointing at it, starting the copy.
 */
import { CreateCachePolicyCommand, GetDistributionCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, ListTagsCommand, ListVersionsByFunctionCommand, PublishVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { seedData } from '../../src/sandbox/seeds/index.js';
import type { CloudFrontFunctionStageRecord, SandboxData } from '../../src/sandbox/world.js';
import { parseXml } from '../../src/sandbox/xml.js';
import { startLongCli } from '../helpers/long-cli.js';
import { stubNoCredentials } from '../helpers/no-credentials.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { zipOf } from '../helpers/zip.js';

const ACCOUNT = '111122223333';
const ID = 'E1DEMO0EXAMPLE';
const ORP_ID = '0d5b1ef4-5a6c-4f31-9d7e-6c1b2a3f4e5d';
const CF_FUNCTION_CODE = "function handler(event) {\n  var r = event.request;\n  if (r.uri.endsWith('/')) r.uri += 'index.html';\n  return r;\n}\n";
/** What the copy may ask the source: reads only. */
const READS = /^(Get|List|Describe)/;

/** The source account: the demo site in account 111122223333, with a custom origin request policy and a CloudFront Function. */
function sourceData(): SandboxData {
  const data = seedData('demo');
  data.accountId = ACCOUNT;
  for (const d of data.cloudfront.distributions) d.arn = d.arn.replace('123456789012', ACCOUNT);
  data.cloudfront.originRequestPolicies.push({
    id: ORP_ID,
    type: 'custom',
    etag: 'E1ORPEXAMPLE00',
    lastModified: Date.parse('2025-03-01T00:00:00Z'),
    config: parseXml(
      '<OriginRequestPolicyConfig><Comment>site headers</Comment><Name>site-origin-headers</Name>' +
        '<HeadersConfig><HeaderBehavior>whitelist</HeaderBehavior><Headers><Quantity>1</Quantity><Items><Name>x-site</Name></Items></Headers></HeadersConfig>' +
        '<CookiesConfig><CookieBehavior>none</CookieBehavior></CookiesConfig><QueryStringsConfig><QueryStringBehavior>all</QueryStringBehavior></QueryStringsConfig></OriginRequestPolicyConfig>',
    ),
  });
  const stage = (): CloudFrontFunctionStageRecord => ({
    runtime: 'cloudfront-js-2.0',
    comment: 'index.html for directories',
    code: Buffer.from(CF_FUNCTION_CODE).toString('base64'),
    keyValueStoreArns: [],
    etag: 'E1CFFEXAMPLE00',
    lastModified: Date.parse('2025-03-01T00:00:00Z'),
  });
  const arn = 'arn:aws:cloudfront::123456789012:function/static-index-rewrite';
  data.cloudfront.functions = [{ name: 'static-index-rewrite', arn, created: Date.parse('2025-03-01T00:00:00Z'), development: stage(), live: stage() }];
  return data;
}

interface Ready {
  endpoint: string;
  distributionIds: string[];
}

const startCli = (args: string[], env: Record<string, string | undefined> = {}) => {
  const run = startLongCli(args, { env });
  return { ...run, ready: run.ready as Promise<Ready> };
};

const raw = async (endpoint: string, path: string, init: RequestInit = {}) => {
  const response = await fetch(`${endpoint}${path}`, init);
  return { status: response.status, etag: response.headers.get('etag'), body: await response.text() };
};

/** The one file of a stored zip (what the stubs are). */
function unzipOne(zip: Buffer): { name: string; content: string } {
  const nameLength = zip.readUInt16LE(26);
  const size = zip.readUInt32LE(22);
  return { name: zip.subarray(30, 30 + nameLength).toString(), content: zip.subarray(30 + nameLength, 30 + nameLength + size).toString() };
}

let src: TestSandbox;
let cachePolicyId: string;
let versionArn: string;
let roleArn: string;

beforeAll(async () => {
  src = await startTestSandbox({ ...INSTANT, initialData: sourceData() });
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
  });
  roleArn = (await src.iam.send(new CreateRoleCommand({ RoleName: 'site-edge', Path: '/service-role/', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  await src.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'site-headers',
      Role: roleArn,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 10,
      Code: { ZipFile: zipOf('exports.handler = async (e) => e.Records[0].cf.request;') },
      Publish: true,
      Tags: { 'edge-install:integration': 'site' },
    }),
  );
  // Version 2 is the one attached: the copy must keep the number, not start at 1.
  await src.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'site-headers', ZipFile: zipOf('exports.handler = async (e) => { return e.Records[0].cf.request; };') }));
  versionArn = (await src.lambda.send(new PublishVersionCommand({ FunctionName: 'site-headers' }))).FunctionArn!;
  expect(versionArn).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:site-headers:2`);
  cachePolicyId = (
    await src.cloudfront.send(
      new CreateCachePolicyCommand({
        CachePolicyConfig: {
          Name: 'site-static',
          Comment: 'static assets',
          MinTTL: 1,
          DefaultTTL: 86400,
          MaxTTL: 31536000,
          ParametersInCacheKeyAndForwardedToOrigin: {
            EnableAcceptEncodingGzip: true,
            EnableAcceptEncodingBrotli: true,
            HeadersConfig: { HeaderBehavior: 'none' },
            CookiesConfig: { CookieBehavior: 'none' },
            QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: { Quantity: 1, Items: ['v'] } },
          },
        },
      }),
    )
  ).CachePolicy!.Id!;
  // The distribution, edited as XML (so a member the AWS SDK does not know is in it too): the
  // function on the default behavior's origin-request, the custom policies on /static/*.
  const current = await raw(src.endpoint, `/2020-05-31/distribution/${ID}/config`);
  const association = `<LambdaFunctionAssociations><Quantity>1</Quantity><Items><LambdaFunctionAssociation><LambdaFunctionARN>${versionArn}</LambdaFunctionARN><EventType>origin-request</EventType><IncludeBody>false</IncludeBody></LambdaFunctionAssociation></Items></LambdaFunctionAssociations>`;
  const staticStart = current.body.indexOf('<PathPattern>/static/*</PathPattern>');
  const staticPart = current.body
    .slice(staticStart)
    .replace('<CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId>', `<CachePolicyId>${cachePolicyId}</CachePolicyId><OriginRequestPolicyId>${ORP_ID}</OriginRequestPolicyId>`);
  const edited = (current.body.slice(0, staticStart).replace(/<LambdaFunctionAssociations>.*?<\/LambdaFunctionAssociations>/, association) + staticPart).replace(
    '</DistributionConfig>',
    '<FutureMember><Setting>kept as it came</Setting></FutureMember></DistributionConfig>',
  );
  const updated = await raw(src.endpoint, `/2020-05-31/distribution/${ID}/config`, { method: 'PUT', headers: { 'if-match': current.etag!, 'content-type': 'text/xml' }, body: edited });
  expect(updated.status, updated.body).toBe(200);
  expect((await raw(src.endpoint, `/2020-05-31/distribution/${ID}/config`)).body).toContain('<FutureMember>');
});

afterAll(() => src.close());

beforeEach(async () => {
  await src.admin('DELETE', 'calls');
  await src.admin('DELETE', 'faults');
});

describe('sandbox --from-distribution: a rehearsal on an exact copy', () => {
  it('copies the distribution, its policies and its functions exactly, stubs the edge functions, and writes nothing to the source', async () => {
    const run = startCli(['--endpoint-url', src.endpoint, 'sandbox', '--port', '0', '--deploy-delay', '0', '--from-distribution', ID]);
    const ready = await run.ready;
    const copy = ready.endpoint;
    const client = { region: 'us-east-1', endpoint: copy, credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' }, maxAttempts: 1 };
    const cloudfront = new CloudFrontClient(client);
    const lambda = new LambdaClient(client);
    const sts = new STSClient(client);
    try {
      expect(ready.distributionIds).toEqual([ID]);
      expect(run.output().stdout.trim().split('\n')).toHaveLength(1);

      // The config, byte for byte as the source answers it (the ETag aside), the unknown member included.
      const [source, copied] = await Promise.all([raw(src.endpoint, `/2020-05-31/distribution/${ID}/config`), raw(copy, `/2020-05-31/distribution/${ID}/config`)]);
      expect(copied.status).toBe(200);
      expect(copied.body).toBe(source.body);
      expect(copied.body).toContain('<FutureMember><Setting>kept as it came</Setting></FutureMember>');

      // Same id, domain name, ARN and tags.
      const [a, b] = await Promise.all([src.cloudfront.send(new GetDistributionCommand({ Id: ID })), cloudfront.send(new GetDistributionCommand({ Id: ID }))]);
      expect(b.Distribution!.ARN).toBe(`arn:aws:cloudfront::${ACCOUNT}:distribution/${ID}`);
      expect(b.Distribution!.ARN).toBe(a.Distribution!.ARN);
      expect(b.Distribution!.DomainName).toBe(a.Distribution!.DomainName);
      const tags = (c: CloudFrontClient) => c.send(new ListTagsForResourceCommand({ Resource: a.Distribution!.ARN })).then((t) => t.Tags);
      expect(await tags(cloudfront)).toEqual(await tags(src.cloudfront));

      // The custom policies, under their ids, exactly.
      for (const path of [`/2020-05-31/cache-policy/${cachePolicyId}/config`, `/2020-05-31/origin-request-policy/${ORP_ID}/config`]) {
        const [p, q] = await Promise.all([raw(src.endpoint, path), raw(copy, path)]);
        expect(q.status, path).toBe(200);
        expect(q.body).toBe(p.body);
      }

      // The account is the source's.
      expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(ACCOUNT);

      // The Lambda@Edge function: a stub under the same name and version, configured as the real one.
      const stub = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: versionArn }));
      expect(stub.Version).toBe('2');
      expect(stub.FunctionArn).toBe(versionArn);
      expect(stub.Description).toBe(`edge-install rehearsal stub of ${versionArn}: passes requests through`);
      expect([stub.Runtime, stub.MemorySize, stub.Timeout, stub.Role]).toEqual(['nodejs22.x', 256, 10, roleArn]);
      const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'site-headers' }));
      expect(versions.Versions!.map((v) => v.Version)).toEqual(['$LATEST', '2']);
      expect((await lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:site-headers` }))).Tags).toEqual({ 'edge-install:integration': 'site' });

      // Its code passes requests (and responses) through.
      const state = (await (await fetch(`${copy}/_sandbox/state`)).json()) as SandboxData;
      const fn = state.lambda.functions.find((f) => f.name === 'site-headers')!;
      const file = unzipOne(Buffer.from(state.lambda.code[fn.versions[0]!.codeSha256]!, 'base64'));
      expect(file.name).toBe('index.js');
      const exports: { handler?: (event: unknown) => Promise<unknown> } = {};
      new Function('exports', file.content)(exports);
      const request = { uri: '/' };
      const response = { status: '200' };
      expect(await exports.handler!({ Records: [{ cf: { request } }] })).toBe(request);
      expect(await exports.handler!({ Records: [{ cf: { request, response } }] })).toBe(response);
      expect(state.iam.roles.find((r) => r.arn === roleArn)?.assumeRolePolicyDocument).toContain('edgelambda.amazonaws.com');

      // The CloudFront Function: its LIVE code, runtime and comment.
      const cff = state.cloudfront.functions!.find((f) => f.name === 'static-index-rewrite')!;
      expect(cff.arn).toBe('arn:aws:cloudfront::123456789012:function/static-index-rewrite');
      expect(Buffer.from(cff.live!.code, 'base64').toString()).toBe(CF_FUNCTION_CODE);
      expect([cff.live!.runtime, cff.live!.comment]).toEqual(['cloudfront-js-2.0', 'index.html for directories']);

      // An UpdateDistribution on the copy succeeds: the stubs and policies satisfy CloudFront's rules.
      const before = await raw(copy, `/2020-05-31/distribution/${ID}/config`);
      const rewritten = await raw(copy, `/2020-05-31/distribution/${ID}/config`, { method: 'PUT', headers: { 'if-match': before.etag!, 'content-type': 'text/xml' }, body: before.body.replace('<Comment>example.com production site</Comment>', '<Comment>rehearsal</Comment>') });
      expect(rewritten.status, rewritten.body).toBe(200);

      // Not one write reached the source: every call there was a read.
      const sourceCalls = await src.calls();
      expect(sourceCalls.length).toBeGreaterThan(0);
      expect(sourceCalls.filter((c) => c.mutating)).toEqual([]);
      expect(sourceCalls.filter((c) => !READS.test(c.operation))).toEqual([]);
      // The source is untouched: its config is what it was.
      expect((await raw(src.endpoint, `/2020-05-31/distribution/${ID}/config`)).body).toBe(source.body);

      const { stderr } = run.output();
      expect(stderr).toContain(`copied ${ID} (${a.Distribution!.DomainName}) from account ${ACCOUNT}`);
      expect(stderr).toContain('3 behaviors, 2 origins, 1 custom cache policy');
      expect(stderr).toContain(`1 custom origin request policy (${ORP_ID})`);
      expect(stderr).toContain(`1 Lambda@Edge function stubbed to pass requests through (${versionArn})`);
      expect(stderr).toContain(`nothing was written to account ${ACCOUNT}`);
      expect(stderr).not.toContain('warning');
    } finally {
      for (const c of [cloudfront, lambda, sts]) c.destroy();
      run.stop();
    }
    expect(await run.exited).toBe(0);
  });

  it('what may not be read becomes a stub: Lambda@Edge defaults, a pass-through CloudFront Function; the copy still takes updates', async () => {
    await src.admin('POST', 'faults', { service: 'lambda', operation: 'GetFunctionConfiguration', error: 'AccessDeniedException', status: 403 });
    await src.admin('POST', 'faults', { service: 'cloudfront', operation: 'GetFunction', error: 'AccessDenied', status: 403 });
    const run = startCli(['--endpoint-url', src.endpoint, 'sandbox', '--port', '0', '--deploy-delay', '0', '--from-distribution', ID]);
    const { endpoint: copy } = await run.ready;
    const lambda = new LambdaClient({ region: 'us-east-1', endpoint: copy, credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' }, maxAttempts: 1 });
    try {
      const stub = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: versionArn }));
      expect([stub.Runtime, stub.MemorySize, stub.Timeout, stub.Role]).toEqual(['nodejs24.x', 128, 5, `arn:aws:iam::${ACCOUNT}:role/edge-install-rehearsal-stub`]);
      const state = (await (await fetch(`${copy}/_sandbox/state`)).json()) as SandboxData;
      const cff = state.cloudfront.functions!.find((f) => f.name === 'static-index-rewrite')!;
      expect(Buffer.from(cff.live!.code, 'base64').toString()).toContain('return event.response || event.request;');
      const before = await raw(copy, `/2020-05-31/distribution/${ID}/config`);
      const rewritten = await raw(copy, `/2020-05-31/distribution/${ID}/config`, { method: 'PUT', headers: { 'if-match': before.etag!, 'content-type': 'text/xml' }, body: before.body });
      expect(rewritten.status, rewritten.body).toBe(200);
      const { stderr } = run.output();
      expect(stderr).toContain(`could not read ${versionArn} (lambda:GetFunctionConfiguration: AccessDeniedException`);
      expect(stderr).toContain('could not read static-index-rewrite (cloudfront:GetFunction: AccessDenied');
      expect(stderr).toContain('1 CloudFront Function stubbed to pass requests through (static-index-rewrite)');
      expect((await src.calls()).filter((c) => c.mutating)).toEqual([]);
    } finally {
      lambda.destroy();
      run.stop();
    }
    expect(await run.exited).toBe(0);
  });

  it('with --state-file, the copy is kept in the file (and a copy over an existing file is refused)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ei-rehearsal-'));
    const stateFile = join(dir, 'rehearsal.json');
    try {
      const run = startCli(['--endpoint-url', src.endpoint, 'sandbox', '--port', '0', '--from-distribution', ID, '--state-file', stateFile]);
      await run.ready;
      run.stop();
      expect(await run.exited).toBe(0);
      const kept = JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxData;
      expect(kept.accountId).toBe(ACCOUNT);
      expect(kept.cloudfront.distributions.map((d) => d.id)).toEqual([ID]);

      const again = startCli(['--endpoint-url', src.endpoint, 'sandbox', '--port', '0', '--from-distribution', ID, '--state-file', stateFile]);
      expect(await again.exited).toBe(2);
      expect(again.output().stderr).toContain('already holds a sandbox');
      expect(again.output().stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sandbox --from-distribution: bad input is exit 2 before any server starts', () => {
  it('an id that does not exist', async () => {
    const run = startCli(['--endpoint-url', src.endpoint, 'sandbox', '--port', '0', '--from-distribution', 'E2NOSUCHDIST00']);
    expect(await run.exited).toBe(2);
    const { stdout, stderr } = run.output();
    expect(stdout).toBe('');
    expect(stderr).toContain(`E2NOSUCHDIST00 does not exist in account ${ACCOUNT} — check the id and --profile`);
    expect((await src.calls()).filter((c) => c.mutating)).toEqual([]);
  });

  it('an id that is not a distribution id', async () => {
    const run = startCli(['--endpoint-url', src.endpoint, 'sandbox', '--port', '0', '--from-distribution', 'd111111abcdef8.cloudfront.net']);
    expect(await run.exited).toBe(2);
    expect(run.output().stdout).toBe('');
    expect(run.output().stderr).toContain('--from-distribution');
    expect(run.output().stderr).toContain('not a CloudFront distribution id');
    expect(await src.calls()).toEqual([]);
  });

  it('--seed together with --from-distribution', async () => {
    const run = startCli(['--endpoint-url', src.endpoint, 'sandbox', '--port', '0', '--seed', 'empty', '--from-distribution', ID]);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain('--seed and --from-distribution');
    expect(await src.calls()).toEqual([]);
  });

  it('a refused GetDistributionConfig names the permission', async () => {
    await src.admin('POST', 'faults', {
      operation: 'GetDistributionConfig',
      error: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::${ACCOUNT}:user/ci is not authorized to perform: cloudfront:GetDistributionConfig on resource: arn:aws:cloudfront::${ACCOUNT}:distribution/${ID}`,
    });
    const run = startCli(['--endpoint-url', src.endpoint, 'sandbox', '--port', '0', '--from-distribution', ID]);
    expect(await run.exited).toBe(2);
    const { stdout, stderr } = run.output();
    expect(stdout).toBe('');
    expect(stderr).toContain('AccessDenied');
    expect(stderr).toContain('allow cloudfront:GetDistributionConfig');
  });

  describe('no credentials', () => {
    let stub: ReturnType<typeof stubNoCredentials>;
    beforeEach(() => {
      stub = stubNoCredentials();
    });
    afterEach(() => stub.restore());

    it('says how to give some', async () => {
      expect(existsSync(stub.files.AWS_CONFIG_FILE)).toBe(false);
      const run = startCli(['--endpoint-url', src.endpoint, '--profile', 'rehearsal-nowhere', 'sandbox', '--port', '0', '--from-distribution', ID]);
      expect(await run.exited).toBe(2);
      const { stdout, stderr } = run.output();
      expect(stdout).toBe('');
      expect(stderr).toContain('no AWS credentials');
      expect(stderr).toContain('set --profile or AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
      expect(await src.calls()).toEqual([]);
    });
  });
});
