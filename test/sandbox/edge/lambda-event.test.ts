import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import { errorPage, errorPageHtml, ERROR_MESSAGES, xCacheForError } from '../../../src/sandbox/edge/error-page.js';
import {
  eventHeadersToPairs,
  headersToEventHeaders,
  interpretLambdaResult,
  lambdaEvent,
  parseLambdaPayload,
  validationLogGroup,
  validationLogRecord,
  type CfRequest,
  type CfResponse,
  type LambdaEventInput,
  type LambdaResult,
} from '../../../src/sandbox/edge/lambda-event.js';
import { invokesViewerResponse, KB, MB, readOnlyHeaders } from '../../../src/sandbox/edge/lambda-response-rules.js';
import type { EdgeOrigin, EdgeRequest, EdgeResponse, EventType, HeaderPair } from '../../../src/sandbox/edge/model.js';

// ---- fixtures ---------------------------------------------------------------------------

const context = (eventType: EventType) => ({
  distributionDomainName: 'd111111abcdef8.cloudfront.net',
  distributionId: 'EDFDVBD6EXAMPLE',
  eventType,
  requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
});

const viewerRequest = (over: Partial<EdgeRequest> = {}): EdgeRequest => ({
  method: 'GET',
  uri: '/picture.jpg',
  querystring: 'size=large',
  headers: [
    ['Host', 'd111111abcdef8.cloudfront.net'],
    ['User-Agent', 'curl/7.66.0'],
    ['accept', '*/*'],
    ['Cookie', 'a=1'],
    ['Cookie', 'b=2'],
    ['Connection', 'keep-alive'],
    ['X-Forwarded-Proto', 'https'],
  ],
  body: Buffer.alloc(0),
  clientIp: '203.0.113.178',
  ...over,
});

const originRequest = (over: Partial<EdgeRequest> = {}): EdgeRequest => ({
  method: 'GET',
  uri: '/',
  querystring: '',
  headers: [
    ['Host', 'example.org'],
    ['User-Agent', 'Amazon CloudFront'],
    ['Accept-Encoding', 'br,gzip'],
    ['X-Forwarded-For', '203.0.113.178'],
    ['Via', '2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)'],
    ['X-Amz-Cf-Id', '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ=='],
  ],
  body: Buffer.alloc(0),
  clientIp: '203.0.113.178',
  ...over,
});

const customOrigin = (over: Partial<Extract<EdgeOrigin, { kind: 'custom' }>> = {}): EdgeOrigin => ({
  kind: 'custom',
  domainName: 'example.org',
  port: 443,
  protocol: 'https',
  path: '',
  customHeaders: [['X-Origin-Secret', 's3cr3t']],
  readTimeout: 30,
  keepaliveTimeout: 5,
  sslProtocols: ['TLSv1.2'],
  ...over,
});

const s3Origin: EdgeOrigin = { kind: 's3', domainName: 'my-bucket.s3.us-east-1.amazonaws.com', path: '', customHeaders: [], authMethod: 'none', region: 'us-east-1' };

const originResponse = (over: Partial<EdgeResponse> = {}): EdgeResponse => ({
  status: 200,
  statusDescription: 'OK',
  headers: [
    ['Content-Type', 'text/html'],
    ['Content-Length', '11'],
    ['Via', '1.1 origin-proxy'],
    ['Transfer-Encoding', 'chunked'],
    ['Set-Cookie', 'theme=light'],
    ['Set-Cookie', 'sessionToken=abc123'],
    ['X-Cache', 'Miss from cloudfront'],
  ],
  body: Buffer.from('hello world'),
  ...over,
});

const viewerResponse = (over: Partial<EdgeResponse> = {}): EdgeResponse => ({
  status: 200,
  statusDescription: 'OK',
  headers: [
    ['Content-Type', 'text/html'],
    ['Content-Length', '11'],
    ['Via', '1.1 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)'],
    ['Warning', '110 - "Response is Stale"'],
    ['X-Cache', 'Hit from cloudfront'],
    ['X-Amz-Cf-Pop', 'LHR62-C2'],
  ],
  body: Buffer.from('hello world'),
  ...over,
});

/** The input for an event type, with the fixtures CloudFront would have at that point. */
function inputFor(eventType: EventType, over: Partial<LambdaEventInput> = {}): LambdaEventInput {
  switch (eventType) {
    case 'viewer-request':
      return { context: context(eventType), request: viewerRequest(), ...over };
    case 'origin-request':
      return { context: context(eventType), request: originRequest(), origin: customOrigin(), ...over };
    case 'origin-response':
      return { context: context(eventType), request: originRequest(), origin: customOrigin(), response: originResponse(), ...over };
    case 'viewer-response':
      return { context: context(eventType), request: viewerRequest(), response: viewerResponse(), ...over };
  }
}

type Cf = { config: unknown; request: CfRequest & Record<string, unknown>; response?: CfResponse & Record<string, unknown> };

/** The `cf` record of the event, as a function gets it (a JSON copy it may change). */
function cfOf(input: LambdaEventInput): Cf {
  return (JSON.parse(JSON.stringify(lambdaEvent(input))) as { Records: [{ cf: Cf }] }).Records[0].cf;
}

/** Runs a "function" that changes the request (request events) or response (response events) and returns it. */
function run(input: LambdaEventInput, change: (cf: Cf) => unknown = (cf) => cf.response ?? cf.request, options?: Parameters<typeof interpretLambdaResult>[2]): LambdaResult {
  return interpretLambdaResult(input, change(cfOf(input)), options);
}

function expectInvalid(result: LambdaResult, fragment: string | RegExp, reason?: string): void {
  expect(result.kind, JSON.stringify(result)).toBe('invalid');
  if (result.kind !== 'invalid') return;
  expect(result.errors.join('\n')).toMatch(fragment);
  if (reason) expect(result.reason).toBe(reason);
}

const READ_ONLY_REASON = 'The Lambda function result failed validation: The function tried to add, delete, or change a read-only header.';
const BODY_REASON = 'The Lambda function result failed validation: The body is not a string, is not an object, or exceeds the maximum size.';
const EVENT_TYPES: EventType[] = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'];

// ---- the event --------------------------------------------------------------------------

describe('lambdaEvent', () => {
  it('viewer-request: the documented shape, headers keyed by lower-case name with the viewer\'s key, disallowed headers left out', () => {
    expect(lambdaEvent(inputFor('viewer-request'))).toEqual({
      Records: [
        {
          cf: {
            config: {
              distributionDomainName: 'd111111abcdef8.cloudfront.net',
              distributionId: 'EDFDVBD6EXAMPLE',
              eventType: 'viewer-request',
              requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
            },
            request: {
              clientIp: '203.0.113.178',
              headers: {
                host: [{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }],
                'user-agent': [{ key: 'User-Agent', value: 'curl/7.66.0' }],
                accept: [{ key: 'accept', value: '*/*' }],
                cookie: [
                  { key: 'Cookie', value: 'a=1' },
                  { key: 'Cookie', value: 'b=2' },
                ],
              },
              method: 'GET',
              querystring: 'size=large',
              uri: '/picture.jpg',
            },
          },
        },
      ],
    });
  });

  it('origin-request: request.origin.custom with every documented field; CloudFront\'s Via, X-Forwarded-For and User-Agent are visible, X-Amz-Cf-Id is not', () => {
    const cf = lambdaEvent(inputFor('origin-request')).Records[0].cf;
    expect(cf.config.eventType).toBe('origin-request');
    expect(Object.keys(cf.request.headers)).toEqual(['host', 'user-agent', 'accept-encoding', 'x-forwarded-for', 'via']);
    expect(cf.request.headers['user-agent']).toEqual([{ key: 'User-Agent', value: 'Amazon CloudFront' }]);
    expect(cf.request.origin).toEqual({
      custom: {
        customHeaders: { 'x-origin-secret': [{ key: 'X-Origin-Secret', value: 's3cr3t' }] },
        domainName: 'example.org',
        keepaliveTimeout: 5,
        path: '',
        port: 443,
        protocol: 'https',
        readTimeout: 30,
        sslProtocols: ['TLSv1.2'],
      },
    });
    expect(cf.response).toBeUndefined();
    expect(cf.request.body).toBeUndefined();
  });

  it('origin-request with an S3 origin: request.origin.s3', () => {
    const cf = lambdaEvent(inputFor('origin-request', { origin: s3Origin })).Records[0].cf;
    expect(cf.request.origin).toEqual({ s3: { authMethod: 'none', customHeaders: {}, domainName: 'my-bucket.s3.us-east-1.amazonaws.com', path: '', region: 'us-east-1' } });
  });

  it('origin-response: the request with its origin, the response with a string status, no body', () => {
    const cf = lambdaEvent(inputFor('origin-response', { response: originResponse({ status: 404, statusDescription: 'Not Found' }) })).Records[0].cf;
    expect(cf.request.origin).toBeDefined();
    expect(cf.response).toEqual({
      headers: {
        'content-type': [{ key: 'Content-Type', value: 'text/html' }],
        'content-length': [{ key: 'Content-Length', value: '11' }],
        via: [{ key: 'Via', value: '1.1 origin-proxy' }],
        'transfer-encoding': [{ key: 'Transfer-Encoding', value: 'chunked' }],
        'set-cookie': [
          { key: 'Set-Cookie', value: 'theme=light' },
          { key: 'Set-Cookie', value: 'sessionToken=abc123' },
        ],
      },
      status: '404',
      statusDescription: 'Not Found',
    });
    expect(cf.response).not.toHaveProperty('body');
  });

  it('viewer-response: no origin, X-Cache and X-Amz-Cf-* not exposed, a missing statusDescription is the standard phrase', () => {
    const cf = lambdaEvent(inputFor('viewer-response', { response: viewerResponse({ status: 304, statusDescription: undefined }) })).Records[0].cf;
    expect(cf.request.origin).toBeUndefined();
    expect(cf.response!.status).toBe('304');
    expect(cf.response!.statusDescription).toBe('Not Modified');
    expect(Object.keys(cf.response!.headers)).toEqual(['content-type', 'content-length', 'via', 'warning']);
  });

  it('a response event without the response is a programming error', () => {
    expect(() => lambdaEvent({ context: context('viewer-response'), request: viewerRequest() })).toThrow(/needs the response/);
  });

  it.each([
    ['viewer-request', true, true],
    ['origin-request', true, true],
    ['origin-response', true, false],
    ['viewer-response', true, false],
    ['viewer-request', false, false],
    ['origin-request', false, false],
  ] as const)('%s with includeBody=%s exposes the body: %s', (eventType, includeBody, exposed) => {
    const input = inputFor(eventType, { includeBody });
    input.request = { ...input.request, method: 'POST', body: Buffer.from('{"a":1}') };
    const body = lambdaEvent(input).Records[0].cf.request.body;
    if (exposed) expect(body).toEqual({ inputTruncated: false, action: 'read-only', encoding: 'base64', data: Buffer.from('{"a":1}').toString('base64') });
    else expect(body).toBeUndefined();
  });

  it.each([
    ['viewer-request', 40 * KB - 1, false],
    ['viewer-request', 40 * KB, false],
    ['viewer-request', 40 * KB + 1, true],
    ['origin-request', MB - 1, false],
    ['origin-request', MB, false],
    ['origin-request', MB + 1, true],
  ] as const)('%s: a %i-byte body is exposed truncated=%s at the limit', (eventType, size, truncated) => {
    const input = inputFor(eventType, { includeBody: true });
    input.request = { ...input.request, method: 'POST', body: Buffer.alloc(size, 0x61) };
    const body = lambdaEvent(input).Records[0].cf.request.body!;
    expect(body.inputTruncated).toBe(truncated);
    expect(Buffer.from(body.data, 'base64').length).toBe(Math.min(size, eventType === 'viewer-request' ? 40 * KB : MB));
  });
});

// ---- headers ----------------------------------------------------------------------------

describe('headers', () => {
  it('round-trip keeps the viewer\'s key case and every value, in order', () => {
    const pairs: HeaderPair[] = [
      ['X-Custom-HEADER', 'one'],
      ['accept', 'text/html'],
      ['x-custom-header', 'two'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ];
    const event = headersToEventHeaders(pairs);
    expect(event['x-custom-header']).toEqual([
      { key: 'X-Custom-HEADER', value: 'one' },
      { key: 'x-custom-header', value: 'two' },
    ]);
    // Grouped by name in order of first appearance: A, B, A becomes A, A, B.
    expect(eventHeadersToPairs(event)).toEqual([pairs[0], pairs[2], pairs[1], pairs[3], pairs[4]]);
  });

  it('a header without key gets the name with initial capitals', () => {
    expect(eventHeadersToPairs({ 'content-type': [{ value: 'text/html;charset=UTF-8' }], 'x-amz-meta-id': [{ value: '1' }] })).toEqual([
      ['Content-Type', 'text/html;charset=UTF-8'],
      ['X-Amz-Meta-Id', '1'],
    ]);
  });

  it('a function that passes the request through keeps every header, the hidden ones included', () => {
    const input = inputFor('origin-request');
    const result = run(input);
    expect(result).toMatchObject({ kind: 'request', bodyReplaced: false, notes: [] });
    if (result.kind !== 'request') return;
    expect(result.request.headers).toEqual([...input.request.headers.filter(([n]) => n !== 'X-Amz-Cf-Id'), ['X-Amz-Cf-Id', '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==']]);
    expect(result.origin).toEqual(input.origin);
  });

  it('viewer-request pass-through keeps the viewer\'s case, repeats, and the hidden Connection / X-Forwarded-Proto', () => {
    const result = run(inputFor('viewer-request'));
    expect(result.kind).toBe('request');
    if (result.kind !== 'request') return;
    expect(result.request.headers).toEqual(viewerRequest().headers);
  });

  it('an added header, with and without key, is kept', () => {
    const result = run(inputFor('viewer-request'), (cf) => {
      cf.request.headers['x-experiment'] = [{ key: 'X-Experiment', value: 'B' }];
      cf.request.headers['content-type'] = [{ value: 'text/plain' }];
      return cf.request;
    });
    expect(result.kind).toBe('request');
    if (result.kind !== 'request') return;
    expect(result.request.headers).toContainEqual(['X-Experiment', 'B']);
    expect(result.request.headers).toContainEqual(['Content-Type', 'text/plain']);
  });

  it('an empty array removes a header', () => {
    const result = run(inputFor('viewer-request'), (cf) => {
      cf.request.headers['cookie'] = [];
      return cf.request;
    });
    expect(result.kind === 'request' && result.request.headers.some(([n]) => n === 'Cookie')).toBe(false);
  });

  it.each([
    ['headers not an object', (cf: Cf) => ({ ...cf.request, headers: [] }), /request\.headers must be an object/],
    ['headers missing', (cf: Cf) => ({ ...cf.request, headers: undefined }), /request\.headers is missing/],
    ['a mixed-case name', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'X-Frame-Options': [{ key: 'X-Frame-Options', value: 'DENY' }] } }), /\["X-Frame-Options"\].*lower case \("x-frame-options"\)/],
    ['a name that is no token', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'bad header': [{ value: 'x' }] } }), /\["bad header"\]: not a valid header name/],
    ['entries not an array', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'x-a': { key: 'X-A', value: '1' } } }), /\["x-a"\] must be an array/],
    ['a key that is another header', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'x-a': [{ key: 'X-B', value: '1' }] } }), /\["x-a"\]\[0\]\.key "X-B" does not match/],
    ['a value that is not a string', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'x-a': [{ key: 'X-A', value: 1 }] } }), /\["x-a"\]\[0\]\.value must be a string \(got number 1\)/],
    ['a value with a line break', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'x-a': [{ key: 'X-A', value: 'a\r\nX-Injected: 1' }] } }), /\["x-a"\]\[0\]\.value contains a line break/],
    ['a value with a character beyond Latin-1', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'x-price': [{ key: 'X-Price', value: '5 €' }] } }), /\["x-price"\]\[0\]\.value contains U\+20AC \("€"\) at index 2, which an HTTP header cannot carry/],
    ['a value with a control character', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'x-a': [{ key: 'X-A', value: 'a\u0001b' }] } }), /\["x-a"\]\[0\]\.value contains U\+0001 \("\\u0001"\) at index 1/],
    ['a value with DEL', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'x-a': [{ key: 'X-A', value: 'a\u007f' }] } }), /\["x-a"\]\[0\]\.value contains U\+007F/],
    ['a key that lower-cases to the name but is no header name', (cf: Cf) => ({ ...cf.request, headers: { ...cf.request.headers, k: [{ key: '\u212a', value: '1' }] } }), /\["k"\]\[0\]\.key "\u212a" is not a valid header name: U\+212A/],
  ])('refuses %s, naming it', (_name, change, fragment) => {
    expectInvalid(run(inputFor('viewer-request'), change), fragment, undefined);
  });

  it('accepts what an HTTP header can carry: tab, space, visible ASCII and Latin-1 bytes', () => {
    const value = 'caf\u00e9\t~ !';
    const result = run(inputFor('viewer-request'), (cf) => ({ ...cf.request, headers: { ...cf.request.headers, 'x-a': [{ key: 'X-A', value }] } }));
    expect(result.kind === 'request' && result.request.headers).toContainEqual(['X-A', value]);
    expect(() => validateHeaderValue('x-a', value)).not.toThrow();
  });

  it('refuses a header value Node cannot send in every event type, in generated responses and in origin custom headers', () => {
    // Each of these would make Node's writeHead / http.request throw ERR_INVALID_CHAR (a 500 instead of CloudFront's 502).
    for (const bad of ['5 €', 'a\u0001b', '\u{1F600}']) {
      expect(() => validateHeaderValue('x-a', bad)).toThrow();
      for (const eventType of EVENT_TYPES) {
        const result = run(inputFor(eventType), (cf) => {
          const target = cf.response ?? cf.request;
          target.headers['x-a'] = [{ value: bad }];
          return target;
        });
        expectInvalid(result, /\["x-a"\]\[0\]\.value contains U\+[0-9A-F]{4,5} .*which an HTTP header cannot carry/, 'The Lambda function result failed validation: The function returned invalid headers.');
      }
      const generated = run(inputFor('viewer-request'), () => ({ status: '200', headers: { 'x-a': [{ value: bad }] } }));
      expectInvalid(generated, /response\.headers\["x-a"\]\[0\]\.value contains U\+/);
      const origin = run(inputFor('origin-request'), (cf) => ({
        ...cf.request,
        origin: { custom: { customHeaders: { 'x-a': [{ value: bad }] }, domainName: 'api.example.com', keepaliveTimeout: 5, path: '', port: 443, protocol: 'https', readTimeout: 30, sslProtocols: ['TLSv1.2'] } },
      }));
      expectInvalid(origin, /request\.origin\.custom\.customHeaders\["x-a"\]\[0\]\.value contains U\+/);
    }
  });

  it.each([
    ['connection', 'close'],
    ['x-forwarded-proto', 'http'],
    ['x-real-ip', '1.2.3.4'],
    ['x-amz-cf-id', 'forged'],
    ['x-amz-cf-pop', 'LHR'],
    ['x-edge-location', 'x'],
    ['x-amzn-requestid', 'x'],
    ['x-cache', 'Hit from cloudfront'],
  ])('refuses an added disallowed header %s in every event type', (name, value) => {
    for (const eventType of EVENT_TYPES) {
      const result = run(inputFor(eventType), (cf) => {
        const target = cf.response ?? cf.request;
        target.headers[name] = [{ value }];
        return target;
      });
      expectInvalid(result, new RegExp(`\\["${name}"\\]: .* is a disallowed header`), 'The Lambda function result failed validation: The function tried to add a disallowed header.');
    }
  });
});

// ---- read-only headers ------------------------------------------------------------------

describe('read-only headers', () => {
  const table = EVENT_TYPES.flatMap((eventType) => readOnlyHeaders(eventType).map((name) => [eventType, name] as const));

  it('are the documented lists', () => {
    expect(readOnlyHeaders('viewer-request')).toEqual(['content-length', 'host', 'transfer-encoding', 'via']);
    expect(readOnlyHeaders('origin-request')).toEqual(['accept-encoding', 'content-length', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'transfer-encoding', 'via']);
    expect(readOnlyHeaders('origin-response')).toEqual(['transfer-encoding', 'via']);
    expect(readOnlyHeaders('viewer-response')).toEqual(['warning', 'via']);
  });

  it.each(table)('%s: changing, adding or deleting %s is refused, passing it through is not', (eventType, name) => {
    const base = inputFor(eventType);
    // Start from an input that carries the header, so change and delete can be tried.
    const withHeader: LambdaEventInput = base.response
      ? { ...base, response: { ...base.response, headers: [...base.response.headers.filter(([n]) => n.toLowerCase() !== name), [name, 'original']] } }
      : { ...base, request: { ...base.request, headers: [...base.request.headers.filter(([n]) => n.toLowerCase() !== name), [name, 'original']] } };
    const without: LambdaEventInput = base.response
      ? { ...base, response: { ...base.response, headers: base.response.headers.filter(([n]) => n.toLowerCase() !== name) } }
      : { ...base, request: { ...base.request, headers: base.request.headers.filter(([n]) => n.toLowerCase() !== name) } };
    const target = (cf: Cf) => cf.response ?? cf.request;

    expect(run(withHeader).kind).not.toBe('invalid');
    const changed = run(withHeader, (cf) => ((target(cf).headers[name] = [{ value: 'changed' }]), target(cf)));
    expectInvalid(changed, new RegExp(`\\["${name}"\\]: .* is read-only in ${eventType} events; the function tried to change it`), READ_ONLY_REASON);
    const deleted = run(withHeader, (cf) => (delete target(cf).headers[name], target(cf)));
    expectInvalid(deleted, new RegExp(`\\["${name}"\\]: .*tried to delete it`), READ_ONLY_REASON);
    const added = run(without, (cf) => ((target(cf).headers[name] = [{ value: 'added' }]), target(cf)));
    expectInvalid(added, new RegExp(`\\["${name}"\\]: .*tried to add it`), READ_ONLY_REASON);
  });

  it('viewer-request: CloudFront-Viewer-Country cannot be added or changed, but a viewer\'s copy may be removed', () => {
    const added = run(inputFor('viewer-request'), (cf) => ((cf.request.headers['cloudfront-viewer-country'] = [{ value: 'US' }]), cf.request));
    expectInvalid(added, /\["cloudfront-viewer-country"\]: a viewer-request function cannot add CloudFront-Viewer-Country/i);
    const spoofed = inputFor('viewer-request', { request: viewerRequest({ headers: [...viewerRequest().headers, ['CloudFront-Viewer-Country', 'FR']] }) });
    expect(run(spoofed, (cf) => (delete cf.request.headers['cloudfront-viewer-country'], cf.request)).kind).toBe('request');
    expectInvalid(run(spoofed, (cf) => ((cf.request.headers['cloudfront-viewer-country'] = [{ value: 'US' }]), cf.request)), /cannot add CloudFront-Viewer-Country/i);
    expect(run(inputFor('origin-request'), (cf) => ((cf.request.headers['cloudfront-viewer-country'] = [{ value: 'US' }]), cf.request)).kind).toBe('request');
  });

  it('changing only the key\'s case of a read-only header is not a change', () => {
    const result = run(inputFor('viewer-request'), (cf) => {
      cf.request.headers['host'] = [{ key: 'host', value: 'd111111abcdef8.cloudfront.net' }];
      return cf.request;
    });
    expect(result.kind).toBe('request');
  });

  it('Host is writable in origin-request events (origin switching sets it)', () => {
    const result = run(inputFor('origin-request'), (cf) => {
      cf.request.headers['host'] = [{ key: 'Host', value: 'other.example.org' }];
      return cf.request;
    });
    expect(result.kind === 'request' && result.request.headers).toContainEqual(['Host', 'other.example.org']);
  });

  it('Content-Length in a generated origin-request response is an added read-only header (as AWS answers)', () => {
    const result = run(inputFor('origin-request'), () => ({ status: '200', headers: { 'content-length': [{ key: 'Content-Length', value: '2' }] }, body: 'ok' }));
    expectInvalid(result, /\["content-length"\]: Content-Length is read-only in origin-request events; the function tried to add it/, READ_ONLY_REASON);
  });
});

// ---- URI and query string ---------------------------------------------------------------

describe('uri and querystring', () => {
  const withRequest = (fields: Record<string, unknown>) => (cf: Cf) => ({ ...cf.request, ...fields });

  it.each([
    ['a new path', { uri: '/index.html' }, null],
    ['a new query string', { querystring: 'a=1&b=%20' }, null],
    ['no query string', { querystring: '' }, null],
    ['a path without a leading slash', { uri: 'index.html' }, /request\.uri "index\.html" must begin with a slash/],
    ['a path with a query', { uri: '/a?b=1' }, /request\.uri "\/a\?b=1" must not contain '\?' or '#'/],
    ['a path with a space', { uri: '/a b' }, /request\.uri must not contain spaces/],
    ['a path that is not a string', { uri: 42 }, /request\.uri must be a string/],
    ['a missing path', { uri: undefined }, /request\.uri is missing/],
    ['a query string with a leading ?', { querystring: '?a=1' }, /request\.querystring must not begin with '\?'/],
    ['a query string with a space', { querystring: 'a=1 2' }, /request\.querystring must not contain spaces/],
    ['a query string with a control character', { querystring: 'a=\u0001' }, /request\.querystring must not contain spaces or control characters/],
    ['a query string with a fragment', { querystring: 'a=1#top' }, /request\.querystring must not contain the fragment identifier/],
    ['a URL-encoded path', { uri: '/caf%C3%A9/%E2%82%AC' }, null],
    ['a path with a non-ASCII character', { uri: '/café' }, /request\.uri contains U\+00E9 \("é"\) at index 4, which cannot go on the request line: it must be URL-encoded \(%C3%A9\)/],
    ['a path with a character beyond Latin-1', { uri: '/€' }, /request\.uri contains U\+20AC \("€"\) at index 1, .*URL-encoded \(%E2%82%AC\)/],
    ['a path with a lone surrogate', { uri: '/a\ud800' }, /request\.uri contains U\+D800 .*must be URL-encoded$/],
    ['a path with a tab', { uri: '/a\tb' }, /request\.uri must not contain spaces or control characters/],
    ['a path with DEL', { uri: '/a\u007f' }, /request\.uri must not contain spaces or control characters/],
    ['a query string with a non-ASCII character', { querystring: 'q=ü' }, /request\.querystring contains U\+00FC \("ü"\) at index 2, which cannot go on the request line: it must be URL-encoded \(%C3%BC\)/],
  ])('%s', (_name, fields, fragment) => {
    for (const eventType of ['viewer-request', 'origin-request'] as const) {
      const result = run(inputFor(eventType), withRequest(fields));
      if (fragment) expectInvalid(result, fragment);
      else {
        expect(result.kind).toBe('request');
        if (result.kind === 'request') expect(result.request).toMatchObject(fields);
      }
    }
  });

  it('URI and query string together must be less than 8,192 characters', () => {
    const ok = run(inputFor('viewer-request'), withRequest({ uri: `/${'a'.repeat(8000)}`, querystring: 'q'.repeat(8191 - 8001) }));
    expect(ok.kind).toBe('request');
    const tooLong = run(inputFor('viewer-request'), withRequest({ uri: `/${'a'.repeat(8000)}`, querystring: 'q'.repeat(8192 - 8001) }));
    expectInvalid(tooLong, /the URI and query string are 8192 characters; they must be less than 8192/);
  });

  it('a missing query string keeps the old one, noted', () => {
    const result = run(inputFor('viewer-request'), withRequest({ querystring: undefined }));
    expect(result).toMatchObject({ kind: 'request', request: { querystring: 'size=large' } });
    expect(result.kind === 'request' && result.notes).toEqual(['request.querystring is missing: the query string stays as it was']);
  });

  it('read-only method and clientIp keep CloudFront\'s values, noted', () => {
    const result = run(inputFor('viewer-request'), withRequest({ method: 'DELETE', clientIp: '10.0.0.1' }));
    expect(result).toMatchObject({ kind: 'request', request: { method: 'GET', clientIp: '203.0.113.178' } });
    expect(result.kind === 'request' && result.notes.join('\n')).toMatch(/request\.method is read-only.*\n.*request\.clientIp is read-only/);
  });

  it('response events ignore changes to the request', () => {
    const result = run(inputFor('viewer-response'), (cf) => {
      cf.request.uri = 'not a uri';
      return cf.response;
    });
    expect(result.kind).toBe('response');
  });
});

// ---- request bodies ---------------------------------------------------------------------

describe('request body (IncludeBody)', () => {
  const post = (eventType: 'viewer-request' | 'origin-request'): LambdaEventInput => {
    const input = inputFor(eventType, { includeBody: true });
    input.request = { ...input.request, method: 'POST', body: Buffer.from('original'), headers: [...input.request.headers.filter(([n]) => n !== 'Content-Length'), ['Content-Length', '8']] };
    return input;
  };
  const withBody = (body: unknown) => (cf: Cf) => ({ ...cf.request, body });

  it('read-only: the full original body goes on, changes to data ignored', () => {
    const result = run(post('viewer-request'), withBody({ action: 'read-only', encoding: 'text', data: 'changed', inputTruncated: false }));
    expect(result).toMatchObject({ kind: 'request', bodyReplaced: false });
    expect(result.kind === 'request' && result.request.body.toString()).toBe('original');
  });

  it.each([
    ['text', 'replaced body', 'replaced body'],
    ['base64', Buffer.from('replaced body').toString('base64'), 'replaced body'],
  ])('replace with %s encoding; Content-Length describes the new body', (encoding, data, expected) => {
    for (const eventType of ['viewer-request', 'origin-request'] as const) {
      const result = run(post(eventType), withBody({ action: 'replace', encoding, data, inputTruncated: false }));
      expect(result).toMatchObject({ kind: 'request', bodyReplaced: true });
      if (result.kind !== 'request') continue;
      expect(result.request.body.toString()).toBe(expected);
      expect(result.request.headers).toContainEqual(['Content-Length', String(expected.length)]);
    }
  });

  it('replace without encoding defaults to base64', () => {
    const result = run(post('viewer-request'), withBody({ action: 'replace', data: Buffer.from('x').toString('base64') }));
    expect(result.kind === 'request' && result.request.body.toString()).toBe('x');
  });

  it.each([
    ['invalid base64', { action: 'replace', encoding: 'base64', data: 'not base64!' }, /request\.body\.data is not valid base64/],
    ['base64 without padding', { action: 'replace', encoding: 'base64', data: 'YWJj ZA' }, /request\.body\.data is not valid base64/],
    ['an unknown action', { action: 'append', encoding: 'text', data: 'x' }, /request\.body\.action must be "read-only" or "replace" \(got "append"\)/],
    ['an unknown encoding', { action: 'replace', encoding: 'gzip', data: 'x' }, /request\.body\.encoding must be "text" or "base64"/],
    ['data that is not a string', { action: 'replace', encoding: 'text', data: 42 }, /request\.body\.data must be a string/],
    ['a body that is not an object', 'raw', /request\.body must be an object/],
  ])('refuses %s', (_name, body, fragment) => {
    expectInvalid(run(post('origin-request'), withBody(body)), fragment, BODY_REASON);
  });

  it.each([
    ['viewer-request', 'text', 40 * KB],
    ['origin-request', 'text', MB],
    ['viewer-request', 'base64', 54476],
    ['origin-request', 'base64', 1394606],
  ] as const)('%s %s replacement: %i is the most allowed', (eventType, encoding, limit) => {
    const make = (n: number) => (encoding === 'text' ? 'a'.repeat(n) : 'A'.repeat(n - (n % 4)));
    const atLimit = make(limit);
    expect(run(post(eventType), withBody({ action: 'replace', encoding, data: atLimit })).kind).toBe('request');
    const over = encoding === 'text' ? make(limit + 1) : 'A'.repeat(limit - (limit % 4) + 4);
    expectInvalid(run(post(eventType), withBody({ action: 'replace', encoding, data: over })), /request\.body\.data is \d+ .* may be at most/, BODY_REASON);
  });

  it('a body returned without IncludeBody is ignored, noted', () => {
    const input = { ...post('viewer-request'), includeBody: false };
    const result = run(input, withBody({ action: 'replace', encoding: 'text', data: 'x' }));
    expect(result).toMatchObject({ kind: 'request', bodyReplaced: false, notes: ['request.body ignored: the association does not include the body'] });
  });
});

// ---- generated responses ----------------------------------------------------------------

describe('generated responses (request events)', () => {
  const generate = (response: Record<string, unknown>) => () => response;

  it('a redirect with headers, in both request events', () => {
    for (const eventType of ['viewer-request', 'origin-request'] as const) {
      const result = run(inputFor(eventType), generate({ status: '302', statusDescription: 'Found', headers: { location: [{ key: 'Location', value: 'https://example.com/' }] } }));
      expect(result).toEqual({ kind: 'generated-response', response: { status: 302, statusDescription: 'Found', headers: [['Location', 'https://example.com/']], body: Buffer.alloc(0) }, notes: [] });
    }
  });

  it('a statusDescription that cannot go on the status line is refused; Latin-1 is fine', () => {
    for (const eventType of ['viewer-request', 'origin-request'] as const) {
      expectInvalid(run(inputFor(eventType), generate({ status: 200, statusDescription: 'OK €' })), /response\.statusDescription contains U\+20AC \("€"\) at index 3, which a status line cannot carry/);
      expectInvalid(run(inputFor(eventType), generate({ status: 200, statusDescription: 'OK\r\nX: 1' })), /response\.statusDescription contains U\+000D/);
      expect(run(inputFor(eventType), generate({ status: 200, statusDescription: 'Tr\u00e8s bien' }))).toMatchObject({ kind: 'generated-response', response: { statusDescription: 'Très bien' } });
    }
    for (const eventType of ['origin-response', 'viewer-response'] as const) {
      expectInvalid(run(inputFor(eventType), (cf) => ({ ...cf.response, statusDescription: 'OK €' })), /response\.statusDescription contains U\+20AC/);
    }
  });

  it('only status is required; statusDescription defaults to the standard phrase', () => {
    expect(run(inputFor('viewer-request'), generate({ status: 401 }))).toMatchObject({ kind: 'generated-response', response: { status: 401, statusDescription: 'Unauthorized', headers: [] } });
  });

  it.each([
    [200, true],
    ['200', true],
    [599, true],
    [199, false],
    [600, false],
    ['abc', false],
    [200.5, false],
    ['', false],
  ])('status %j accepted: %s', (status, ok) => {
    const result = run(inputFor('viewer-request'), generate({ status: status as unknown }));
    if (ok) expect(result.kind).toBe('generated-response');
    else expectInvalid(result, /response\.status/, 'The Lambda function result failed validation: The function returned an invalid status code.');
  });

  it.each([
    ['text body', { body: '<h1>hi</h1>' }, '<h1>hi</h1>'],
    ['text body with bodyEncoding text', { body: 'hi', bodyEncoding: 'text' }, 'hi'],
    ['base64 body', { body: Buffer.from([0, 1, 2, 255]).toString('base64'), bodyEncoding: 'base64' }, Buffer.from([0, 1, 2, 255]).toString('latin1')],
  ])('%s', (_name, fields, expected) => {
    const result = run(inputFor('viewer-request'), generate({ status: 200, ...fields }));
    expect(result.kind === 'generated-response' && result.response.body.toString('latin1')).toBe(expected);
  });

  it.each([
    ['invalid base64', { body: 'abc', bodyEncoding: 'base64' }, /response\.body is not valid base64/],
    ['an unknown bodyEncoding', { body: 'abc', bodyEncoding: 'gzip' }, /response\.bodyEncoding must be "text" or "base64" \(got "gzip"\)/],
    ['a body that is not a string', { body: { a: 1 } }, /response\.body must be a string \(got an object\)/],
  ])('refuses %s', (_name, fields, fragment) => {
    expectInvalid(run(inputFor('origin-request'), generate({ status: 200, ...fields })), fragment, BODY_REASON);
  });

  it('a 204 with a body is refused in viewer-request events (the guide names no other event)', () => {
    expectInvalid(run(inputFor('viewer-request'), generate({ status: 204, body: 'x' })), /204 \(No Content\) response cannot have a body/);
    expect(run(inputFor('viewer-request'), generate({ status: 204, body: '' })).kind).toBe('generated-response');
    expect(run(inputFor('origin-request'), generate({ status: 204, body: 'x' })).kind).toBe('generated-response');
  });

  it.each([
    ['viewer-request', 40 * KB],
    ['origin-request', MB],
  ] as const)('%s: headers and body together may be %i bytes, not one more', (eventType, limit) => {
    const header = { 'x-a': [{ key: 'X-A', value: 'b' }] }; // "X-A: b\r\n" = 8 bytes
    expect(run(inputFor(eventType), generate({ status: 200, headers: header, body: 'a'.repeat(limit - 8) })).kind).toBe('generated-response');
    expectInvalid(run(inputFor(eventType), generate({ status: 200, headers: header, body: 'a'.repeat(limit - 7) })), new RegExp(`generated response is ${limit + 1} bytes \\(headers and body\\); ${eventType} functions may generate at most ${limit}`), BODY_REASON);
  });

  it('a base64 body counts as the encoded text the function returned', () => {
    const data = Buffer.alloc(31 * KB).toString('base64'); // 42,328 characters
    expectInvalid(run(inputFor('viewer-request'), generate({ status: 200, body: data, bodyEncoding: 'base64' })), /generated response is 42328 bytes/);
  });

  it('a disallowed header in a generated response is refused', () => {
    expectInvalid(run(inputFor('viewer-request'), generate({ status: 200, headers: { 'x-cache': [{ value: 'Hit' }] } })), /\["x-cache"\]: X-Cache is a disallowed header/);
  });
});

// ---- response events --------------------------------------------------------------------

describe('response events', () => {
  it('a pass-through keeps status, headers (hidden ones included) and the origin\'s body', () => {
    const input = inputFor('origin-response');
    expect(run(input)).toEqual({ kind: 'response', response: input.response, notes: [] });
  });

  it('origin-response may change the status (e.g. an error into a 200 with a body) and set the body', () => {
    const input = inputFor('origin-response', { response: originResponse({ status: 404, statusDescription: 'Not Found' }) });
    const result = run(input, (cf) => {
      cf.response!.status = '200';
      cf.response!.statusDescription = 'OK';
      cf.response!.headers['content-type'] = [{ key: 'Content-Type', value: 'text/plain' }];
      return { ...cf.response, body: 'fallback' };
    });
    expect(result.kind).toBe('response');
    if (result.kind !== 'response') return;
    expect(result.response.status).toBe(200);
    expect(result.response.statusDescription).toBe('OK');
    expect(result.response.body.toString()).toBe('fallback');
    expect(result.response.headers).toContainEqual(['Content-Length', '8']);
  });

  it('a new status without a description gets the standard phrase', () => {
    const result = run(inputFor('origin-response'), (cf) => ({ status: 301, headers: cf.response!.headers }));
    expect(result).toMatchObject({ kind: 'response', response: { status: 301, statusDescription: 'Moved Permanently' } });
  });

  it('origin-response status outside 200–599 is refused', () => {
    expectInvalid(run(inputFor('origin-response'), (cf) => ({ ...cf.response, status: '700' })), /response\.status 700 is not between 200 and 599/);
  });

  it('viewer-response functions run only for origin statuses below 400', () => {
    expect([200, 304, 399, 400, 404, 503].map(invokesViewerResponse)).toEqual([true, true, true, false, false, false]);
  });

  it('viewer-response cannot change the status: refused by default', () => {
    expectInvalid(run(inputFor('viewer-response'), (cf) => ({ ...cf.response, status: '404' })), /viewer-response functions cannot change the status code \(200 → 404\)/);
  });

  it('viewer-response status change, with viewerResponseStatusChange "ignore": the original status stays, noted', () => {
    const result = run(inputFor('viewer-response'), (cf) => ({ ...cf.response, status: '404' }), { viewerResponseStatusChange: 'ignore' });
    expect(result).toMatchObject({ kind: 'response', response: { status: 200 } });
    expect(result.kind === 'response' && result.notes[0]).toMatch(/cannot change the status code; 404 ignored, 200 kept/);
  });

  it('viewer-response may add headers and change Content-Length (not read-only there)', () => {
    const result = run(inputFor('viewer-response'), (cf) => {
      cf.response!.headers['strict-transport-security'] = [{ key: 'Strict-Transport-Security', value: 'max-age=63072000' }];
      cf.response!.headers['content-length'] = [{ key: 'Content-Length', value: '11' }];
      return cf.response;
    });
    expect(result.kind === 'response' && result.response.headers).toContainEqual(['Strict-Transport-Security', 'max-age=63072000']);
  });

  it.each([
    ['viewer-response', 40 * KB],
    ['origin-response', MB],
  ] as const)('%s: a body the function sets counts toward %i bytes with the headers', (eventType, limit) => {
    const input = inputFor(eventType, { response: { status: 200, statusDescription: 'OK', headers: [], body: Buffer.alloc(0) } });
    expect(run(input, (cf) => ({ ...cf.response, body: 'a'.repeat(limit) })).kind).toBe('response');
    expectInvalid(run(input, (cf) => ({ ...cf.response, body: 'a'.repeat(limit + 1) })), new RegExp(`is ${limit + 1} bytes`), BODY_REASON);
  });

  it.each([
    ['a missing status', (cf: Cf) => ({ headers: cf.response!.headers }), /response\.status is missing/],
    ['missing headers', (cf: Cf) => ({ status: '200' }), /response\.headers is missing/],
    ['a statusDescription that is not a string', (cf: Cf) => ({ ...cf.response, statusDescription: 404 }), /response\.statusDescription must be a string/],
  ])('refuses %s', (_name, change, fragment) => {
    expectInvalid(run(inputFor('origin-response'), change), fragment);
  });
});

// ---- origins ----------------------------------------------------------------------------

describe('origin changes (origin-request)', () => {
  const customEvent = (over: Record<string, unknown> = {}) => ({
    custom: { customHeaders: {}, domainName: 'api.example.com', keepaliveTimeout: 5, path: '/v1', port: 443, protocol: 'https', readTimeout: 30, sslProtocols: ['TLSv1.2'], ...over },
  });
  const withOrigin = (origin: unknown) => (cf: Cf) => ({ ...cf.request, origin });

  it('switching to another custom origin', () => {
    const result = run(inputFor('origin-request'), withOrigin(customEvent({ customHeaders: { 'x-api-key': [{ key: 'X-Api-Key', value: 'k' }] }, port: 8443 })));
    expect(result).toMatchObject({
      kind: 'request',
      origin: { kind: 'custom', domainName: 'api.example.com', port: 8443, protocol: 'https', path: '/v1', customHeaders: [['X-Api-Key', 'k']], readTimeout: 30, keepaliveTimeout: 5, sslProtocols: ['TLSv1.2'] },
    });
  });

  it('switching from a custom origin to S3 and back', () => {
    const toS3 = run(inputFor('origin-request'), withOrigin({ s3: { authMethod: 'none', customHeaders: {}, domainName: 'assets.s3.amazonaws.com', path: '', region: '' } }));
    expect(toS3).toMatchObject({ kind: 'request', origin: { kind: 's3', domainName: 'assets.s3.amazonaws.com', authMethod: 'none', region: '' } });
    const toCustom = run(inputFor('origin-request', { origin: s3Origin }), withOrigin(customEvent()));
    expect(toCustom).toMatchObject({ kind: 'request', origin: { kind: 'custom' } });
  });

  it('an origin passed back unchanged is accepted even outside the event ranges (the distribution\'s own settings)', () => {
    const input = inputFor('origin-request', { origin: customOrigin({ readTimeout: 90 }) });
    expect(run(input)).toMatchObject({ kind: 'request', origin: { readTimeout: 90 } });
  });

  it.each([
    ['port 80', { port: 80 }, null],
    ['port 1024', { port: 1024 }, null],
    ['port 65535', { port: 65535 }, null],
    ['port 81', { port: 81 }, /request\.origin\.custom\.port must be 80, 443 or 1024–65535 \(got number 81\)/],
    ['port 65536', { port: 65536 }, /custom\.port must be/],
    ['port "443"', { port: '443' }, /custom\.port must be/],
    ['protocol ftp', { protocol: 'ftp' }, /custom\.protocol must be "http" or "https"/],
    ['a path with a trailing slash', { path: '/v1/' }, /custom\.path "\/v1\/" must not end with a slash/],
    ['a path without a leading slash', { path: 'v1' }, /custom\.path "v1" must start with a slash/],
    ['a path with a non-ASCII character', { path: '/café' }, /custom\.path must be URL-encoded \(no spaces, control characters, non-ASCII characters/],
    ['readTimeout 4', { readTimeout: 4 }, null],
    ['readTimeout 3', { readTimeout: 3 }, /custom\.readTimeout must be a whole number of seconds from 4 to 60/],
    ['readTimeout 61', { readTimeout: 61 }, /custom\.readTimeout/],
    ['keepaliveTimeout 1', { keepaliveTimeout: 1 }, null],
    ['keepaliveTimeout 0', { keepaliveTimeout: 0 }, /custom\.keepaliveTimeout must be a whole number of seconds from 1 to 60/],
    ['keepaliveTimeout 61', { keepaliveTimeout: 61 }, /custom\.keepaliveTimeout/],
    ['sslProtocols TLSv1.3', { sslProtocols: ['TLSv1.3'] }, /custom\.sslProtocols: "TLSv1\.3" is not one of/],
    ['no sslProtocols', { sslProtocols: [] }, /custom\.sslProtocols must be a non-empty array/],
    ['a domain name with a port', { domainName: 'api.example.com:8443' }, /custom\.domainName "api\.example\.com:8443" must not include a colon/],
    ['an IPv4 domain name', { domainName: '192.0.2.10' }, /custom\.domainName "192\.0\.2\.10" must not be an IPv4 address/],
    ['an empty domain name', { domainName: '' }, /custom\.domainName must be a non-empty string/],
    ['a missing domain name', { domainName: undefined }, /custom\.domainName must be a non-empty string \(got nothing\)/],
    ['a denied custom header', { customHeaders: { host: [{ key: 'Host', value: 'x' }] } }, /customHeaders\["host"\]: CloudFront can't add Host to origin requests/],
    ['a disallowed custom header', { customHeaders: { 'x-amz-cf-id': [{ value: 'x' }] } }, /customHeaders\["x-amz-cf-id"\]: CloudFront can't add X-Amz-Cf-Id/],
    ['a custom header also in request.headers', { customHeaders: { 'x-forwarded-for': [{ value: 'x' }] } }, /customHeaders\["x-forwarded-for"\]: a header with the same name is in request\.headers/],
  ])('custom origin with %s', (_name, over, fragment) => {
    const result = run(inputFor('origin-request'), withOrigin(customEvent(over)));
    if (fragment) expectInvalid(result, fragment, 'The Lambda function result failed validation: The function returned an invalid origin.');
    else expect(result.kind).toBe('request');
  });

  it.each([
    ['both custom and s3', { ...customEvent(), s3: { authMethod: 'none', customHeaders: {}, domainName: 'b.s3.amazonaws.com', path: '', region: '' } }, /exactly one of "custom" or "s3" \(got both\)/],
    ['neither', {}, /exactly one of "custom" or "s3" \(got neither\)/],
    ['not an object', 'example.org', /request\.origin must be an object/],
    ['an upper-case S3 domain', { s3: { authMethod: 'none', customHeaders: {}, domainName: 'Bucket.s3.amazonaws.com', path: '', region: '' } }, /s3\.domainName "Bucket\.s3\.amazonaws\.com" must be all lower case/],
    ['an OAI without region', { s3: { authMethod: 'origin-access-identity', customHeaders: {}, domainName: 'b.s3.amazonaws.com', path: '', region: '' } }, /s3\.region is required when authMethod is "origin-access-identity"/],
    ['an unknown authMethod', { s3: { authMethod: 'oac', customHeaders: {}, domainName: 'b.s3.amazonaws.com', path: '', region: '' } }, /s3\.authMethod must be "origin-access-identity" or "none"/],
    ['an OAI when switching from a custom origin', { s3: { authMethod: 'origin-access-identity', customHeaders: {}, domainName: 'b.s3.amazonaws.com', path: '', region: 'us-east-1' } }, /origin access identity can't be used when switching from a custom origin/],
  ])('refuses %s', (_name, origin, fragment) => {
    expectInvalid(run(inputFor('origin-request'), withOrigin(origin)), fragment);
  });

  it('an S3 origin with an OAI is fine when the origin was S3', () => {
    const result = run(inputFor('origin-request', { origin: s3Origin }), withOrigin({ s3: { authMethod: 'origin-access-identity', customHeaders: {}, domainName: 'b.s3.amazonaws.com', path: '/p', region: 'eu-west-1' } }));
    expect(result).toMatchObject({ kind: 'request', origin: { kind: 's3', authMethod: 'origin-access-identity', region: 'eu-west-1', path: '/p' } });
  });

  it('viewer-request cannot choose the origin: ignored, noted', () => {
    const result = run(inputFor('viewer-request'), withOrigin(customEvent()));
    expect(result).toMatchObject({ kind: 'request', notes: ['request.origin ignored: only origin-request functions can choose the origin'] });
    expect(result.kind === 'request' && result.origin).toBeUndefined();
  });
});

// ---- what is not an object ----------------------------------------------------------------

describe('results that are not objects', () => {
  it.each([null, undefined, 'a string', 42, [], true])('%j is refused as "must be an object type"', (value) => {
    for (const eventType of EVENT_TYPES) {
      expectInvalid(interpretLambdaResult(inputFor(eventType), value), /not an object/, 'The Lambda function returned invalid json: The json output must be an object type.');
    }
  });

  it('a payload that is not JSON is "not parsable"', () => {
    const parsed = parseLambdaPayload('{"status": 200');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.result.reason).toBe('The Lambda function returned invalid JSON: The JSON output is not parsable.');
    expect(parseLambdaPayload(Buffer.from('{"status":"200"}'))).toEqual({ ok: true, value: { status: '200' } });
  });

  it('every problem is reported, the reason is the first one\'s', () => {
    const result = run(inputFor('viewer-request'), (cf) => ({ ...cf.request, uri: 'x', querystring: '?y', headers: { ...cf.request.headers, host: [{ value: 'evil' }] } }));
    expect(result.kind === 'invalid' && result.errors.length).toBe(3);
    expect(result.kind === 'invalid' && result.reason).toBe(READ_ONLY_REASON);
  });
});

// ---- the validation log and the error page ----------------------------------------------

describe('validation log record', () => {
  it('is one JSON object naming the request, trigger, function, region and every error', () => {
    const input = inputFor('origin-response');
    const line = validationLogRecord({ input, arn: 'arn:aws:lambda:us-east-1:123456789012:function:edge:3', region: 'eu-west-2', errors: ['response.headers["via"]: Via is read-only', 'x'], lambdaRequestId: 'c1b2' });
    expect(JSON.parse(line)).toEqual({
      requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
      distributionId: 'EDFDVBD6EXAMPLE',
      distributionDomainName: 'd111111abcdef8.cloudfront.net',
      eventType: 'origin-response',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:edge:3',
      executionRegion: 'eu-west-2',
      lambdaRequestId: 'c1b2',
      errorType: 'LambdaValidationError',
      message: 'Validation error: Lambda function result failed validation, response.headers["via"]: Via is read-only; x.',
      errors: ['response.headers["via"]: Via is read-only', 'x'],
    });
    expect(line).not.toContain('\n');
    expect(validationLogGroup('EDFDVBD6EXAMPLE')).toBe('/aws/cloudfront/LambdaEdge/EDFDVBD6EXAMPLE');
  });
});

describe('error page', () => {
  it('is CloudFront\'s page: status, the sentence, the advice and the request id', () => {
    const page = errorPage(502, READ_ONLY_REASON, 'QGJDmdNqJJ6_zS3ALUczF-8NrM-HDKqTzNu-CZoppz6bi3nWv_cSIw==');
    expect(page.status).toBe(502);
    expect(page.statusDescription).toBe('Bad Gateway');
    expect(page.headers).toEqual([
      ['Server', 'CloudFront'],
      ['Content-Type', 'text/html'],
      ['Content-Length', String(page.body.length)],
    ]);
    expect(page.body.toString('latin1')).toBe(
      [
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">',
        '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">',
        '<TITLE>ERROR: The request could not be satisfied</TITLE>',
        '</HEAD><BODY>',
        '<H1>502 ERROR</H1>',
        '<H2>The request could not be satisfied.</H2>',
        '<HR noshade size="1px">',
        READ_ONLY_REASON,
        "We can't connect to the server for this app or website at this time. There might be too much traffic or a configuration error. Try again later, or contact the app or website owner.",
        '<BR clear="all">',
        'If you provide content to customers through CloudFront, you can find steps to troubleshoot and help prevent this error by reviewing the CloudFront documentation.',
        '<BR clear="all">',
        '<HR noshade size="1px">',
        '<PRE>',
        'Generated by cloudfront (CloudFront)',
        'Request ID: QGJDmdNqJJ6_zS3ALUczF-8NrM-HDKqTzNu-CZoppz6bi3nWv_cSIw==',
        '</PRE>',
        '<ADDRESS>',
        '</ADDRESS>',
        '</BODY></HTML>',
      ].join('\n'),
    );
  });

  it.each([
    [503, ERROR_MESSAGES.lambdaExecution, 'Service Unavailable'],
    [503, ERROR_MESSAGES.lambdaThrottled, 'Service Unavailable'],
    [504, ERROR_MESSAGES.originTimeout, 'Gateway Timeout'],
    [403, ERROR_MESSAGES.requestBlocked, 'Forbidden'],
    [404, 'The requested resource was not found.', 'Not Found'],
  ])('%i with %s', (status, message, phrase) => {
    const page = errorPage(status, message, 'id==');
    expect(page.statusDescription).toBe(phrase);
    expect(page.body.toString('latin1')).toContain(`<H1>${status} ERROR</H1>`);
    expect(page.body.toString('latin1')).toContain(`\n${message}\nWe can't connect`);
  });

  it('escapes markup in the sentence and ends without a newline', () => {
    const html = errorPageHtml(502, 'a <b> & c', 'id');
    expect(html).toContain('\na &lt;b&gt; &amp; c\n');
    expect(html.endsWith('</BODY></HTML>')).toBe(true);
  });

  it('X-Cache for a Lambda failure', () => {
    expect(xCacheForError('LambdaValidationError')).toBe('LambdaValidationError from cloudfront');
    expect(xCacheForError('Error')).toBe('Error from cloudfront');
  });
});
