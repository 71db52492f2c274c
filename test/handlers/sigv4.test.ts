/**
 * The handlers' SigV4 signer against AWS's own: the AWS SDK's signer (@smithy/signature-v4,
 * installed with the SDK clients) for the exact GetSecretValue request the handlers send, and
 * vectors of AWS's SigV4 test suite (aws-sig-v4-test-suite: get-vanilla, post-vanilla,
 * get-vanilla-query-order-key-case, post-x-www-form-urlencoded).
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { amzDate, signRequest, uriEncode, type AwsCredentials } from '../../handlers/shared/sigv4.js';

/** The hash constructor SignatureV4 wants, on node:crypto. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) => (typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

async function sdkAuthorization(options: { credentials: AwsCredentials; region: string; service: string; method: string; url: URL; headers: Record<string, string>; body: string; date: Date }) {
  const signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: options.service, sha256: Sha256, applyChecksum: false });
  const query: Record<string, string[]> = {};
  for (const [k, v] of options.url.searchParams) (query[k] ??= []).push(v);
  const signed = await signer.sign(
    {
      method: options.method,
      protocol: options.url.protocol,
      hostname: options.url.hostname,
      port: options.url.port ? Number(options.url.port) : undefined,
      path: options.url.pathname,
      query,
      headers: { host: options.url.host, ...options.headers },
      body: options.body === '' ? undefined : options.body,
    },
    { signingDate: options.date },
  );
  return signed.headers as Record<string, string>;
}

const GET_SECRET_HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' };

describe('SigV4: the same Authorization as the AWS SDK signer', () => {
  const cases: { name: string; credentials: AwsCredentials; region: string; url: string; date: string }[] = [
    { name: 'long-term credentials, home region', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, region: 'us-east-1', url: 'https://secretsmanager.us-east-1.amazonaws.com/', date: '2026-03-01T08:09:10Z' },
    {
      name: 'a Lambda execution role (session token), replica region',
      credentials: { accessKeyId: 'ASIAQWERTYUIOPASDFGH', secretAccessKey: 'k1+/abcdefghijklmnopqrstuvwxyz0123456789', sessionToken: 'IQoJb3JpZ2luX2VjEH8aCXVzLWVhc3QtMSJHMEUCIQ//session+token/with==' },
      region: 'eu-central-1',
      url: 'https://secretsmanager.eu-central-1.amazonaws.com/',
      date: '2026-12-31T23:59:59Z',
    },
    { name: 'an endpoint override with a port (the sandbox)', credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' }, region: 'ap-southeast-2', url: 'http://127.0.0.1:4580/', date: '2026-06-15T12:00:00Z' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const url = new URL(c.url);
      const date = new Date(c.date);
      const body = JSON.stringify({ SecretId: 'edge-install/fp-proxy' });
      const ours = signRequest({ method: 'POST', url, headers: GET_SECRET_HEADERS, body, region: c.region, service: 'secretsmanager', credentials: c.credentials, date });
      const sdk = await sdkAuthorization({ credentials: c.credentials, region: c.region, service: 'secretsmanager', method: 'POST', url, headers: GET_SECRET_HEADERS, body, date });
      expect(ours.authorization).toBe(sdk.authorization);
      expect(ours['x-amz-date']).toBe(sdk['x-amz-date']);
      expect(ours['x-amz-security-token']).toBe(sdk['x-amz-security-token']);
      expect(ours.host).toBe(url.host);
    });
  }

  it('a query string and an encoded path, too', async () => {
    const url = new URL('https://service.us-west-2.amazonaws.com/a%20b/c?z=1&a=2&a=1&sp=x%20y&star=*');
    const credentials = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };
    const date = new Date('2026-01-02T03:04:05Z');
    const ours = signRequest({ method: 'GET', url, headers: {}, body: '', region: 'us-west-2', service: 'service', credentials, date });
    const sdk = await sdkAuthorization({ credentials, region: 'us-west-2', service: 'service', method: 'GET', url, headers: {}, body: '', date });
    expect(ours.authorization).toBe(sdk.authorization);
  });
});

describe('SigV4: AWS test-suite vectors', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const date = new Date('2015-08-30T12:36:00Z');
  const scope = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
  const vectors: { name: string; method: string; url: string; headers: Record<string, string>; body: string; signed: string; signature: string }[] = [
    { name: 'get-vanilla', method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '', signed: 'host;x-amz-date', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
    { name: 'post-vanilla', method: 'POST', url: 'https://example.amazonaws.com/', headers: {}, body: '', signed: 'host;x-amz-date', signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b' },
    { name: 'get-vanilla-query-order-key-case', method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', headers: {}, body: '', signed: 'host;x-amz-date', signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
    {
      name: 'post-x-www-form-urlencoded',
      method: 'POST',
      url: 'https://example.amazonaws.com/',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'Param1=value1',
      signed: 'content-type;host;x-amz-date',
      signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    },
  ];
  for (const v of vectors) {
    it(v.name, () => {
      const headers = signRequest({ method: v.method, url: new URL(v.url), headers: v.headers, body: v.body, region: 'us-east-1', service: 'service', credentials, date });
      expect(headers.authorization).toBe(`AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=${v.signed}, Signature=${v.signature}`);
      expect(headers['x-amz-date']).toBe('20150830T123600Z');
    });
  }
});

describe('SigV4 helpers', () => {
  it('encodes as RFC 3986 and formats the date as AWS wants', () => {
    expect(uriEncode("a b!'()*~-_.")).toBe('a%20b%21%27%28%29%2A~-_.');
    expect(amzDate(new Date('2026-11-21T07:03:28.671Z'))).toBe('20261121T070328Z');
  });
});
