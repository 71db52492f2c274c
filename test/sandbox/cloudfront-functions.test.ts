/**
 * CloudFront Functions: the control plane through the real SDK (and the AWS CLI when it is
 * installed), and the runner on viewer events directly.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  FunctionAlreadyExists,
  FunctionInUse,
  FunctionSizeLimitExceeded,
  GetFunctionCommand,
  InvalidArgument,
  InvalidIfMatchVersion,
  ListFunctionsCommand,
  NoSuchFunctionExists,
  PreconditionFailed,
  PublishFunctionCommand,
  TestFunctionCommand,
  UpdateFunctionCommand,
  type FunctionRuntime,
} from '@aws-sdk/client-cloudfront';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EdgeRequest, EdgeResponse, EventContext } from '../../src/sandbox/edge/model.js';
import { parseQuery } from '../../src/sandbox/edge/headers.js';
import { runCloudFrontFunction, type CloudFrontFunctionRun } from '../../src/sandbox/edge/cloudfront-functions/runner.js';
import { DEMO_FUNCTION } from '../../src/sandbox/seeds/demo.js';
import { expectAwsError } from '../helpers/errors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const REWRITE = `function handler(event) {
  var request = event.request;
  console.log('rewriting ' + request.uri);
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  return request;
}`;

const code = (source: string): Uint8Array => new TextEncoder().encode(source);

/** A TestFunction event object, as the Developer Guide's examples write it. */
function testEvent(uri: string): Uint8Array {
  return code(
    JSON.stringify({
      version: '1.0',
      context: { eventType: 'viewer-request' },
      viewer: { ip: '198.51.100.11' },
      request: { method: 'GET', uri, querystring: {}, headers: { host: { value: 'www.example.com' } }, cookies: {} },
    }),
  );
}

async function expectServiceError(call: Promise<unknown>, name: string, status: number): Promise<void> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(error?.name).toBe(name);
  expect(error?.$metadata?.httpStatusCode).toBe(status);
}

describe('CloudFront Functions API', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0 } });
  });
  beforeEach(() => sb.admin('POST', 'reset'));
  afterAll(() => sb.close());

  const create = (name: string, source = REWRITE, runtime: FunctionRuntime = 'cloudfront-js-2.0') =>
    sb.cloudfront.send(new CreateFunctionCommand({ Name: name, FunctionConfig: { Comment: 'rewrite', Runtime: runtime }, FunctionCode: code(source) }));

  it('the demo seed has static-index-rewrite published and deployed (its distribution associates it)', async () => {
    const live = await sb.cloudfront.send(new DescribeFunctionCommand({ Name: DEMO_FUNCTION.name, Stage: 'LIVE' }));
    expect(live.FunctionSummary).toMatchObject({
      Name: 'static-index-rewrite',
      Status: 'DEPLOYED',
      FunctionConfig: { Runtime: 'cloudfront-js-2.0' },
      FunctionMetadata: { FunctionARN: 'arn:aws:cloudfront::123456789012:function/static-index-rewrite', Stage: 'LIVE' },
    });
    const got = await sb.cloudfront.send(new GetFunctionCommand({ Name: DEMO_FUNCTION.name, Stage: 'LIVE' }));
    expect(new TextDecoder().decode(got.FunctionCode)).toBe(DEMO_FUNCTION.code);
    const dev = await sb.cloudfront.send(new DescribeFunctionCommand({ Name: DEMO_FUNCTION.name }));
    await expectAwsError(sb.cloudfront.send(new DeleteFunctionCommand({ Name: DEMO_FUNCTION.name, IfMatch: dev.ETag })), FunctionInUse, 409);
  });

  it('create, describe, get, update, publish, list and delete', async () => {
    const created = await create('rewrite');
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(created.Location).toBe(`${sb.endpoint}/2020-05-31/function/arn:aws:cloudfront::123456789012:function/rewrite`);
    expect(created.FunctionSummary).toMatchObject({
      Name: 'rewrite',
      Status: 'UNPUBLISHED',
      FunctionConfig: { Comment: 'rewrite', Runtime: 'cloudfront-js-2.0' },
      FunctionMetadata: { FunctionARN: 'arn:aws:cloudfront::123456789012:function/rewrite', Stage: 'DEVELOPMENT' },
    });
    expect(created.FunctionSummary!.FunctionMetadata!.CreatedTime).toBeInstanceOf(Date);

    const described = await sb.cloudfront.send(new DescribeFunctionCommand({ Name: 'rewrite' }));
    expect(described.ETag).toBe(created.ETag);
    await expectAwsError(sb.cloudfront.send(new DescribeFunctionCommand({ Name: 'rewrite', Stage: 'LIVE' })), NoSuchFunctionExists, 404);

    const got = await sb.cloudfront.send(new GetFunctionCommand({ Name: 'rewrite' }));
    expect(new TextDecoder().decode(got.FunctionCode)).toBe(REWRITE);
    expect(got.ContentType).toBe('application/octet-stream');
    expect(got.ETag).toBe(created.ETag);

    const update = (ifMatch: string | undefined, source: string) =>
      sb.cloudfront.send(new UpdateFunctionCommand({ Name: 'rewrite', IfMatch: ifMatch, FunctionConfig: { Comment: 'v2', Runtime: 'cloudfront-js-2.0' }, FunctionCode: code(source) }));
    await expectAwsError(update('E000000000000', REWRITE), PreconditionFailed, 412);
    await expectAwsError(update(undefined, REWRITE), InvalidIfMatchVersion, 400);
    const updated = await update(created.ETag, REWRITE.replace('index.html', 'default.html'));
    expect(updated.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(updated.ETag).not.toBe(created.ETag);
    expect(updated.FunctionSummary!.FunctionConfig!.Comment).toBe('v2');

    await expectAwsError(sb.cloudfront.send(new PublishFunctionCommand({ Name: 'rewrite', IfMatch: created.ETag })), PreconditionFailed, 412);
    const published = await sb.cloudfront.send(new PublishFunctionCommand({ Name: 'rewrite', IfMatch: updated.ETag }));
    expect(published.FunctionSummary).toMatchObject({ Status: 'UNASSOCIATED', FunctionMetadata: { Stage: 'LIVE' } });
    const liveCode = await sb.cloudfront.send(new GetFunctionCommand({ Name: 'rewrite', Stage: 'LIVE' }));
    expect(new TextDecoder().decode(liveCode.FunctionCode)).toContain('default.html');
    const live = await sb.cloudfront.send(new DescribeFunctionCommand({ Name: 'rewrite', Stage: 'LIVE' }));
    expect(live.ETag).toBe(liveCode.ETag);
    expect(live.ETag).not.toBe(updated.ETag);

    // Without a Stage every stage is listed: the demo function and this one, both published.
    const all = await sb.cloudfront.send(new ListFunctionsCommand({}));
    expect(all.FunctionList!.Quantity).toBe(4);
    expect(all.FunctionList!.Items!.map((f) => `${f.Name}/${f.FunctionMetadata!.Stage}`)).toEqual([
      'static-index-rewrite/DEVELOPMENT', 'static-index-rewrite/LIVE', 'rewrite/DEVELOPMENT', 'rewrite/LIVE',
    ]);
    const liveOnly = await sb.cloudfront.send(new ListFunctionsCommand({ Stage: 'LIVE' }));
    expect(liveOnly.FunctionList!.Items!.map((f) => f.FunctionMetadata!.Stage)).toEqual(['LIVE', 'LIVE']);
    const page = await sb.cloudfront.send(new ListFunctionsCommand({ MaxItems: 3 }));
    expect(page.FunctionList).toMatchObject({ Quantity: 3, MaxItems: 3, NextMarker: '3' });
    const rest = await sb.cloudfront.send(new ListFunctionsCommand({ MaxItems: 3, Marker: page.FunctionList!.NextMarker }));
    expect(rest.FunctionList!.Items!.map((f) => f.Name)).toEqual(['rewrite']);
    expect(rest.FunctionList!.NextMarker).toBeUndefined();

    await expectAwsError(sb.cloudfront.send(new DeleteFunctionCommand({ Name: 'rewrite', IfMatch: created.ETag })), PreconditionFailed, 412);
    const deleted = await sb.cloudfront.send(new DeleteFunctionCommand({ Name: 'rewrite', IfMatch: updated.ETag }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectAwsError(sb.cloudfront.send(new DescribeFunctionCommand({ Name: 'rewrite' })), NoSuchFunctionExists, 404);
    await expectAwsError(sb.cloudfront.send(new GetFunctionCommand({ Name: 'rewrite' })), NoSuchFunctionExists, 404);
  });

  it('refuses duplicates, oversized code and what breaks the schema', async () => {
    await create('dup');
    await expectAwsError(create('dup'), FunctionAlreadyExists, 409, /same name already exists/);
    // 10 KB is the quota: 10,240 bytes pass, 10,241 do not.
    const padded = (size: number) => `function handler(event) { return event.request; }\n//${'x'.repeat(size - 52)}`;
    expect(code(padded(10240)).length).toBe(10240);
    await create('exactly-10kb', padded(10240));
    await expectAwsError(create('too-big', padded(10241)), FunctionSizeLimitExceeded, 413);
    await expectServiceError(create('bad name!'), 'MalformedXML', 400);
    await expectServiceError(create('bad-runtime', REWRITE, 'cloudfront-js-3.0' as FunctionRuntime), 'MalformedXML', 400);
    await expectAwsError(
      sb.cloudfront.send(
        new CreateFunctionCommand({
          Name: 'kvs-on-1',
          FunctionConfig: {
            Comment: '',
            Runtime: 'cloudfront-js-1.0',
            KeyValueStoreAssociations: { Quantity: 1, Items: [{ KeyValueStoreARN: 'arn:aws:cloudfront::123456789012:key-value-store/0f6e1b2c-3d4e-5f60-7182-93a4b5c6d7e8' }] },
          },
          FunctionCode: code(REWRITE),
        }),
      ),
      InvalidArgument,
      400,
      /cloudfront-js-2\.0/,
    );
    await expectAwsError(sb.cloudfront.send(new ListFunctionsCommand({ Stage: 'PROD' as 'LIVE' })), InvalidArgument, 400);
  });

  it('keeps a key value store association', async () => {
    const arn = 'arn:aws:cloudfront::123456789012:key-value-store/0f6e1b2c-3d4e-5f60-7182-93a4b5c6d7e8';
    const created = await sb.cloudfront.send(
      new CreateFunctionCommand({ Name: 'kvs', FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0', KeyValueStoreAssociations: { Quantity: 1, Items: [{ KeyValueStoreARN: arn }] } }, FunctionCode: code(REWRITE) }),
    );
    expect(created.FunctionSummary!.FunctionConfig!.KeyValueStoreAssociations).toEqual({ Quantity: 1, Items: [{ KeyValueStoreARN: arn }] });
  });

  it('TestFunction runs the code on the event and reports output, logs and compute utilization', async () => {
    const created = await create('rewrite');
    const tested = await sb.cloudfront.send(new TestFunctionCommand({ Name: 'rewrite', IfMatch: created.ETag, EventObject: testEvent('/docs/') }));
    const result = tested.TestResult!;
    expect(result.FunctionSummary).toMatchObject({ Name: 'rewrite', FunctionMetadata: { Stage: 'DEVELOPMENT' } });
    expect(result.FunctionErrorMessage ?? '').toBe('');
    expect(result.FunctionExecutionLogs).toEqual(['rewriting /docs/']);
    expect(JSON.parse(result.FunctionOutput!)).toEqual({
      request: { method: 'GET', uri: '/docs/index.html', querystring: {}, headers: { host: { value: 'www.example.com' } }, cookies: {} },
    });
    const utilization = Number(result.ComputeUtilization);
    expect(Number.isInteger(utilization) && utilization >= 0 && utilization <= 100).toBe(true);

    // The function's own failure is a result, not an API error.
    const broken = await sb.cloudfront.send(
      new UpdateFunctionCommand({ Name: 'rewrite', IfMatch: created.ETag, FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0' }, FunctionCode: code('function handler(event) { return event.nope.value; }') }),
    );
    const failed = await sb.cloudfront.send(new TestFunctionCommand({ Name: 'rewrite', IfMatch: broken.ETag, EventObject: testEvent('/') }));
    expect(failed.TestResult!.FunctionErrorMessage).toMatch(/^TypeError: /);
    expect(failed.TestResult!.FunctionOutput).toBeUndefined();

    await expectAwsError(sb.cloudfront.send(new TestFunctionCommand({ Name: 'rewrite', IfMatch: created.ETag, EventObject: testEvent('/') })), PreconditionFailed, 412);
    await expectAwsError(sb.cloudfront.send(new TestFunctionCommand({ Name: 'rewrite', IfMatch: broken.ETag, EventObject: code('{not json') })), InvalidArgument, 400);
    await expectAwsError(sb.cloudfront.send(new TestFunctionCommand({ Name: 'rewrite', IfMatch: broken.ETag, Stage: 'LIVE', EventObject: testEvent('/') })), NoSuchFunctionExists, 404);
    await expectAwsError(sb.cloudfront.send(new TestFunctionCommand({ Name: 'missing', IfMatch: broken.ETag, EventObject: testEvent('/') })), NoSuchFunctionExists, 404);
  });

  it('TestFunction of a generated response reports it as "response"', async () => {
    const created = await create('redirect', `function handler(event) { return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: 'https://www.example.com' + event.request.uri } } }; }`);
    const tested = await sb.cloudfront.send(new TestFunctionCommand({ Name: 'redirect', IfMatch: created.ETag, EventObject: testEvent('/a') }));
    expect(JSON.parse(tested.TestResult!.FunctionOutput!)).toEqual({
      response: { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: 'https://www.example.com/a' } } },
    });
  });

  const awsCli = spawnSync('aws', ['--version']).status === 0;
  it.skipIf(!awsCli)('works with the AWS CLI: create-function, describe-function, test-function, publish-function, update-function', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const aws = async (...args: string[]) => JSON.parse((await run('aws', ['--endpoint-url', sb.endpoint, '--output', 'json', 'cloudfront', ...args], { env })).stdout) as Record<string, any>;
    const dir = mkdtempSync(join(tmpdir(), 'cff-cli-'));
    try {
      writeFileSync(join(dir, 'fn.js'), REWRITE);
      writeFileSync(join(dir, 'event.json'), testEvent('/cli/'));
      const created = await aws('create-function', '--name', 'cli-fn', '--function-config', 'Comment=from the CLI,Runtime=cloudfront-js-2.0', '--function-code', `fileb://${join(dir, 'fn.js')}`);
      expect(created.FunctionSummary.Status).toBe('UNPUBLISHED');
      expect(created.ETag).toMatch(/^E[A-Z0-9]{13}$/);
      const described = await aws('describe-function', '--name', 'cli-fn');
      expect(described.ETag).toBe(created.ETag);
      expect(described.FunctionSummary.FunctionConfig).toEqual({ Comment: 'from the CLI', Runtime: 'cloudfront-js-2.0' });
      const tested = await aws('test-function', '--name', 'cli-fn', '--if-match', created.ETag, '--event-object', `fileb://${join(dir, 'event.json')}`);
      expect(JSON.parse(tested.TestResult.FunctionOutput).request.uri).toBe('/cli/index.html');
      expect(tested.TestResult.FunctionExecutionLogs).toEqual(['rewriting /cli/']);
      const published = await aws('publish-function', '--name', 'cli-fn', '--if-match', created.ETag);
      expect(published.FunctionSummary.FunctionMetadata.Stage).toBe('LIVE');
      const updated = await aws('update-function', '--name', 'cli-fn', '--if-match', created.ETag, '--function-config', 'Comment=v2,Runtime=cloudfront-js-2.0', '--function-code', `fileb://${join(dir, 'fn.js')}`);
      expect(updated.ETag).toMatch(/^E[A-Z0-9]{13}$/);
      const listed = await aws('list-functions', '--stage', 'LIVE');
      expect(listed.FunctionList.Items.map((f: { Name: string }) => f.Name)).toContain('cli-fn');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- the runner ------------------------------------------------------------------------------

const CONTEXT: EventContext = { distributionId: 'E1DEMO0EXAMPLE', distributionDomainName: 'd111111abcdef8.cloudfront.net', eventType: 'viewer-request', requestId: 'req-1' };
const RESPONSE_CONTEXT: EventContext = { ...CONTEXT, eventType: 'viewer-response' };

function request(uri: string, extra: Partial<EdgeRequest> = {}): EdgeRequest {
  return {
    method: 'GET',
    uri,
    querystring: '',
    headers: [['Host', 'www.example.com'], ['User-Agent', 'curl/8.5.0'], ['Accept', '*/*']],
    body: Buffer.alloc(0),
    clientIp: '198.51.100.11',
    ...extra,
  };
}

function response(extra: Partial<EdgeResponse> = {}): EdgeResponse {
  return {
    status: 200,
    statusDescription: 'OK',
    headers: [['Content-Type', 'text/html'], ['Content-Length', '5'], ['Set-Cookie', 'sid=abc; Path=/; Secure'], ['Server', 'AmazonS3']],
    body: Buffer.from('hello'),
    ...extra,
  };
}

const v2 = (source: string) => ({ name: 'test', runtime: 'cloudfront-js-2.0', code: source });
const v1 = (source: string) => ({ name: 'test', runtime: 'cloudfront-js-1.0', code: source });

function requestOf(run: CloudFrontFunctionRun): EdgeRequest {
  expect(run.outcome.kind, JSON.stringify(run.outcome)).toBe('request');
  return (run.outcome as { request: EdgeRequest }).request;
}

function responseOf(run: CloudFrontFunctionRun): EdgeResponse {
  expect(run.outcome.kind, JSON.stringify(run.outcome)).toBe('response');
  return (run.outcome as { response: EdgeResponse }).response;
}

/** A function that answers with the event it was given, as JSON. */
const ECHO = `function handler(event) { return { statusCode: 200, body: JSON.stringify(event) }; }`;

async function eventSeen(req: EdgeRequest, res?: EdgeResponse): Promise<any> {
  const context = res ? RESPONSE_CONTEXT : CONTEXT;
  const run = await runCloudFrontFunction(v2(ECHO), { context, request: req, response: res });
  return JSON.parse(responseOf(run).body.toString('utf8'));
}

describe('CloudFront Functions runner', () => {
  it('runs the demo function: directory URLs become index.html', async () => {
    const fn = { name: DEMO_FUNCTION.name, runtime: DEMO_FUNCTION.runtime, code: DEMO_FUNCTION.code };
    const uriOf = async (uri: string) => requestOf(await runCloudFrontFunction(fn, { context: CONTEXT, request: request(uri) })).uri;
    expect(await uriOf('/static/docs/')).toBe('/static/docs/index.html');
    expect(await uriOf('/static/docs')).toBe('/static/docs/index.html');
    expect(await uriOf('/static/app.3f2a.js')).toBe('/static/app.3f2a.js');
  });

  it('builds the event as documented: context, viewer, lower-case headers, cookies apart, multiValue', async () => {
    const seen = await eventSeen(
      request('/media/index.mpd', {
        querystring: 'ID=42&NoValue&querymv=val1&querymv=val2%2Cval3',
        headers: [['Host', 'video.example.com'], ['Accept', 'application/json'], ['Accept', 'application/xml'], ['Cookie', 'Cookie1=value1; cookiemv=value3'], ['Cookie', 'cookiemv=value4'], ['Connection', 'keep-alive']],
      }),
    );
    expect(seen).toEqual({
      version: '1.0',
      context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'E1DEMO0EXAMPLE', eventType: 'viewer-request', requestId: 'req-1' },
      viewer: { ip: '198.51.100.11' },
      request: {
        method: 'GET',
        uri: '/media/index.mpd',
        querystring: { ID: { value: '42' }, NoValue: { value: '' }, querymv: { value: 'val1', multiValue: [{ value: 'val1' }, { value: 'val2%2Cval3' }] } },
        // Cookie is in cookies; Connection is a disallowed header, never shown to functions.
        headers: { host: { value: 'video.example.com' }, accept: { value: 'application/json', multiValue: [{ value: 'application/json' }, { value: 'application/xml' }] } },
        cookies: { Cookie1: { value: 'value1' }, cookiemv: { value: 'value3', multiValue: [{ value: 'value3' }, { value: 'value4' }] } },
      },
    });
  });

  it('builds the viewer-response event with response cookies and their attributes', async () => {
    const seen = await eventSeen(request('/'), response({ headers: [['Content-Type', 'text/html'], ['Set-Cookie', 'ID=id1234; Expires=Wed, 05 Apr 2021 07:28:00 GMT'], ['Set-Cookie', 'c=1'], ['Set-Cookie', 'c=2; Path=/cat']] }));
    expect(seen.context.eventType).toBe('viewer-response');
    expect(seen.response).toEqual({
      statusCode: 200,
      statusDescription: 'OK',
      headers: { 'content-type': { value: 'text/html' } },
      cookies: {
        ID: { value: 'id1234', attributes: 'Expires=Wed, 05 Apr 2021 07:28:00 GMT' },
        c: { value: '1', multiValue: [{ value: '1' }, { value: '2', attributes: 'Path=/cat' }] },
      },
    });
  });

  it('adds a header, keeps the case of the ones it was sent, and leaves an untouched query string as it was', async () => {
    const run = await runCloudFrontFunction(v2(`function handler(event) { event.request.headers['x-experiment-group'] = { value: 'b' }; return event.request; }`), {
      context: CONTEXT,
      request: request('/', { querystring: 'a=%20b&flag&a=2', headers: [['Host', 'www.example.com'], ['User-Agent', 'curl/8.5.0'], ['Cookie', 'sid=1'], ['Connection', 'keep-alive']] }),
    });
    const out = requestOf(run);
    expect(out.headers).toEqual([['Host', 'www.example.com'], ['User-Agent', 'curl/8.5.0'], ['X-Experiment-Group', 'b'], ['Cookie', 'sid=1'], ['Connection', 'keep-alive']]);
    expect(out.querystring).toBe('a=%20b&flag&a=2');
    // Names are names, even those of Object.prototype; a deleted section is empty.
    const odd = requestOf(
      await runCloudFrontFunction(v2(`function handler(e) { e.request.querystring.constructor.value = 'x'; e.request.querystring.n = { value: 'a&b' }; delete e.request.cookies; return e.request; }`), {
        context: CONTEXT,
        request: request('/', { querystring: 'constructor=1', headers: [['Host', 'h'], ['Cookie', 'sid=1']] }),
      }),
    );
    expect(odd.querystring).toBe('constructor=x&n=a%26b');
    expect(odd.headers).toEqual([['Host', 'h']]);
  });

  it('applies multiValue changes as documented: a changed multiValue wins, else a changed value replaces the first', async () => {
    const req = request('/', { querystring: 'tag=a&tag=b&keep=1', headers: [['Host', 'h'], ['Cookie', 'c=1; c=2']] });
    const viaMulti = requestOf(
      await runCloudFrontFunction(v2(`function handler(e) { e.request.querystring.tag.multiValue = [{ value: 'x' }, { value: 'y z' }]; e.request.querystring.tag.value = 'ignored'; return e.request; }`), { context: CONTEXT, request: req }),
    );
    expect(viaMulti.querystring).toBe('tag=x&tag=y%20z&keep=1');
    const viaValue = requestOf(await runCloudFrontFunction(v2(`function handler(e) { e.request.querystring.tag.value = 'new'; e.request.cookies.c.value = '9'; return e.request; }`), { context: CONTEXT, request: req }));
    expect(viaValue.querystring).toBe('tag=new&tag=b&keep=1');
    expect(viaValue.headers).toContainEqual(['Cookie', 'c=9; c=2']);
  });

  it('returns a generated response (redirect) from viewer-request', async () => {
    const run = await runCloudFrontFunction(
      v2(`function handler(event) {
        return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: 'https://example.com' + event.request.uri } }, cookies: { seen: { value: '1', attributes: 'Path=/' } } };
      }`),
      { context: CONTEXT, request: request('/old') },
    );
    const res = responseOf(run);
    expect(res).toEqual({ status: 302, statusDescription: 'Found', headers: [['Location', 'https://example.com/old'], ['Set-Cookie', 'seen=1; Path=/']], body: Buffer.alloc(0) });
  });

  it('changes a viewer response: headers, cookies, status, and the body only when it sets one', async () => {
    const withHeader = responseOf(
      await runCloudFrontFunction(
        v2(`function handler(event) {
          var r = event.response;
          r.headers['strict-transport-security'] = { value: 'max-age=63072000' };
          delete r.headers.server;
          r.cookies.sid.attributes += '; HttpOnly';
          return r;
        }`),
        { context: RESPONSE_CONTEXT, request: request('/'), response: response() },
      ),
    );
    expect(withHeader).toEqual({
      status: 200,
      statusDescription: 'OK',
      headers: [['Content-Type', 'text/html'], ['Content-Length', '5'], ['Strict-Transport-Security', 'max-age=63072000'], ['Set-Cookie', 'sid=abc; Path=/; Secure; HttpOnly']],
      body: Buffer.from('hello'),
    });
    const replaced = responseOf(
      await runCloudFrontFunction(v2(`function handler(event) { var r = event.response; r.statusCode = 404; r.statusDescription = 'Not Found'; r.body = { data: 'bm9wZQ==', encoding: 'base64' }; return r; }`), {
        context: RESPONSE_CONTEXT,
        request: request('/'),
        response: response(),
      }),
    );
    expect(replaced.status).toBe(404);
    expect(replaced.body.toString()).toBe('nope');
    expect(replaced.headers).toContainEqual(['Content-Length', '4']);
  });

  it('refuses results CloudFront would refuse (502, FunctionValidationError)', async () => {
    const refused = async (source: string, context = CONTEXT) => {
      const run = await runCloudFrontFunction(v2(source), { context, request: request('/'), response: context === CONTEXT ? undefined : response() });
      expect(run.outcome).toMatchObject({ kind: 'error', errorType: 'FunctionValidationError', status: 502 });
      return (run.outcome as { message: string }).message;
    };
    expect(await refused(`function handler(e) { e.request.headers.connection = { value: 'close' }; return e.request; }`)).toMatch(/connection/);
    expect(await refused(`function handler(e) { e.request.headers.host = { value: 'evil.example' }; return e.request; }`)).toMatch(/read-only/);
    expect(await refused(`function handler(e) { e.request.uri = 'no-slash'; return e.request; }`)).toMatch(/begins with/);
    expect(await refused(`function handler(e) { e.request.method = 'POST'; return e.request; }`)).toMatch(/method/);
    expect(await refused(`function handler(e) { e.request.headers['X-Upper'] = { value: '1' }; return e.request; }`)).toMatch(/lower case/);
    expect(await refused(`function handler(e) { e.request.headers['x-split'] = { value: 'a' + String.fromCharCode(13, 10) + 'b' }; return e.request; }`)).toMatch(/line break/);
    expect(await refused(`function handler(e) { }`)).toMatch(/undefined/);
    expect(await refused(`function handler(e) { return e; }`)).toMatch(/not the whole event/);
    expect(await refused(`function handler(e) { return { statusCode: '200' }; }`)).toMatch(/statusCode/);
    expect(await refused(`function handler(e) { return { statusCode: 200, body: { data: '!!', encoding: 'base64' } }; }`)).toMatch(/base64/);
    expect(await refused(`function handler(e) { var r = e.response; r.headers['content-length'] = { value: '1' }; return r; }`, RESPONSE_CONTEXT)).toMatch(/content-length/);
  });

  it('refuses header values, cookies, a status description or a uri that Node cannot send (502, not a 500 from writeHead)', async () => {
    const refused = async (source: string, context = CONTEXT) => {
      const run = await runCloudFrontFunction(v2(source), { context, request: request('/'), response: context === CONTEXT ? undefined : response() });
      expect(run.outcome).toMatchObject({ kind: 'error', errorType: 'FunctionValidationError', status: 502 });
      return (run.outcome as { message: string }).message;
    };
    expect(await refused(`function handler(e) { e.request.headers['x-price'] = { value: '5 \u20ac' }; return e.request; }`)).toMatch(
      /The header 'x-price' has a value with U\+20AC \("€"\) at index 2, which an HTTP header cannot carry/,
    );
    expect(await refused(`function handler(e) { e.request.headers['x-a'] = { value: 'a' + String.fromCharCode(1) }; return e.request; }`)).toMatch(/header 'x-a' has a value with U\+0001/);
    expect(await refused(`function handler(e) { e.request.headers['x-a'] = { value: 'ok', multiValue: [{ value: 'ok' }, { value: '\ud83d\ude00' }] }; return e.request; }`)).toMatch(/header 'x-a' has a value with U\+1F600/);
    expect(await refused(`function handler(e) { e.request.cookies.theme = { value: '\u2603' }; return e.request; }`)).toMatch(/cookie 'theme' has a value with U\+2603/);
    expect(await refused(`function handler(e) { var r = e.response; r.cookies.sid = { value: 'x', attributes: 'Path=/\u20ac' }; return r; }`, RESPONSE_CONTEXT)).toMatch(/cookie 'sid' has a value with U\+20AC/);
    expect(await refused(`function handler(e) { return { statusCode: 200, statusDescription: 'OK \u20ac' }; }`)).toMatch(/response statusDescription has a value with U\+20AC/);
    expect(await refused(`function handler(e) { var r = e.response; r.statusDescription = 'OK' + String.fromCharCode(13, 10) + 'X: 1'; return r; }`, RESPONSE_CONTEXT)).toMatch(/statusDescription has a value with a line break/);
    expect(await refused(`function handler(e) { e.request.uri = '/caf\u00e9'; return e.request; }`)).toMatch(/The request uri contains U\+00E9 \("é"\) at index 4, which cannot go on the request line: it must be URL-encoded \(%C3%A9\)/);
    expect(await refused(`function handler(e) { e.request.uri = '/\u20ac'; return e.request; }`)).toMatch(/uri contains U\+20AC .*\(%E2%82%AC\)/);
    expect(await refused(`function handler(e) { e.request.uri = '/a b'; return e.request; }`)).toMatch(/must not contain spaces or control characters/);
    expect(await refused(`function handler(e) { e.request.querystring.q = { value: 'a\ud800' }; return e.request; }`)).toMatch(/query string parameter value of 'q' contains a lone UTF-16 surrogate/);

    // What Node can send goes through: Latin-1 in a header, an encoded uri, encoded query text.
    const ok = requestOf(
      await runCloudFrontFunction(
        v2(`function handler(e) { e.request.headers['x-a'] = { value: 'caf\u00e9\tok' }; e.request.uri = '/caf%C3%A9'; e.request.querystring.q = { value: '\u20ac 1' }; return e.request; }`),
        { context: CONTEXT, request: request('/') },
      ),
    );
    expect(ok.headers).toContainEqual(['X-A', 'caf\u00e9\tok']);
    expect(ok.uri).toBe('/caf%C3%A9');
    expect(ok.querystring).toBe('q=%E2%82%AC%201');
  });

  it('reads cookies and query strings with the edge\'s one parser (headers.ts), as the cache key and forwarding do', async () => {
    const req = request('/', { querystring: 'a=1&&b&c=x=y', headers: [['Host', 'h'], ['Cookie', 'sid=1;  theme=dark ;flag'], ['Cookie', 'sid=2']] });
    const seen = await eventSeen(req);
    expect(seen.request.querystring).toEqual({ a: { value: '1' }, b: { value: '' }, c: { value: 'x=y' } });
    expect(seen.request.cookies).toEqual({ sid: { value: '1', multiValue: [{ value: '1' }, { value: '2' }] }, theme: { value: 'dark' }, flag: { value: '' } });
    expect(Object.keys(seen.request.querystring)).toEqual(parseQuery(req.querystring).map(([name]) => name));
    // Changing one parameter keeps the others exactly as they were sent ("b" stays "b", not "b=").
    const changed = requestOf(await runCloudFrontFunction(v2(`function handler(e) { e.request.querystring.a.value = '2'; return e.request; }`), { context: CONTEXT, request: req }));
    expect(changed.querystring).toBe('a=2&b&c=x=y');
  });

  it('reports a throwing function as an execution error (503) with its logs', async () => {
    const run = await runCloudFrontFunction(v2(`function handler(event) { console.log('about to fail'); return event.request.headers.authorization.value; }`), { context: CONTEXT, request: request('/') });
    expect(run.outcome).toMatchObject({ kind: 'error', errorType: 'FunctionExecutionError', status: 503 });
    expect((run.outcome as { message: string }).message).toMatch(/^TypeError: /);
    expect(run.logs).toEqual(['about to fail']);
    const rejected = await runCloudFrontFunction(v2(`async function handler(event) { await null; throw new Error('async boom'); }`), { context: CONTEXT, request: request('/') });
    expect(rejected.outcome).toMatchObject({ kind: 'error', message: 'Error: async boom' });
  });

  it('stops a function that runs past the compute budget', async () => {
    const loop = await runCloudFrontFunction(v2(`function handler(event) { for (;;) {} }`), { context: CONTEXT, request: request('/') });
    expect(loop.outcome).toMatchObject({ kind: 'error', errorType: 'FunctionThrottledError', status: 503 });
    expect(loop.computeUtilization).toBe(100);
    const asyncLoop = await runCloudFrontFunction(v2(`async function handler(event) { await null; while (true) {} }`), { context: CONTEXT, request: request('/') });
    expect(asyncLoop.outcome).toMatchObject({ kind: 'error', errorType: 'FunctionThrottledError' });
    // The same code runs again afterwards, from a fresh context.
    const again = await runCloudFrontFunction(v2(`function handler(event) { for (;;) {} }`), { context: CONTEXT, request: request('/') });
    expect(again.outcome).toMatchObject({ kind: 'error', errorType: 'FunctionThrottledError' });
  });

  it('marks KeyValueStore use as unsupported, even when the function catches the failure', async () => {
    const source = `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
  try { event.request.uri = await kvs.get(event.request.uri); } catch (e) { console.log('no key'); }
  return event.request;
}`;
    const run = await runCloudFrontFunction(v2(source), { context: CONTEXT, request: request('/a') });
    expect(run.outcome).toEqual({ kind: 'unsupported', reason: 'CloudFront KeyValueStore (cf.kvs().get)' });
    const origin = await runCloudFrontFunction(v2(`import cf from 'cloudfront'; function handler(e) { cf.selectRequestOriginById('api'); return e.request; }`), { context: CONTEXT, request: request('/') });
    expect(origin.outcome).toMatchObject({ kind: 'unsupported', reason: expect.stringMatching(/origin modification/) });
  });

  it('offers the documented runtime: crypto, querystring, Buffer, cf.edgeLocation, rawQueryString, frozen Date; nothing of Node', async () => {
    const source = `import cf from 'cloudfront';
import crypto from 'crypto';
const qs = require('querystring');
async function handler(event) {
  const d1 = Date.now();
  for (let i = 0; i < 1e5; i++) {}
  return { statusCode: 200, body: JSON.stringify({
    sha: crypto.createHash('sha256').update('abc').digest('hex'),
    hmac: crypto.createHmac('sha1', 'key').update('msg').digest('base64'),
    raw: crypto.createHash('md5').update('x').digest() instanceof Buffer,
    parsed: qs.parse('a=1&a=2&b=%20c'),
    basic: Buffer.from('dXNlcjpwYXNz', 'base64').toString(),
    edge: cf.edgeLocation.name,
    rawQuery: event.request.rawQueryString(),
    sameTime: d1 === Date.now() && d1 === new Date().getTime(),
    typeofs: [typeof setTimeout, typeof process, typeof module, typeof fetch, typeof WebAssembly, typeof require],
  }) };
}`;
    const run = await runCloudFrontFunction(v2(source), { context: CONTEXT, request: request('/', { querystring: 'x=1&y' }) });
    expect(JSON.parse(responseOf(run).body.toString())).toEqual({
      sha: createHash('sha256').update('abc').digest('hex'),
      hmac: (await import('node:crypto')).createHmac('sha1', 'key').update('msg').digest('base64'),
      raw: true,
      parsed: { a: ['1', '2'], b: ' c' },
      basic: 'user:pass',
      edge: 'IAD',
      rawQuery: 'x=1&y',
      sameTime: true,
      typeofs: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'function'],
    });
    for (const forbidden of [`eval('1')`, `new Function('return 1')()`, `require('fs')`, `setTimeout(() => {}, 1)`]) {
      const refused = await runCloudFrontFunction(v2(`function handler(e) { ${forbidden}; return e.request; }`), { context: CONTEXT, request: request('/') });
      expect(refused.outcome, forbidden).toMatchObject({ kind: 'error', errorType: 'FunctionExecutionError' });
    }
  });

  it('runs cloudfront-js-1.0 code with its byte-string helpers, and without import', async () => {
    const run = await runCloudFrontFunction(
      v1(`var crypto = require('crypto');
function handler(event) {
  var raw = crypto.createHash('sha1').update('a').digest();
  event.request.headers['x-utf8'] = { value: String('é'.toUTF8().length) };
  event.request.headers['x-raw'] = { value: typeof raw + ':' + raw.length };
  return event.request;
}`),
      { context: CONTEXT, request: request('/') },
    );
    expect(requestOf(run).headers).toEqual(expect.arrayContaining([['X-Utf8', '2'], ['X-Raw', 'string:20']]));
    const withImport = await runCloudFrontFunction(v1(`import cf from 'cloudfront'; function handler(e) { return e.request; }`), { context: CONTEXT, request: request('/') });
    expect(withImport.outcome).toMatchObject({ kind: 'error', errorType: 'FunctionExecutionError' });
  });

  it('starts every run from the top: module-level state does not leak between requests', async () => {
    const fn = v2(`var count = 0; function handler(e) { count++; e.request.headers['x-count'] = { value: String(count) }; return e.request; }`);
    for (let i = 0; i < 3; i++) {
      expect(requestOf(await runCloudFrontFunction(fn, { context: CONTEXT, request: request('/') })).headers).toContainEqual(['X-Count', '1']);
    }
  });

  it('survives a stray rejected promise and truncates logs at 10 KB', async () => {
    const run = await runCloudFrontFunction(
      v2(`async function boom() { throw new Error('nobody waits for me'); }
function handler(e) { boom(); Promise.reject(new Error('nor me')); for (var i = 0; i < 30; i++) console.log('x'.repeat(500)); return e.request; }`),
      { context: CONTEXT, request: request('/') },
    );
    expect(run.outcome.kind).toBe('request');
    expect(run.logs.join('').length).toBe(10240);
  });

  it('refuses code over 10 KB', async () => {
    const run = await runCloudFrontFunction(v2(`function handler(e) { return e.request; }//${'x'.repeat(10240)}`), { context: CONTEXT, request: request('/') });
    expect(run.outcome).toMatchObject({ kind: 'error', errorType: 'FunctionValidationError' });
  });
});
