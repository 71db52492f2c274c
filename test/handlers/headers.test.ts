/**
 * Header hygiene: the handlers' rules agree with the tests' independent copy of AWS's lists,
 * the setters refuse what CloudFront would reject, enforceHeaderRules undoes it, and the test
 * check (expectCloudFrontAccepts) really fails on each kind of violation.
 */
import { describe, expect, it } from 'vitest';
import type { CloudFrontHeaders, EventType } from '../../handlers/shared/cloudfront.js';
import { deleteHeader, enforceHeaderRules, filterCookies, isForbiddenHeader, isReadOnlyHeader, setHeader } from '../../handlers/shared/headers.js';
import { cloudFrontEvent, expectCloudFrontAccepts, isForbidden, isReadOnly } from './helpers.js';

const AWS_FORBIDDEN = [
  'Connection', 'Expect', 'Keep-Alive', 'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Connection', 'Trailer', 'Upgrade',
  'X-Accel-Buffering', 'X-Accel-Charset', 'X-Accel-Limit-Rate', 'X-Accel-Redirect', 'X-Amz-Cf-Id', 'X-Amz-Cf-Pop',
  'X-Amzn-Auth', 'X-Amzn-Cf-Billing', 'X-Amzn-Cf-Id', 'X-Amzn-Cf-Xff', 'X-Amzn-Errortype', 'X-Amzn-Fle-Profile', 'X-Amzn-Header-Count',
  'X-Amzn-Header-Order', 'X-Amzn-Lambda-Integration-Tag', 'X-Amzn-RequestId', 'X-Cache', 'X-Edge-Location', 'X-Forwarded-Proto', 'X-Real-IP',
];
const ALLOWED = ['Host', 'Cookie', 'User-Agent', 'FPJS-Proxy-Secret', 'X-Forwarded-For', 'CloudFront-Viewer-Country', 'Authorization', 'Content-Type', 'X-Amz-Date', 'Cache-Control'];
const EVENTS: EventType[] = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'];
const CANDIDATES = ['accept-encoding', 'content-length', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'if-match', 'transfer-encoding', 'via', 'host', 'content-encoding', 'warning', 'cookie', 'user-agent'];

describe('the rules', () => {
  it('forbid every header AWS lists, any case, and nothing a handler needs', () => {
    for (const name of AWS_FORBIDDEN) {
      expect(isForbiddenHeader(name), name).toBe(true);
      expect(isForbiddenHeader(name.toLowerCase()), name).toBe(true);
      expect(isForbidden(name.toLowerCase()), `test list: ${name}`).toBe(true);
    }
    for (const name of ALLOWED) expect(isForbiddenHeader(name), name).toBe(false);
  });

  it('read-only headers per event agree with the tests’ list', () => {
    for (const event of EVENTS) for (const name of CANDIDATES) expect(isReadOnlyHeader(event, name), `${event} ${name}`).toBe(isReadOnly(event, name));
    expect(isReadOnlyHeader('origin-request', 'Host')).toBe(false);
    expect(isReadOnlyHeader('viewer-request', 'Host')).toBe(true);
  });
});

describe('setters', () => {
  it('setHeader stores the lowercase name and the wire-case key, and refuses forbidden and read-only headers', () => {
    const headers: CloudFrontHeaders = {};
    setHeader(headers, 'origin-request', 'FPJS-Proxy-Secret', 'x');
    expect(headers).toEqual({ 'fpjs-proxy-secret': [{ key: 'FPJS-Proxy-Secret', value: 'x' }] });
    expect(() => setHeader(headers, 'origin-request', 'X-Forwarded-Proto', 'https')).toThrow('CloudFront forbids');
    expect(() => setHeader(headers, 'origin-request', 'Via', '1.1 x')).toThrow('read-only in origin-request');
    expect(() => setHeader(headers, 'viewer-request', 'Host', 'x')).toThrow('read-only in viewer-request');
    expect(() => deleteHeader({ 'content-length': [{ key: 'Content-Length', value: '1' }] }, 'origin-request', 'content-length')).toThrow('read-only');
    setHeader(headers, 'origin-request', 'Host', 'api.fpjs.io');
    expect(headers.host).toEqual([{ key: 'Host', value: 'api.fpjs.io' }]);
  });

  it('filterCookies keeps the named cookies across entries, as one header', () => {
    const headers: CloudFrontHeaders = { cookie: [{ key: 'Cookie', value: 'a=1; _iidt=x%3D' }, { key: 'cookie', value: ' b=2;;_iidt=y ' }] };
    filterCookies(headers, 'origin-request', (n) => n === '_iidt');
    expect(headers.cookie).toEqual([{ key: 'Cookie', value: '_iidt=x%3D; _iidt=y' }]);
    filterCookies(headers, 'origin-request', () => false);
    expect(headers.cookie).toBeUndefined();
  });
});

describe('enforceHeaderRules', () => {
  it('undoes forbidden additions and read-only changes, keeps what passed through, lowercases keys', () => {
    const before: CloudFrontHeaders = {
      host: [{ key: 'Host', value: 'www.example.com' }],
      via: [{ key: 'Via', value: '2.0 abc.cloudfront.net (CloudFront)' }],
      'x-cache': [{ key: 'X-Cache', value: 'Miss' }],
      'content-length': [{ key: 'Content-Length', value: '10' }],
    };
    const after: CloudFrontHeaders = {
      host: [{ key: 'Host', value: 'evil.example' }],
      'x-cache': [{ key: 'X-Cache', value: 'Miss' }],
      'x-forwarded-proto': [{ key: 'X-Forwarded-Proto', value: 'https' }],
      'X-Custom': [{ key: 'X-Custom', value: '1' }],
      'transfer-encoding': [{ key: 'Transfer-Encoding', value: 'chunked' }],
      'content-length': [{ key: 'Content-Length', value: '10' }],
    };
    const corrected = enforceHeaderRules('viewer-request', before, after);
    expect(after).toEqual({
      host: [{ key: 'Host', value: 'www.example.com' }],
      via: [{ key: 'Via', value: '2.0 abc.cloudfront.net (CloudFront)' }],
      'x-cache': [{ key: 'X-Cache', value: 'Miss' }],
      'x-custom': [{ key: 'X-Custom', value: '1' }],
      'content-length': [{ key: 'Content-Length', value: '10' }],
    });
    expect(corrected.sort()).toEqual(['host', 'transfer-encoding', 'via', 'x-custom', 'x-forwarded-proto']);
    expect(enforceHeaderRules('viewer-request', before, structuredClone(before))).toEqual([]);
  });

  it('on a generated response only the forbidden headers apply', () => {
    const headers: CloudFrontHeaders = { 'content-type': [{ key: 'Content-Type', value: 'text/html' }], connection: [{ key: 'Connection', value: 'close' }] };
    expect(enforceHeaderRules('viewer-request', undefined, headers)).toEqual(['connection']);
    expect(Object.keys(headers)).toEqual(['content-type']);
  });
});

describe('the test check itself fails on each violation', () => {
  const event = () => cloudFrontEvent('origin-request', { uri: '/x' });
  const request = () => structuredClone(event().Records[0]!.cf.request);
  const fails = (input: ReturnType<typeof event>, output: unknown) => expect(() => expectCloudFrontAccepts(input, output)).toThrow();

  it('accepts the request unchanged', () => {
    expectCloudFrontAccepts(event(), request());
  });
  it('an added forbidden header', () => {
    const r = request();
    r.headers['x-real-ip'] = [{ key: 'X-Real-IP', value: '1.2.3.4' }];
    fails(event(), r);
  });
  it('a changed, removed or added read-only header', () => {
    const changed = request();
    changed.headers['accept-encoding'] = [{ key: 'Accept-Encoding', value: 'identity' }];
    fails(event(), changed);
    const removed = request();
    delete removed.headers['if-none-match'];
    fails(event(), removed);
    const added = request();
    added.headers['if-modified-since'] = [{ key: 'If-Modified-Since', value: 'Mon, 01 Jan 2024 00:00:00 GMT' }];
    fails(event(), added);
    const viewer = cloudFrontEvent('viewer-request');
    const host = structuredClone(viewer.Records[0]!.cf.request);
    host.headers.host = [{ key: 'Host', value: 'other.example' }];
    fails(viewer, host);
  });
  it('a map key that is not lowercase, or a key that does not match it', () => {
    const upper = request();
    upper.headers['X-Thing'] = [{ key: 'X-Thing', value: '1' }];
    fails(event(), upper);
    const mismatch = request();
    mismatch.headers['x-thing'] = [{ key: 'X-Other', value: '1' }];
    fails(event(), mismatch);
  });
  it('a forbidden header in a generated response, a bad status', () => {
    fails(event(), { status: '200', headers: { 'x-cache': [{ key: 'X-Cache', value: 'Hit' }] } });
    fails(event(), { status: 'OK', headers: {} });
  });
  it('a changed read-only body', () => {
    const input = cloudFrontEvent('origin-request-with-body', { uri: '/x' });
    const r = structuredClone(input.Records[0]!.cf.request);
    r.body.data = 'e30=';
    fails(input, r);
  });
});
