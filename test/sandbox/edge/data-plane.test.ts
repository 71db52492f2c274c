/**
 * The local edge end to end: real HTTP requests through the demo distribution (behaviors,
 * policies, origins, cache, CloudFront Functions) and through Lambda@Edge functions installed
 * with the real SDK; their logs read back with the real CloudWatch Logs client.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INSTANT, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { associate, publishFunction, rawRequest, startOrigin, updateConfig, type TestOrigin } from './helpers.js';

const ID = 'E1DEMO0EXAMPLE';
let sb: TestSandbox;
let api: TestOrigin;
let other: TestOrigin;
let site: string;
let edge: string;

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'edge-site-'));
  writeFileSync(join(site, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(site, '404.html'), '<h1>not here</h1>');
  mkdirSync(join(site, 'static'));
  writeFileSync(join(site, 'static', 'index.html'), '<h1>static index</h1>');
  writeFileSync(join(site, 'static', 'app.js'), 'console.log(1)');
  api = await startOrigin();
  other = await startOrigin();
  sb = await startTestSandbox({ ...INSTANT, edge: { origins: { 'api.example.com': api.url, 'other.example.com': other.url }, s3Dirs: { 'example-site-prod': site } } });
  edge = sb.edgeUrls()[ID]!;
});

afterAll(async () => {
  await sb.close();
  await api.close();
  await other.close();
  rmSync(site, { recursive: true, force: true });
});

beforeEach(() => {
  api.seen.length = 0;
  api.answer = () => ({});
  other.seen.length = 0;
});

const get = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => fetch(`${edge}${path}`, { redirect: 'manual', ...init });

describe('serving the demo distribution', () => {
  it('serves the S3 site from the local directory, then from the cache, with CloudFront headers', async () => {
    const first = await get('/index.html');
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('<h1>home</h1>');
    expect(first.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect(first.headers.get('via')).toMatch(/^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(first.headers.get('x-amz-cf-id')).toHaveLength(56);
    expect(first.headers.get('x-amz-cf-pop')).toMatch(/^[A-Z]{3}\d+-P1$/);
    const second = await get('/index.html');
    expect(second.headers.get('x-cache')).toBe('Hit from cloudfront');
    expect(second.headers.get('x-amz-cf-id')).not.toBe(first.headers.get('x-amz-cf-id'));
  });

  it('selects the distribution by Host (domain name or alias) on the sandbox port, and names the known ones for an unknown Host', async () => {
    const byAlias = await rawRequest(`${sb.endpoint}/index.html`, { headers: { host: 'www.example.com' } });
    expect(byAlias.status).toBe(200);
    expect(byAlias.body).toBe('<h1>home</h1>');
    const byDomain = await rawRequest(`${sb.endpoint}/static/`, { headers: { host: 'd111111abcdef8.cloudfront.net' } });
    expect(byDomain.body).toBe('<h1>static index</h1>');
    const unknown = await rawRequest(`${edge}/index.html`, { headers: { host: 'nope.example.net' } });
    expect(unknown.status).toBe(404);
    const body = unknown.body;
    expect(body).toContain("Host 'nope.example.net'");
    expect(body).toContain(ID);
    expect(body).toContain('d111111abcdef8.cloudfront.net');
  });

  it('expires by the cache policy and honours invalidations, on the sandbox clock', async () => {
    await get('/static/app.js');
    expect((await get('/static/app.js')).headers.get('x-cache')).toBe('Hit from cloudfront');
    await sb.cloudfront.send(new CreateInvalidationCommand({ DistributionId: ID, InvalidationBatch: { CallerReference: `inv-${Date.now()}`, Paths: { Quantity: 1, Items: ['/static/*'] } } }));
    expect((await get('/static/app.js')).headers.get('x-cache')).toBe('Miss from cloudfront');
    expect((await get('/static/app.js')).headers.get('x-cache')).toBe('Hit from cloudfront');
    // CachingOptimized: DefaultTTL one day.
    await sb.advance(86_401_000);
    expect((await get('/static/app.js')).headers.get('x-cache')).toBe('Miss from cloudfront');
  });

  it('runs the CloudFront Function of /static/*: a directory is rewritten to its index.html', async () => {
    const response = await get('/static/');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<h1>static index</h1>');
  });

  it('forwards to the API origin per its policies: origin path, custom header, all query strings and cookies, not the Host', async () => {
    const response = await get('/api/users?page=2&sort=name', { method: 'POST', body: 'hello', headers: { cookie: 'session=abc; theme=dark', 'x-custom': 'yes', 'content-type': 'text/plain' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('Miss from cloudfront');
    const seen = api.seen[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v2/api/users?page=2&sort=name');
    expect(seen.body).toBe('hello');
    expect(seen.headers.host).toBe('api.example.com');
    expect(seen.headers['x-origin-verify']).toBe('demo-origin-verify-token');
    expect(seen.headers['x-custom']).toBe('yes');
    expect(seen.headers.cookie).toBe('session=abc; theme=dark');
    expect(seen.headers['x-amz-cf-id']).toBe(response.headers.get('x-amz-cf-id'));
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers.via).toBe(response.headers.get('via'));
  });

  it('lets an origin custom header replace the viewer’s, drops the viewer’s CloudFront-* headers, keeps the query string as written', async () => {
    await get('/api/q?ba=1&a&c=', { headers: { 'x-origin-verify': 'forged', 'cloudfront-viewer-country': 'XX' } });
    const seen = api.seen[0]!;
    expect(seen.headers['x-origin-verify']).toBe('demo-origin-verify-token');
    expect(seen.headers['cloudfront-viewer-country']).toBeUndefined();
    expect(seen.url).toBe('/v2/api/q?ba=1&a&c=');
  });

  it('serves the default root object for /, and answers a HEAD without storing an empty body for GET', async () => {
    const root = await get('/');
    expect(root.status).toBe(200);
    expect(await root.text()).toBe('<h1>home</h1>');
    const head = await get('/static/app.js?v=head', { method: 'HEAD' });
    expect(head.status).toBe(200);
    const after = await get('/static/app.js?v=head');
    expect(await after.text()).toBe('console.log(1)');
  });

  it('honours allowed methods and the viewer protocol policy', async () => {
    expect((await get('/index.html', { method: 'POST', body: 'x' })).status).toBe(403);
    const redirect = await rawRequest(`${edge}/index.html?a=1`, { headers: { 'x-sandbox-viewer-protocol': 'http', host: 'www.example.com' } });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('https://www.example.com/index.html?a=1');
    expect((await get('/api/x', { headers: { 'x-sandbox-viewer-protocol': 'http' } })).status).toBe(403);
  });

  it('answers a missing object with the custom error page (404 → /404.html)', async () => {
    const response = await get('/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('<h1>not here</h1>');
  });

  it('answers 502 with a body that says how to map an origin it cannot reach', async () => {
    await updateConfig(sb, ID, (behaviors) => {
      behaviors.find((b) => b.pattern === '/api/*')!.behavior.TargetOriginId = 'api';
    });
    const direct = await startTestSandbox({ ...INSTANT, edge: {} });
    try {
      const response = await fetch(`${direct.edgeUrls()[ID]}/api/x`);
      expect(response.status).toBe(502);
      const body = await response.text();
      expect(body).toContain('--origin api.example.com=http://127.0.0.1:PORT');
      expect(response.headers.get('x-cache')).toBe('Error from cloudfront');
    } finally {
      await direct.close();
    }
  });
});

describe('origin failover', () => {
  it('fails over to the group’s second origin on a listed status, for GET only', async () => {
    const failing = await startOrigin();
    failing.answer = () => ({ status: 503, body: 'primary down' });
    const grouped = await startTestSandbox({ ...INSTANT, edge: { origins: { 'example-site-prod.s3.us-east-1.amazonaws.com': failing.url, 'api.example.com': api.url } } });
    try {
      await updateConfig(grouped, ID, (behaviors) => {
        const d = behaviors.find((b) => b.pattern === '*')!.behavior;
        d.TargetOriginId = 'site-failover';
        d.CachePolicyId = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
      });
      const response = await fetch(`${grouped.edgeUrls()[ID]}/page`);
      expect(response.status).toBe(200);
      expect(failing.seen).toHaveLength(1);
      expect(api.seen.at(-1)!.url).toBe('/v2/page');
    } finally {
      await grouped.close();
      await failing.close();
    }
  });
});

describe('Lambda@Edge on the local edge', () => {
  const logs = (region: string) => new CloudWatchLogsClient(sb.clientConfig(region));

  it('runs a viewer-request function that adds a header, and logs START/END/REPORT in the Region that served the request', async () => {
    const arn = await publishFunction(sb, 'add-header', `
      let calls = 0;
      exports.handler = async (event) => {
        calls++;
        const request = event.Records[0].cf.request;
        console.log('seen', request.uri, 'call', calls);
        request.headers['x-from-edge'] = [{ key: 'X-From-Edge', value: 'call-' + calls }];
        request.headers['x-viewer-host'] = [{ key: 'X-Viewer-Host', value: request.headers.host[0].value }];
        return request;
      };`);
    await associate(sb, ID, '/api/*', 'viewer-request', arn);
    const first = await get('/api/one', { headers: { 'x-sandbox-edge-region': 'eu-west-1' } });
    expect(first.status).toBe(200);
    await get('/api/two', { headers: { 'x-sandbox-edge-region': 'eu-west-1' } });
    // The module stays warm between requests, like a Lambda container.
    expect(api.seen.map((s) => s.headers['x-from-edge'])).toEqual(['call-1', 'call-2']);
    expect(api.seen[0]!.headers['x-sandbox-edge-region']).toBeUndefined();
    // Chosen by its port, the request carries the distribution's domain name as Host.
    expect(api.seen[0]!.headers['x-viewer-host']).toBe('d111111abcdef8.cloudfront.net');
    const found = await logs('eu-west-1').send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/us-east-1.add-header', filterPattern: '"seen /api/one"' }));
    expect(found.events).toHaveLength(1);
    expect(found.events![0]!.message).toMatch(/\tINFO\tseen \/api\/one call 1/);
    const all = await logs('eu-west-1').send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/us-east-1.add-header' }));
    const messages = all.events!.map((e) => e.message!);
    expect(messages.filter((m) => m.startsWith('START RequestId:'))).toHaveLength(2);
    expect(messages.filter((m) => m.startsWith('REPORT RequestId:'))).toHaveLength(2);
    expect(messages.filter((m) => m.includes('Init Duration'))).toHaveLength(1);
    // Not in another Region.
    await expect(logs('us-west-2').send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/us-east-1.add-header' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers with a response generated at viewer-request, without reaching the origin', async () => {
    const arn = await publishFunction(sb, 'redirect', `exports.handler = async () => ({ status: '302', statusDescription: 'Found', headers: { location: [{ key: 'Location', value: 'https://example.com/login' }] } });`);
    await associate(sb, ID, '/api/*', 'viewer-request', arn);
    const response = await get('/api/private');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://example.com/login');
    expect(response.headers.get('x-cache')).toBe('LambdaGeneratedResponse from cloudfront');
    expect(api.seen).toHaveLength(0);
  });

  it('answers 503 LambdaExecutionError when the function throws, and logs the error', async () => {
    const arn = await publishFunction(sb, 'thrower', `exports.handler = async () => { throw new Error('boom at the edge'); };`);
    await associate(sb, ID, '/api/*', 'viewer-request', arn);
    const response = await get('/api/x', { headers: { 'x-sandbox-edge-region': 'ap-northeast-1' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('x-cache')).toBe('LambdaExecutionError from cloudfront');
    expect(await response.text()).toContain('The Lambda function associated with the CloudFront distribution');
    const found = await logs('ap-northeast-1').send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/us-east-1.thrower', filterPattern: 'boom' }));
    expect(found.events!.length).toBeGreaterThan(0);
  });

  it('answers 502 LambdaValidationError for a result CloudFront refuses, logged under /aws/cloudfront/LambdaEdge/<id>', async () => {
    const arn = await publishFunction(sb, 'bad-host', `exports.handler = async (event) => { const r = event.Records[0].cf.request; r.headers.host = [{ key: 'Host', value: 'evil.example' }]; return r; };`);
    await associate(sb, ID, '/api/*', 'viewer-request', arn);
    const response = await get('/api/x', { headers: { 'x-sandbox-edge-region': 'sa-east-1' } });
    expect(response.status).toBe(502);
    expect(response.headers.get('x-cache')).toBe('LambdaValidationError from cloudfront');
    const found = await logs('sa-east-1').send(new FilterLogEventsCommand({ logGroupName: `/aws/cloudfront/LambdaEdge/${ID}` }));
    const record = JSON.parse(found.events!.at(-1)!.message!) as { requestId: string; eventType: string; errors: string[] };
    expect(record.requestId).toBe(response.headers.get('x-amz-cf-id'));
    expect(record.eventType).toBe('viewer-request');
    expect(record.errors.join(' ')).toMatch(/host/i);
    expect(api.seen).toHaveLength(0);
  });

  it('answers 503 when the function outlives its timeout, and the next request gets a fresh container', async () => {
    const arn = await publishFunction(sb, 'slow', `
      exports.handler = async (event) => {
        const r = event.Records[0].cf.request;
        if (r.uri === '/api/hang') await new Promise(() => {});
        return r;
      };`, { timeout: 1 });
    await associate(sb, ID, '/api/*', 'viewer-request', arn);
    const hung = await get('/api/hang');
    expect(hung.status).toBe(503);
    expect((await get('/api/fine')).status).toBe(200);
  });

  it('answers 503 LambdaLimitExceeded when Lambda throttles the invocation', async () => {
    const arn = await publishFunction(sb, 'noop', `exports.handler = async (event) => event.Records[0].cf.request;`);
    await associate(sb, ID, '/api/*', 'viewer-request', arn);
    await sb.admin('POST', 'faults', { service: 'lambda', operation: 'Invoke', error: 'TooManyRequestsException' });
    const throttled = await get('/api/x');
    expect(throttled.status).toBe(503);
    expect(throttled.headers.get('x-cache')).toBe('LambdaLimitExceeded from cloudfront');
    expect((await get('/api/x')).status).toBe(200);
  });

  it('keeps a function off the internet: a fetch beyond the origin map fails inside the function', async () => {
    const arn = await publishFunction(sb, 'phone-home', `
      exports.handler = async (event) => {
        try { await fetch('https://collector.example.net/beacon'); } catch (e) { console.log('refused:', e.message, String(e.cause && e.cause.message)); throw e; }
        return event.Records[0].cf.request;
      };`);
    await associate(sb, ID, '/api/*', 'viewer-request', arn);
    const response = await get('/api/x', { headers: { 'x-sandbox-edge-region': 'us-west-1' } });
    expect(response.status).toBe(503);
    const found = await logs('us-west-1').send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/us-east-1.phone-home', filterPattern: 'refused' }));
    expect(found.events![0]!.message).toMatch(/origin map/);
  });

  it('runs origin-request with the body (IncludeBody) and lets it send the request to another origin', async () => {
    const arn = await publishFunction(sb, 'reroute', `
      exports.handler = async (event) => {
        const r = event.Records[0].cf.request;
        const body = Buffer.from(r.body.data, 'base64').toString();
        r.origin = { custom: { domainName: 'other.example.com', port: 443, protocol: 'https', path: '', sslProtocols: ['TLSv1.2'], readTimeout: 30, keepaliveTimeout: 5, customHeaders: {} } };
        r.headers['host'] = [{ key: 'Host', value: 'other.example.com' }];
        r.headers['x-body-seen'] = [{ key: 'X-Body-Seen', value: body }];
        return r;
      };`);
    await associate(sb, ID, '/api/*', 'viewer-request', await publishFunction(sb, 'noop2', `exports.handler = async (event) => event.Records[0].cf.request;`));
    await associate(sb, ID, '/api/*', 'origin-request', arn, true);
    const response = await get('/api/submit', { method: 'POST', body: 'payload-123' });
    expect(response.status).toBe(200);
    expect(api.seen).toHaveLength(0);
    expect(other.seen[0]!.headers['x-body-seen']).toBe('payload-123');
    expect(other.seen[0]!.body).toBe('payload-123');
    expect(other.seen[0]!.url).toBe('/api/submit');
  });

  it('runs origin-response and viewer-response on the way back; viewer-response skips origin errors', async () => {
    await updateConfig(sb, ID, (behaviors) => {
      const target = behaviors.find((b) => b.pattern === '/api/*')!.behavior;
      target.LambdaFunctionAssociations = { Quantity: 0 };
    });
    const originResponse = await publishFunction(sb, 'stamp-origin', `exports.handler = async (event) => { const r = event.Records[0].cf.response; r.headers['x-origin-stamp'] = [{ key: 'X-Origin-Stamp', value: 'status-' + r.status }]; return r; };`);
    const viewerResponse = await publishFunction(sb, 'stamp-viewer', `exports.handler = async (event) => { const r = event.Records[0].cf.response; r.headers['x-viewer-stamp'] = [{ key: 'X-Viewer-Stamp', value: 'yes' }]; return r; };`);
    await associate(sb, ID, '/api/*', 'origin-response', originResponse);
    await associate(sb, ID, '/api/*', 'viewer-response', viewerResponse);
    const ok = await get('/api/fine');
    expect(ok.headers.get('x-origin-stamp')).toBe('status-200');
    expect(ok.headers.get('x-viewer-stamp')).toBe('yes');
    expect(await ok.text()).toBe('origin says hi');
    api.answer = () => ({ status: 500, body: 'broken' });
    const failed = await get('/api/broken');
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-origin-stamp')).toBe('status-500');
    expect(failed.headers.get('x-viewer-stamp')).toBeNull();
  });
});
