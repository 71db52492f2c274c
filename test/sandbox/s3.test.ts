/**
 * S3 through the real SDK (path-style and virtual-hosted addressing) and the AWS CLI when it is
 * installed: buckets and their Regions and naming rules, objects (ETags, metadata, keys,
 * checksums, ranges), conditional writes, reads and deletes — including S3's races, made
 * deterministic with the sandbox's holds — ListObjectsV2 pagination, S3's error bodies,
 * throttling, state, and what is not emulated.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  BucketAlreadyOwnedByYou,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  paginateListObjectsV2,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyData, World } from '../../src/sandbox/world.js';
import { expectAwsError } from '../helpers/errors.js';
import { INSTANT, startTestSandbox, useSandbox } from '../helpers/sandbox.js';

// No seeded bucket (the demo seed has one for S3 state): every bucket here is the test's own.
const box = useSandbox({ ...INSTANT, seed: 'empty' });
const BUCKET = 'state-bucket';

/**
 * Virtual-hosted style on loopback: the SDK puts the bucket in the Host (`state-bucket.localhost`)
 * when its endpoint is a name rather than an IP address and forcePathStyle is off. Such names do
 * not resolve everywhere (RFC 6761 says they are loopback, glibc does not know it), so the
 * clients' agent resolves them itself — the Host header stays what the SDK built and signed.
 */
const loopbackAgent = new Agent({
  lookup: (hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    const loopback = hostname === 'localhost' || hostname.endsWith('.localhost') || hostname.endsWith('.amazonaws.com');
    lookup(loopback ? '127.0.0.1' : hostname, { ...options, family: loopback ? 4 : options.family }, callback as never);
  },
});

let s3: S3Client;
let ireland: S3Client;
let virtualHosted: S3Client;
let virtualS3Host: S3Client;
let awsHost: S3Client;
const clients: S3Client[] = [];
function client(config: Partial<S3ClientConfig> & { region?: string } = {}): S3Client {
  const { region, ...rest } = config;
  const created = new S3Client({ ...box.sb.clientConfig(region), forcePathStyle: true, ...rest });
  clients.push(created);
  return created;
}
const virtualClient = (endpoint: string): S3Client => client({ endpoint, forcePathStyle: false, requestHandler: { httpAgent: loopbackAgent } });

beforeAll(() => {
  s3 = client();
  ireland = client({ region: 'eu-west-1' });
  virtualHosted = virtualClient(`http://localhost:${box.sb.port}`);
  virtualS3Host = virtualClient(`http://s3.localhost:${box.sb.port}`);
  awsHost = virtualClient(`http://s3.us-east-1.amazonaws.com:${box.sb.port}`);
});
afterAll(() => {
  for (const c of clients) c.destroy();
  loopbackAgent.destroy();
});

/** A failed call of an error S3's model has no class for: its code (the error's name) and HTTP status. */
async function expectS3Error(call: Promise<unknown>, code: string, status: number, message?: RegExp): Promise<Error> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  expect(error, `the call should have failed with ${code}`).toBeDefined();
  expect({ name: error!.name, status: error!.$metadata?.httpStatusCode }).toEqual({ name: code, status });
  if (message) expect(error!.message).toMatch(message);
  return error!;
}

/**
 * A request as any client sends it, to see the wire: the sandbox checks no signature, it only
 * reads the credential scope's service (`s3`).
 */
function raw(method: string, path: string, init: { headers?: Record<string, string>; body?: string; region?: string } = {}): Promise<Response> {
  return fetch(`${box.sb.endpoint}${path}`, {
    method,
    headers: { authorization: `AWS4-HMAC-SHA256 Credential=AKIDSANDBOX/20250101/${init.region ?? 'us-east-1'}/s3/aws4_request, SignedHeaders=host, Signature=00`, ...init.headers },
    // Bytes, so that fetch adds no Content-Type of its own.
    body: init.body === undefined ? undefined : new Uint8Array(Buffer.from(init.body)),
  });
}

const md5 = (text: string): string => `"${createHash('md5').update(text).digest('hex')}"`;
const createBucket = (name = BUCKET) => s3.send(new CreateBucketCommand({ Bucket: name }));
const put = (input: Omit<PutObjectCommandInput, 'Bucket'> & { Bucket?: string }, via: S3Client = s3) => via.send(new PutObjectCommand({ Bucket: BUCKET, ...input }));
async function read(key: string, via: S3Client = s3): Promise<string> {
  const got = await via.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return got.Body!.transformToString();
}
const keysOf = (page: ListObjectsV2CommandOutput): string[] => [...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!)];

describe('buckets', () => {
  it('CreateBucket, HeadBucket, GetBucketLocation, ListBuckets and DeleteBucket, in us-east-1 and in another Region', async () => {
    expect((await createBucket()).Location).toBe(`/${BUCKET}`);
    const created = await ireland.send(new CreateBucketCommand({ Bucket: 'eu-state', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect(created.Location).toBe('http://eu-state.s3.amazonaws.com/');

    expect((await s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).BucketRegion).toBe('us-east-1');
    expect((await ireland.send(new HeadBucketCommand({ Bucket: 'eu-state' }))).BucketRegion).toBe('eu-west-1');
    // "Buckets in Region us-east-1 have a LocationConstraint of null."
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: BUCKET }))).LocationConstraint).toBeFalsy();
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'eu-state' }))).LocationConstraint).toBe('eu-west-1');

    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets!.map((b) => [b.Name, b.BucketRegion])).toEqual([
      ['eu-state', 'eu-west-1'],
      [BUCKET, 'us-east-1'],
    ]);
    expect(listed.Owner!.ID).toMatch(/^[0-9a-f]{64}$/);
    const filtered = await s3.send(new ListBucketsCommand({ BucketRegion: 'eu-west-1' }));
    expect(filtered.Buckets!.map((b) => b.Name)).toEqual(['eu-state']);

    await ireland.send(new DeleteBucketCommand({ Bucket: 'eu-state' }));
    await expectAwsError(ireland.send(new HeadBucketCommand({ Bucket: 'eu-state' })), NotFound, 404);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toEqual([BUCKET]);
  });

  it('a bucket you already own: 200 again in us-east-1 (legacy), BucketAlreadyOwnedByYou 409 elsewhere', async () => {
    await createBucket();
    // ErrorResponses, BucketAlreadyOwnedByYou: "if you re-create an existing bucket that you already own in us-east-1, Amazon S3 returns 200 OK".
    await createBucket();
    const config = { Bucket: 'eu-state', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' as const } };
    await ireland.send(new CreateBucketCommand(config));
    const error = await expectAwsError(ireland.send(new CreateBucketCommand(config)), BucketAlreadyOwnedByYou, 409, /you already own it/);
    expect(error).toMatchObject({ BucketName: 'eu-state' });
  });

  it("a LocationConstraint must name the request's Region: IllegalLocationConstraintException, InvalidLocationConstraint", async () => {
    // The SDK fills in its own Region when the call has no constraint; other clients need not.
    const unspecified = await raw('PUT', '/no-constraint', { region: 'eu-west-1' });
    expect(unspecified.status).toBe(400);
    expect(await unspecified.text()).toContain(
      '<Code>IllegalLocationConstraintException</Code><Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.</Message>',
    );
    await ireland.send(new CreateBucketCommand({ Bucket: 'filled-in' }));
    expect((await ireland.send(new HeadBucketCommand({ Bucket: 'filled-in' }))).BucketRegion).toBe('eu-west-1');
    await ireland.send(new DeleteBucketCommand({ Bucket: 'filled-in' }));
    await expectS3Error(
      s3.send(new CreateBucketCommand({ Bucket: 'other-region', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
      'IllegalLocationConstraintException',
      400,
      /The eu-west-1 location constraint is incompatible/,
    );
    await expectS3Error(s3.send(new CreateBucketCommand({ Bucket: 'explicit', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })), 'InvalidLocationConstraint', 400);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });

  it('bucket naming rules: InvalidBucketName', async () => {
    const invalid = ['ab', 'a'.repeat(64), 'Upper-Case', 'under_score', 'my..bucket', '-leading', 'trailing-', '192.168.5.4', 'xn--bucket', 'sthree-bucket', 'amzn-s3-demo-bucket', 'bucket-s3alias', 'bucket--ol-s3', 'bucket.mrap', 'bucket--table-s3'];
    for (const name of invalid) {
      const error = await expectS3Error(s3.send(new CreateBucketCommand({ Bucket: name })), 'InvalidBucketName', 400, /The specified bucket is not valid/);
      expect(error).toMatchObject({ BucketName: name });
    }
    // The SDK takes a --x-s3 name for a directory bucket (S3 Express), so this one goes on the wire by hand.
    const response = await raw('PUT', '/bucket--x-s3');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidBucketName</Code>');
    for (const name of ['abc', 'a'.repeat(63), 'my.bucket.name', '3x3', 'a-b.c-d']) await createBucket(name);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toHaveLength(5);
  });

  it('DeleteBucket: BucketNotEmpty until the last object is gone; then NoSuchBucket for everything', async () => {
    await createBucket();
    await put({ Key: 'a.json', Body: '{}' });
    const error = await expectS3Error(s3.send(new DeleteBucketCommand({ Bucket: BUCKET })), 'BucketNotEmpty', 409, /The bucket you tried to delete is not empty/);
    expect(error).toMatchObject({ BucketName: BUCKET });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'a.json' }));
    expect((await s3.send(new DeleteBucketCommand({ Bucket: BUCKET }))).$metadata.httpStatusCode).toBe(204);

    await expectAwsError(put({ Key: 'a.json', Body: '{}' }), NoSuchBucket, 404, /The specified bucket does not exist/);
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.json' })), NoSuchBucket, 404);
    await expectAwsError(s3.send(new ListObjectsV2Command({ Bucket: BUCKET })), NoSuchBucket, 404);
    await expectAwsError(s3.send(new DeleteBucketCommand({ Bucket: BUCKET })), NoSuchBucket, 404);
    await expectAwsError(s3.send(new HeadBucketCommand({ Bucket: BUCKET })), NotFound, 404);
  });

  it('x-amz-expected-bucket-owner naming another account is AccessDenied', async () => {
    await createBucket();
    await s3.send(new HeadBucketCommand({ Bucket: BUCKET, ExpectedBucketOwner: '123456789012' }));
    await expectS3Error(s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ExpectedBucketOwner: '999999999999' })), 'AccessDenied', 403);
  });
});

describe('objects', () => {
  const setup = () => createBucket();

  it('round-trip: ETag is the quoted MD5, Last-Modified, Content-Length, Content-Type as sent, user metadata, stored headers', async () => {
    await setup();
    const body = '{"serial":1}';
    const before = Math.floor(box.sb.world.now() / 1000) * 1000;
    const written = await put({
      Key: 'env/prod.json',
      Body: body,
      ContentType: 'application/json',
      Metadata: { Writer: 'ci', 'run-id': '42' },
      CacheControl: 'no-store',
      ContentDisposition: 'attachment',
    });
    expect(written.ETag).toBe(md5(body));
    expect(written.ServerSideEncryption).toBe('AES256');

    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'env/prod.json' }));
    expect(await got.Body!.transformToString()).toBe(body);
    expect(got).toMatchObject({
      ETag: md5(body),
      ContentLength: body.length,
      ContentType: 'application/json',
      CacheControl: 'no-store',
      ContentDisposition: 'attachment',
      Metadata: { writer: 'ci', 'run-id': '42' },
    });
    // Second precision, on the sandbox clock: the second the write happened in.
    expect(got.LastModified!.getTime() % 1000).toBe(0);
    expect(got.LastModified!.getTime()).toBeGreaterThanOrEqual(before);
    expect(got.LastModified!.getTime()).toBeLessThanOrEqual(box.sb.world.now());

    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'env/prod.json' }));
    expect(head).toMatchObject({ ETag: md5(body), ContentLength: body.length, ContentType: 'application/json', Metadata: { writer: 'ci', 'run-id': '42' } });
    expect(head.LastModified).toEqual(got.LastModified);

    // An overwrite replaces the bytes, the ETag and the metadata.
    const second = await put({ Key: 'env/prod.json', Body: '{"serial":2}' });
    expect(second.ETag).toBe(md5('{"serial":2}'));
    const after = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'env/prod.json' }));
    expect(after).toMatchObject({ ETag: md5('{"serial":2}'), ContentType: 'application/octet-stream', Metadata: {} });
  });

  it('Content-Type is binary/octet-stream when the upload sends none', async () => {
    await setup();
    const response = await raw('PUT', `/${BUCKET}/untyped`, { body: 'x' });
    expect(response.status).toBe(200);
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'untyped' }))).ContentType).toBe('binary/octet-stream');
  });

  it('keys with slashes, spaces, plus signs and Unicode, in both addressing styles', async () => {
    await setup();
    const keys = ['a/b/c.json', 'with space.json', 'plus+sign', 'ünï/cödé ✓.json', 'emoji 😀', '/leading-slash', 'trailing/', 'per%cent', 'q?uery&x=1#frag'];
    for (const [i, key] of keys.entries()) await put({ Key: key, Body: `body ${i}` }, i % 2 ? virtualHosted : s3);
    for (const [i, key] of keys.entries()) {
      expect(await read(key, s3)).toBe(`body ${i}`);
      expect(await read(key, virtualHosted)).toBe(`body ${i}`);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    // UTF-8 binary order: the emoji (4 bytes, F0…) sorts after ü (C3…), as S3 lists them.
    expect(listed.Contents!.map((c) => c.Key)).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  });

  it('DeleteObject is idempotent: 204 whether or not the key exists', async () => {
    await setup();
    await put({ Key: 'gone.json', Body: '1' });
    expect((await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.json' }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.json' }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'never-was.json' }))).$metadata.httpStatusCode).toBe(204);
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'gone.json' })), NoSuchKey, 404);
  });

  it("NoSuchKey: S3's XML error body on GET, no body on HEAD", async () => {
    await setup();
    const error = await expectAwsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing.json' })), NoSuchKey, 404, /The specified key does not exist\./);
    expect(error).toMatchObject({ Key: 'missing.json' });
    await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing.json' })), NotFound, 404);

    const got = await raw('GET', `/${BUCKET}/dir/missing.json`);
    expect(got.status).toBe(404);
    expect(got.headers.get('content-type')).toBe('application/xml');
    const requestId = got.headers.get('x-amz-request-id');
    expect(requestId).toBeTruthy();
    expect(got.headers.get('x-amz-id-2')).toBeTruthy();
    const xml = await got.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message>/);
    expect(xml).toContain('<Key>dir/missing.json</Key>');
    expect(xml).toContain(`<Resource>/${BUCKET}/dir/missing.json</Resource>`);
    expect(xml).toContain(`<RequestId>${requestId}</RequestId>`);

    const head = await raw('HEAD', `/${BUCKET}/dir/missing.json`);
    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');

    const noBucket = await raw('GET', '/no-such-bucket/key');
    expect(await noBucket.text()).toContain('<Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>no-such-bucket</BucketName><Resource>/no-such-bucket</Resource>');
  });

  it('keys longer than 1,024 UTF-8 bytes: KeyTooLongError; user metadata over 2 KB: MetadataTooLarge', async () => {
    await setup();
    await put({ Key: 'ü'.repeat(512), Body: 'fits: 1,024 bytes' });
    await expectS3Error(put({ Key: 'ü'.repeat(513), Body: 'x' }), 'KeyTooLongError', 400, /Your key is too long/);
    await expectS3Error(put({ Key: 'meta', Body: 'x', Metadata: { big: 'v'.repeat(2048) } }), 'MetadataTooLarge', 400);
  });

  it('a stream body arrives aws-chunked, its CRC32 in a trailer; the stored object has neither', async () => {
    await setup();
    const written = await put({ Key: 'streamed.json', Body: Readable.from([Buffer.from('{"part":'), Buffer.from('1}')]), ContentLength: 10 });
    expect(written.ETag).toBe(md5('{"part":1}'));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'streamed.json' }));
    expect(await got.Body!.transformToString()).toBe('{"part":1}');
    expect(got.ContentEncoding).toBeUndefined();
    expect(got.ChecksumCRC32).toBe(written.ChecksumCRC32);
  });

  it("checksums: the SDK's CRC32 is checked and returned; a wrong one or a wrong Content-MD5 is BadDigest; without one S3 adds a CRC64NVME", async () => {
    await setup();
    const written = await put({ Key: 'crc.json', Body: 'hello' });
    expect(written).toMatchObject({ ChecksumCRC32: 'NhCmhg==', ChecksumType: 'FULL_OBJECT' });
    // The SDK asks for checksums on GetObject and checks the body against the one it gets.
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'crc.json', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC32).toBe('NhCmhg==');
    expect(await got.Body!.transformToString()).toBe('hello');

    await expectS3Error(put({ Key: 'crc.json', Body: 'hello', ChecksumCRC32: 'AAAAAA==' }), 'BadDigest', 400, /The CRC32 you specified did not match the calculated checksum/);
    await expectS3Error(put({ Key: 'crc.json', Body: 'hello', ChecksumSHA256: 'AAAA' }), 'InvalidRequest', 400, /Value for x-amz-checksum-sha256 header is invalid/);
    await expectS3Error(put({ Key: 'md5.json', Body: 'hello', ContentMD5: createHash('md5').update('other').digest('base64') }), 'BadDigest', 400, /Content-MD5 you specified did not match/);
    await put({ Key: 'md5.json', Body: 'hello', ContentMD5: createHash('md5').update('hello').digest('base64') });

    const plain = client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
    await put({ Key: 'plain.json', Body: 'no checksum sent' }, plain);
    const checked = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'plain.json', ChecksumMode: 'ENABLED' }));
    expect(checked.ChecksumCRC64NVME).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(await checked.Body!.transformToString()).toBe('no checksum sent');
  });

  it('Range: 206 with Content-Range; past the end is 416 InvalidRange', async () => {
    await setup();
    await put({ Key: 'digits', Body: '0123456789' });
    const middle = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits', Range: 'bytes=2-4' }));
    expect(middle.$metadata.httpStatusCode).toBe(206);
    expect(middle.ContentRange).toBe('bytes 2-4/10');
    expect(await middle.Body!.transformToString()).toBe('234');
    const tail = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits', Range: 'bytes=-3' }));
    expect(await tail.Body!.transformToString()).toBe('789');
    const open = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits', Range: 'bytes=8-' }));
    expect(await open.Body!.transformToString()).toBe('89');
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits', Range: 'bytes=10-20' })), 'InvalidRange', 416, /not satisfiable/);
  });

  it('response-* parameters override the headers of a GetObject answer', async () => {
    await setup();
    await put({ Key: 'report', Body: 'x', ContentType: 'text/plain' });
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'report', ResponseContentType: 'application/json', ResponseContentDisposition: 'attachment; filename="r.json"' }));
    expect(got).toMatchObject({ ContentType: 'application/json', ContentDisposition: 'attachment; filename="r.json"' });
  });

  it('DeleteObjects reports each key, honours Quiet and per-key ETag conditions', async () => {
    await setup();
    await put({ Key: 'a', Body: 'a' });
    await put({ Key: 'b', Body: 'b' });
    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'a' }, { Key: 'b', ETag: md5('not b') }, { Key: 'never' }] } }),
    );
    expect(result.Deleted!.map((d) => d.Key)).toEqual(['a', 'never']);
    expect(result.Errors!.map((e) => [e.Key, e.Code])).toEqual([['b', 'PreconditionFailed']]);
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'b', ETag: md5('b') }], Quiet: true } }));
    expect(quiet.Deleted ?? []).toEqual([]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(0);
  });
});

describe('conditional writes (PutObject If-None-Match / If-Match)', () => {
  it('If-None-Match: * creates the key once; the next one is 412 PreconditionFailed and changes nothing', async () => {
    await createBucket();
    const first = await put({ Key: 'lock.json', Body: '{"owner":"a"}', IfNoneMatch: '*' });
    expect(first.ETag).toBe(md5('{"owner":"a"}'));
    const error = await expectS3Error(put({ Key: 'lock.json', Body: '{"owner":"b"}', IfNoneMatch: '*' }), 'PreconditionFailed', 412, /At least one of the pre-conditions you specified did not hold/);
    expect(error).toMatchObject({ Condition: 'If-None-Match' });
    expect(await read('lock.json')).toBe('{"owner":"a"}');
  });

  it('If-Match: the current ETag (quoted or bare) writes, a stale one is 412, a missing key is 404 NoSuchKey', async () => {
    await createBucket();
    const v1 = await put({ Key: 'state.json', Body: 'v1' });
    const v2 = await put({ Key: 'state.json', Body: 'v2', IfMatch: v1.ETag });
    const error = await expectS3Error(put({ Key: 'state.json', Body: 'v3', IfMatch: v1.ETag }), 'PreconditionFailed', 412);
    expect(error).toMatchObject({ Condition: 'If-Match' });
    // The AWS CLI documentation passes the bare hex.
    await put({ Key: 'state.json', Body: 'v3', IfMatch: v2.ETag!.replace(/"/g, '') });
    expect(await read('state.json')).toBe('v3');
    // "If there's no current object version with the same name … the operation fails with a 404 Not Found error."
    await expectAwsError(put({ Key: 'absent.json', Body: 'x', IfMatch: v1.ETag }), NoSuchKey, 404);
    await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'absent.json' })), NotFound, 404);
  });

  describe('races (a held request is in flight until released)', () => {
    /** Sends a PutObject that the sandbox holds in flight; resolves, once it is held, with its outcome to come. */
    async function inFlight(input: Omit<PutObjectCommandInput, 'Bucket'>): Promise<{ outcome: Promise<unknown> }> {
      await box.sb.hold({ operation: 'PutObject' });
      const outcome = put(input);
      // Observed now, awaited by the test after the release.
      outcome.catch(() => {});
      await box.sb.waitUntilHeld('PutObject');
      // Wrapped: an async function returning the promise itself would wait for it.
      return { outcome };
    }

    it('409 ConditionalRequestConflict: an If-Match write in flight when another write to the key completes', async () => {
      await createBucket();
      const v1 = await put({ Key: 'state.json', Body: 'v1' });
      const mine = await inFlight({ Key: 'state.json', Body: 'mine', IfMatch: v1.ETag });
      await put({ Key: 'state.json', Body: 'theirs', IfMatch: v1.ETag });
      await box.sb.release();
      await expectS3Error(mine.outcome, 'ConditionalRequestConflict', 409, /A conflicting operation occurred/);
      expect(await read('state.json')).toBe('theirs');
      // "On a 409 failure you should fetch the object's ETag and retry the upload."
      const current = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'state.json' }));
      await put({ Key: 'state.json', Body: 'mine', IfMatch: current.ETag });
      expect(await read('state.json')).toBe('mine');
    });

    it('If-None-Match writes racing: the first to finish wins, the other is 412', async () => {
      await createBucket();
      const mine = await inFlight({ Key: 'lock.json', Body: 'mine', IfNoneMatch: '*' });
      await put({ Key: 'lock.json', Body: 'theirs', IfNoneMatch: '*' });
      await box.sb.release();
      await expectS3Error(mine.outcome, 'PreconditionFailed', 412);
      expect(await read('lock.json')).toBe('theirs');
    });

    it('409 ConditionalRequestConflict: an If-None-Match write in flight while a delete of the key succeeds; a retry succeeds', async () => {
      await createBucket();
      await put({ Key: 'lock.json', Body: 'held by them' });
      const mine = await inFlight({ Key: 'lock.json', Body: 'mine', IfNoneMatch: '*' });
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'lock.json' }));
      await box.sb.release();
      await expectS3Error(mine.outcome, 'ConditionalRequestConflict', 409);
      await expectAwsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'lock.json' })), NoSuchKey, 404);
      await put({ Key: 'lock.json', Body: 'mine', IfNoneMatch: '*' });
      expect(await read('lock.json')).toBe('mine');
    });

    it('404 NoSuchKey: an If-Match write in flight while the key is deleted', async () => {
      await createBucket();
      const v1 = await put({ Key: 'state.json', Body: 'v1' });
      const mine = await inFlight({ Key: 'state.json', Body: 'v2', IfMatch: v1.ETag });
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'state.json' }));
      await box.sb.release();
      await expectAwsError(mine.outcome, NoSuchKey, 404);
    });

    it('unconditional writes are not affected: the last to finish wins', async () => {
      await createBucket();
      const first = await inFlight({ Key: 'plain.json', Body: 'sent first' });
      await put({ Key: 'plain.json', Body: 'sent second' });
      await box.sb.release();
      await first.outcome;
      expect(await read('plain.json')).toBe('sent first');
    });

    it('a conditional delete in flight while the key is written: 409 ConditionalRequestConflict', async () => {
      await createBucket();
      const v1 = await put({ Key: 'lock.json', Body: 'v1' });
      await box.sb.hold({ operation: 'DeleteObject' });
      const deleting = s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'lock.json', IfMatch: v1.ETag }));
      deleting.catch(() => {});
      await box.sb.waitUntilHeld('DeleteObject');
      await put({ Key: 'lock.json', Body: 'v2' });
      await box.sb.release();
      await expectS3Error(deleting, 'ConditionalRequestConflict', 409);
      expect(await read('lock.json')).toBe('v2');
    });
  });
});

describe('conditional deletes (DeleteObject If-Match)', () => {
  it('a matching ETag (or *) deletes; a stale one is 412; a missing key is 404 NoSuchKey', async () => {
    await createBucket();
    const v1 = await put({ Key: 'lock.json', Body: 'v1' });
    await put({ Key: 'lock.json', Body: 'v2' });
    await expectS3Error(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'lock.json', IfMatch: v1.ETag })), 'PreconditionFailed', 412);
    expect(await read('lock.json')).toBe('v2');
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'lock.json', IfMatch: md5('v2') }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectAwsError(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'lock.json', IfMatch: '*' })), NoSuchKey, 404);
    await put({ Key: 'lock.json', Body: 'v3' });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'lock.json', IfMatch: '*' }));
  });
});

describe('conditional reads (GetObject, HeadObject)', () => {
  const status = (call: Promise<unknown>) => call.then(
    () => 200,
    (e: { $metadata: { httpStatusCode: number } }) => e.$metadata.httpStatusCode,
  );

  it('If-Match / If-None-Match: 412 and 304', async () => {
    await createBucket();
    const { ETag } = await put({ Key: 'state.json', Body: 'v1' });
    const get = (input: { IfMatch?: string; IfNoneMatch?: string }) => status(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'state.json', ...input })));
    const head = (input: { IfMatch?: string; IfNoneMatch?: string }) => status(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'state.json', ...input })));
    expect(await get({ IfMatch: ETag })).toBe(200);
    expect(await get({ IfMatch: md5('other') })).toBe(412);
    expect(await head({ IfMatch: md5('other') })).toBe(412);
    expect(await get({ IfNoneMatch: ETag })).toBe(304);
    expect(await head({ IfNoneMatch: ETag })).toBe(304);
    expect(await get({ IfNoneMatch: md5('other') })).toBe(200);
    // A missing object is NoSuchKey whatever the conditions.
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'absent', IfNoneMatch: '*' })), NoSuchKey, 404);
  });

  it('If-Modified-Since / If-Unmodified-Since, and the two combinations the API Reference documents', async () => {
    await createBucket();
    const { ETag } = await put({ Key: 'state.json', Body: 'v1' });
    const { LastModified } = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'state.json' }));
    const before = new Date(LastModified!.getTime() - 60_000);
    const get = (input: { IfMatch?: string; IfNoneMatch?: string; IfModifiedSince?: Date; IfUnmodifiedSince?: Date }) =>
      status(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'state.json', ...input })));
    expect(await get({ IfModifiedSince: LastModified })).toBe(304);
    expect(await get({ IfModifiedSince: before })).toBe(200);
    expect(await get({ IfUnmodifiedSince: LastModified })).toBe(200);
    expect(await get({ IfUnmodifiedSince: before })).toBe(412);
    // "If-Match condition evaluates to true, and; If-Unmodified-Since condition evaluates to false; then, S3 returns 200 OK"
    expect(await get({ IfMatch: ETag, IfUnmodifiedSince: before })).toBe(200);
    // "If-None-Match condition evaluates to false, and; If-Modified-Since condition evaluates to true; then, S3 returns 304 Not Modified"
    expect(await get({ IfNoneMatch: md5('other'), IfModifiedSince: before })).toBe(200);
    expect(await get({ IfNoneMatch: ETag, IfModifiedSince: before })).toBe(304);
    // A later write is modified since the first one's Last-Modified.
    await box.sb.advance(2_000);
    await put({ Key: 'state.json', Body: 'v2' });
    expect(await get({ IfModifiedSince: LastModified })).toBe(200);
  });
});

describe('ListObjectsV2', () => {
  const KEYS = ['a/1.json', 'a/2.json', 'b.json', 'c/x/1.json', 'c/y.json', 'd.json', 'e/1.json'];
  const list = (input: Omit<ConstructorParameters<typeof ListObjectsV2Command>[0], 'Bucket'>, via: S3Client = s3) =>
    via.send(new ListObjectsV2Command({ Bucket: BUCKET, ...input }));
  async function fill(): Promise<void> {
    await createBucket();
    for (const key of KEYS) await put({ Key: key, Body: key });
  }

  it('prefix, delimiter, CommonPrefixes and KeyCount', async () => {
    await fill();
    const all = await list({});
    expect(all.Contents!.map((c) => c.Key)).toEqual(KEYS);
    expect(all).toMatchObject({ KeyCount: 7, IsTruncated: false, MaxKeys: 1000, Name: BUCKET, Prefix: '' });
    expect(all.Contents![0]).toMatchObject({ Size: 8, ETag: md5('a/1.json'), StorageClass: 'STANDARD' });

    const top = await list({ Delimiter: '/' });
    expect(top.Contents!.map((c) => c.Key)).toEqual(['b.json', 'd.json']);
    expect(top.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['a/', 'c/', 'e/']);
    expect(top).toMatchObject({ KeyCount: 5, Delimiter: '/' });

    const inC = await list({ Prefix: 'c/', Delimiter: '/' });
    expect(inC.Contents!.map((c) => c.Key)).toEqual(['c/y.json']);
    expect(inC.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['c/x/']);
    expect(inC).toMatchObject({ KeyCount: 2, Prefix: 'c/' });

    expect((await list({ Prefix: 'zzz' })).KeyCount).toBe(0);
  });

  it('pages with max-keys and continuation tokens, a common prefix counting as one entry', async () => {
    await fill();
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await list({ Delimiter: '/', MaxKeys: 2, ContinuationToken: token });
      pages.push(keysOf(page));
      expect(page.KeyCount).toBe(pages.at(-1)!.length);
      expect(page.ContinuationToken).toBe(token);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated) expect(token).toBeTruthy();
      else expect(page.NextContinuationToken).toBeUndefined();
    } while (token);
    // Contents then CommonPrefixes within a page; entries in key order across pages.
    expect(pages).toEqual([
      ['b.json', 'a/'],
      ['d.json', 'c/'],
      ['e/'],
    ]);

    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 3 }, { Bucket: BUCKET })) keys.push(...page.Contents!.map((c) => c.Key!));
    expect(keys).toEqual(KEYS);
  });

  it('a token stays valid while keys come and go; start-after; max-keys 0; bad tokens and max-keys are InvalidArgument', async () => {
    await fill();
    const first = await list({ MaxKeys: 2 });
    await put({ Key: 'a/0.json', Body: 'before the cursor' });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'b.json' }));
    const next = await list({ MaxKeys: 2, ContinuationToken: first.NextContinuationToken });
    expect(keysOf(next)).toEqual(['c/x/1.json', 'c/y.json']);

    const after = await list({ StartAfter: 'c/x/1.json' });
    expect(keysOf(after)).toEqual(['c/y.json', 'd.json', 'e/1.json']);
    expect(after.StartAfter).toBe('c/x/1.json');

    const none = await list({ MaxKeys: 0 });
    expect(none).toMatchObject({ KeyCount: 0, IsTruncated: false });

    await expectS3Error(list({ ContinuationToken: 'not-a-token' }), 'InvalidArgument', 400, /The continuation token provided is incorrect/);
    const badMax = await raw('GET', `/${BUCKET}?list-type=2&max-keys=-1`);
    expect(badMax.status).toBe(400);
    expect(await badMax.text()).toContain('<Code>InvalidArgument</Code>');
  });

  it('encoding-type=url encodes keys, prefixes and the delimiter', async () => {
    await createBucket();
    await put({ Key: 'dir one/ü+x.json', Body: '1' });
    await put({ Key: 'dir one/sub dir/y.json', Body: '2' });
    const page = await list({ Prefix: 'dir one/', Delimiter: '/', EncodingType: 'url' });
    expect(page.EncodingType).toBe('url');
    expect(page.Prefix).toBe('dir+one/');
    expect(page.Contents!.map((c) => c.Key)).toEqual(['dir+one/%C3%BC%2Bx.json']);
    expect(page.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['dir+one/sub+dir/']);
    expect(decodeURIComponent(page.Contents![0]!.Key!.replace(/\+/g, ' '))).toBe('dir one/ü+x.json');
    const bad = await raw('GET', `/${BUCKET}?list-type=2&encoding-type=base64`);
    expect(bad.status).toBe(400);
  });

  it('ListObjects (version 1): marker, and NextMarker with a delimiter', async () => {
    await fill();
    const first = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Delimiter: '/', MaxKeys: 2 }));
    expect([...first.Contents!.map((c) => c.Key), ...first.CommonPrefixes!.map((p) => p.Prefix)]).toEqual(['b.json', 'a/']);
    expect(first).toMatchObject({ IsTruncated: true, NextMarker: 'b.json' });
    const second = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Delimiter: '/', MaxKeys: 2, Marker: first.NextMarker }));
    expect([...second.Contents!.map((c) => c.Key), ...second.CommonPrefixes!.map((p) => p.Prefix)]).toEqual(['d.json', 'c/']);
    const plain = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, MaxKeys: 3 }));
    expect(plain.Contents!.map((c) => c.Key)).toEqual(KEYS.slice(0, 3));
    expect(plain.NextMarker).toBeUndefined();
  });
});

describe('addressing', () => {
  it('virtual-hosted style (bucket.localhost, bucket.s3.localhost, bucket.s3.us-east-1.amazonaws.com) and path style reach the same bucket', async () => {
    await virtualHosted.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await put({ Key: 'via/localhost.json', Body: '1' }, virtualHosted);
    await put({ Key: 'via/s3-localhost.json', Body: '2' }, virtualS3Host);
    await put({ Key: 'via/aws.json', Body: '3' }, awsHost);
    await put({ Key: 'via/path.json', Body: '4' }, s3);
    for (const via of [s3, virtualHosted, virtualS3Host, awsHost]) {
      expect(keysOf(await via.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'via/' })))).toEqual(['via/aws.json', 'via/localhost.json', 'via/path.json', 'via/s3-localhost.json']);
      expect(await read('via/aws.json', via)).toBe('3');
    }
    expect((await virtualS3Host.send(new HeadBucketCommand({ Bucket: BUCKET }))).BucketRegion).toBe('us-east-1');
    // ListBuckets names no bucket: the service endpoint itself.
    expect((await virtualS3Host.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toEqual([BUCKET]);
    // A bucket name with dots stays whole in the Host.
    await virtualHosted.send(new CreateBucketCommand({ Bucket: 'my.state.bucket' }));
    await put({ Bucket: 'my.state.bucket', Key: 'k', Body: 'dotted' }, virtualHosted);
    expect(await s3.send(new GetObjectCommand({ Bucket: 'my.state.bucket', Key: 'k' })).then((r) => r.Body!.transformToString())).toBe('dotted');
  });
});

describe('the sandbox around S3', () => {
  it('state: buckets and base64 bodies in GET /_sandbox/state; reset empties them; older state files gain the member on first use', async () => {
    await createBucket();
    await put({ Key: 'state.json', Body: '{"serial":7}', ContentType: 'application/json', Metadata: { writer: 'ci' } });
    const state = await box.sb.admin<{ s3: { buckets: { name: string; region: string; objects: { key: string; body: string; etag: string; metadata: object }[] }[] } }>('GET', 'state');
    expect(state.s3.buckets).toHaveLength(1);
    expect(state.s3.buckets[0]).toMatchObject({ name: BUCKET, region: 'us-east-1' });
    const [object] = state.s3.buckets[0]!.objects;
    expect(object).toMatchObject({ key: 'state.json', etag: md5('{"serial":7}'), metadata: { writer: 'ci' } });
    expect(Buffer.from(object!.body, 'base64').toString()).toBe('{"serial":7}');

    await box.sb.admin('POST', 'reset');
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);

    const older = { ...emptyData() };
    delete older.s3;
    const world = new World(older);
    expect(world.s3Buckets).toEqual([]);
    expect(world.data.s3).toEqual({ buckets: [] });
  });

  it('a state file keeps buckets and objects across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-s3-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await startTestSandbox({ stateFile, seed: 'empty' });
      const writer = new S3Client({ ...first.clientConfig(), forcePathStyle: true });
      await writer.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await writer.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept.json', Body: 'kept' }));
      writer.destroy();
      await first.close();
      const second = await startTestSandbox({ stateFile });
      const reader = new S3Client({ ...second.clientConfig(), forcePathStyle: true });
      const got = await reader.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept.json' }));
      expect(await got.Body!.transformToString()).toBe('kept');
      expect(got.ETag).toBe(md5('kept'));
      reader.destroy();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("throttling fails calls with S3's SlowDown (503), which the SDK retries; faults and the call log name S3's operations", async () => {
    await createBucket();
    await box.sb.admin('POST', 'throttle', { rate: 1 });
    const once = client({ maxAttempts: 2 });
    const error = await expectS3Error(put({ Key: 'k', Body: 'x' }, once), 'SlowDown', 503, /Please reduce your request rate/);
    expect((error as { $metadata: { attempts: number } }).$metadata.attempts).toBe(2);
    await box.sb.admin('POST', 'throttle', { rate: 0 });

    await box.sb.admin('POST', 'faults', { operation: 'GetObject', error: 'InternalError', status: 500 });
    await put({ Key: 'k', Body: 'x' });
    expect(await read('k')).toBe('x');
    const calls = (await box.sb.calls()).filter((c) => c.service === 's3');
    expect(calls.map((c) => [c.operation, c.status, c.error, c.mutating])).toEqual([
      ['CreateBucket', 200, null, true],
      ['PutObject', 503, 'SlowDown', true],
      ['PutObject', 503, 'SlowDown', true],
      ['PutObject', 200, null, true],
      ['GetObject', 500, 'InternalError', false],
      ['GetObject', 200, null, false],
    ]);
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'k' }));
    expect((await box.sb.calls()).at(-1)).toMatchObject({ operation: 'HeadObject', mutating: false });
  });

  it('not emulated: multipart uploads and copies answer 501 NotImplemented, named in the call log', async () => {
    await createBucket();
    await put({ Key: 'src', Body: 'x' });
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'big.bin' })), 'NotImplemented', 501, /does not emulate S3 CreateMultipartUpload/);
    await expectS3Error(s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'dst', CopySource: `${BUCKET}/src` })), 'NotImplemented', 501);
    const calls = (await box.sb.calls()).filter((c) => c.status === 501).map((c) => c.operation);
    expect(calls).toEqual(['CreateMultipartUpload', 'CopyObject']);
    // Nor CORS preflights: S3's API has no operation for OPTIONS.
    const options = await raw('OPTIONS', `/${BUCKET}/src`);
    expect(options.status).toBe(405);
    expect(await options.text()).toContain('<Code>MethodNotAllowed</Code>');
  });
});

const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const run = promisify(execFile);

describe.skipIf(!hasAwsCli)('the AWS CLI', () => {
  // Asynchronous: the sandbox answers from this very process.
  async function aws(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    try {
      const { stdout, stderr } = await run('aws', ['--endpoint-url', box.sb.endpoint, '--region', 'us-east-1', ...args], {
        env: {
          // The caller's environment without its AWS settings (a profile or token would get in the way).
          ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))),
          AWS_ACCESS_KEY_ID: 'sandbox',
          AWS_SECRET_ACCESS_KEY: 'sandbox',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_PAGER: '',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const failed = error as { stdout: string; stderr: string; code: number };
      return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
    }
  }

  it('s3 mb, cp (both ways), ls --recursive; s3api put-object --if-none-match twice, list-objects-v2 with a delimiter; s3 rm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-s3-cli-'));
    try {
      const file = join(dir, 'b c.json');
      writeFileSync(file, '{"serial":1}');
      expect((await aws('s3', 'mb', `s3://${BUCKET}`)).code).toBe(0);
      expect((await aws('s3', 'cp', file, `s3://${BUCKET}/a/b c ü.json`)).code).toBe(0);
      // `s3 ls` asks for encoding-type=url and decodes the keys.
      expect((await aws('s3', 'ls', `s3://${BUCKET}`, '--recursive')).stdout).toMatch(/ 12 a\/b c ü\.json\n$/);
      expect((await aws('s3', 'cp', `s3://${BUCKET}/a/b c ü.json`, '-')).stdout).toBe('{"serial":1}');
      expect((await aws('s3api', 'put-object', '--bucket', BUCKET, '--key', 'lock.json', '--body', file, '--if-none-match', '*')).code).toBe(0);
      const again = await aws('s3api', 'put-object', '--bucket', BUCKET, '--key', 'lock.json', '--body', file, '--if-none-match', '*');
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('An error occurred (PreconditionFailed) when calling the PutObject operation');
      const listed = JSON.parse((await aws('s3api', 'list-objects-v2', '--bucket', BUCKET, '--delimiter', '/', '--output', 'json')).stdout) as ListObjectsV2CommandOutput;
      expect(keysOf(listed)).toEqual(['lock.json', 'a/']);
      expect((await aws('s3', 'rm', `s3://${BUCKET}`, '--recursive')).code).toBe(0);
      expect((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
