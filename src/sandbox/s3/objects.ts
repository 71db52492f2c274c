/**
 * Object operations: PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects
 * (S3 API Reference, each operation's page).
 *
 * - ETag: for an object uploaded in one PutObject, the quoted hex MD5 of its bytes ("The ETag
 *   reflects changes only to the contents of an object, not its metadata", Object; the MD5 form
 *   holds for single-part uploads encrypted with SSE-S3, S3's default encryption, which the
 *   replies name with `x-amz-server-side-encryption: AES256`).
 * - Last-Modified has second precision; Content-Type is stored as sent (binary/octet-stream
 *   without one); x-amz-meta-* user metadata (at most 2 KB: "the sum of the number of bytes in
 *   the UTF-8 encoding of each key and value", else 400 MetadataTooLarge) and Cache-Control,
 *   Content-Disposition, Content-Encoding, Content-Language, Expires round-trip.
 * - Keys: "a sequence of Unicode characters whose UTF-8 encoding is at most 1,024 bytes long"
 *   (S3 User Guide, "Naming Amazon S3 objects"), else 400 KeyTooLongError.
 * - GetObject/HeadObject: a single `Range: bytes=…` gives 206 with Content-Range (416
 *   InvalidRange past the end); other Range values are ignored, as RFC 7233 allows.
 *   `x-amz-checksum-mode: ENABLED` returns the full-object checksum (not for ranges).
 *   response-* query parameters override the reply's headers.
 * - DeleteObject is idempotent: 204 whether or not the key exists (unversioned buckets).
 *
 * Not emulated: versioning (versionId other than "null" is refused), storage classes (every
 * object is STANDARD), object tagging, ACLs, SSE-KMS / SSE-C, object lock, partNumber reads.
 */
import { createHash } from 'node:crypto';
import type { SandboxReply, SandboxRequest } from '../request.js';
import type { S3BucketRecord, S3ObjectRecord, World } from '../world.js';
import { el, text, type XmlNode } from '../xml.js';
import { checksumHeader } from './checksums.js';
import { invalidArgument, invalidRequest, malformedXml, S3Error } from './errors.js';
import { readPayload, storedContentEncoding, verifiedChecksum } from './payload.js';
import { checkDeletePreconditions, checkReadPreconditions, checkWritePreconditions, etagListMatches } from './preconditions.js';
import { emptyReply, header, httpDate, readS3Xml, s3XmlReply } from './protocol.js';
import { findObject, removeObject, requireBucket, requireObject, storeObject } from './store.js';

const MAX_KEY_BYTES = 1024;
const MAX_METADATA_BYTES = 2048;
/** DeleteObjects: "The request can contain a list of up to 1,000 keys". */
const MAX_DELETE_KEYS = 1000;
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-language', 'expires'];
/** GetObject's response-* parameters and the header each overrides. */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
  'response-content-language': 'content-language',
  'response-content-type': 'content-type',
  'response-expires': 'expires',
};

/** S3 encrypts every new object with SSE-S3 by default (S3 User Guide, "Default encryption"). */
const SSE = { 'x-amz-server-side-encryption': 'AES256' };

function checkKey(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', 400, 'Your key is too long', { fields: { MaxSizeAllowed: String(MAX_KEY_BYTES), Size: String(size) } });
}

function checkVersionId(req: SandboxRequest): void {
  const versionId = req.query.get('versionId');
  if (versionId !== null && versionId !== 'null') throw invalidArgument('Invalid version id specified', 'versionId', versionId);
}

function userMetadata(req: SandboxRequest): Record<string, string> {
  const entries = Object.entries(req.headers)
    .filter(([name]) => name.startsWith('x-amz-meta-'))
    .map(([name, value]): [string, string] => [name.slice('x-amz-meta-'.length), Array.isArray(value) ? value.join(', ') : (value ?? '')]);
  const size = entries.reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
  if (size > MAX_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', 400, 'Your metadata headers exceed the maximum allowed metadata size.', { fields: { Size: String(size), MaxSizeAllowed: String(MAX_METADATA_BYTES) } });
  }
  return Object.fromEntries(entries);
}

function storedHeaders(req: SandboxRequest): Record<string, string> {
  const kept = STORED_HEADERS.flatMap((name): [string, string][] => {
    const value = header(req, name);
    return value === undefined ? [] : [[name, value]];
  });
  const encoding = storedContentEncoding(req);
  if (encoding !== undefined) kept.push(['content-encoding', encoding]);
  return Object.fromEntries(kept);
}

export function putObject(req: SandboxRequest, world: World, bucketName: string, key: string): SandboxReply {
  const bucket = requireBucket(world, req, bucketName);
  checkKey(key);
  const payload = readPayload(req);
  const checksum = verifiedChecksum(req, payload);
  const metadata = userMetadata(req);
  checkWritePreconditions(req, bucket, key, findObject(bucket, key));
  const object: S3ObjectRecord = {
    key,
    body: payload.bytes.toString('base64'),
    size: payload.bytes.length,
    etag: `"${createHash('md5').update(payload.bytes).digest('hex')}"`,
    // Whole seconds: a client that sends back Last-Modified as If-Modified-Since gets 304.
    lastModified: Math.floor(world.now() / 1000) * 1000,
    contentType: header(req, 'content-type') ?? 'binary/octet-stream',
    metadata,
    headers: storedHeaders(req),
    checksum,
  };
  storeObject(bucket, object);
  return emptyReply(req, 200, {
    etag: object.etag,
    ...SSE,
    [checksumHeader(checksum.algorithm)]: checksum.value,
    'x-amz-checksum-type': 'FULL_OBJECT',
  });
}

/** The headers GetObject and HeadObject describe an object with. */
function objectHeaders(req: SandboxRequest, object: S3ObjectRecord, whole: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': httpDate(object.lastModified),
    'accept-ranges': 'bytes',
    ...SSE,
    ...object.headers,
    ...Object.fromEntries(Object.entries(object.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value])),
  };
  if (whole && header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    headers[checksumHeader(object.checksum.algorithm)] = object.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  for (const [parameter, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = req.query.get(parameter);
    if (value !== null) headers[name] = headerValue(parameter, value);
  }
  return headers;
}

/**
 * A response-* value as header bytes: its UTF-8 (HTTP header values are bytes; Node writes a
 * string's characters as Latin-1, so the string is re-read as Latin-1 first). Control
 * characters cannot be in a header at all.
 */
function headerValue(parameter: string, value: string): string {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw invalidArgument(`The ${parameter} parameter is not a valid header value`, parameter, value);
  return Buffer.from(value, 'utf8').toString('latin1');
}

/** The byte range a `Range: bytes=first-last` header asks for; undefined for the whole object. */
function requestedRange(req: SandboxRequest, bucket: S3BucketRecord, object: S3ObjectRecord): { start: number; end: number } | undefined {
  const range = header(req, 'range');
  const match = range === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const size = object.size;
  let start: number;
  let end: number;
  if (match[1] === '') {
    // bytes=-N: the last N bytes.
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return undefined;
  }
  if (start >= size || size === 0) {
    throw new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
      resource: `/${bucket.name}/${object.key}`,
      fields: { RangeRequested: range!, ActualObjectSize: String(size) },
      headers: { 'content-range': `bytes */${size}` },
    });
  }
  return { start, end };
}

/** GetObject and HeadObject: the same answer, with or without the bytes. */
export function readObject(req: SandboxRequest, world: World, bucketName: string, key: string, withBody: boolean): SandboxReply {
  const bucket = requireBucket(world, req, bucketName);
  checkVersionId(req);
  const object = requireObject(bucket, key);
  checkReadPreconditions(req, bucket, object);
  const range = requestedRange(req, bucket, object);
  const bytes = Buffer.from(object.body, 'base64');
  const served = range ? bytes.subarray(range.start, range.end + 1) : bytes;
  const headers = objectHeaders(req, object, !range);
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${object.size}`;
  const reply = emptyReply(req, range ? 206 : 200, headers);
  if (withBody) return { ...reply, body: served };
  // HEAD: no body, but the Content-Length a GET would have.
  return { ...reply, headers: { ...reply.headers, 'content-length': String(served.length) } };
}

export function deleteObject(req: SandboxRequest, world: World, bucketName: string, key: string): SandboxReply {
  const bucket = requireBucket(world, req, bucketName);
  checkVersionId(req);
  checkDeletePreconditions(req, bucket, key, findObject(bucket, key));
  removeObject(bucket, key);
  return emptyReply(req, 204);
}

/** One <Object> of a DeleteObjects request: its Key and optional ETag condition. */
function deleteEntry(node: XmlNode): { key: string; etag?: string } {
  const key = text(node, 'Key');
  if (key === undefined || key === '') throw malformedXml();
  return { key, etag: text(node, 'ETag') };
}

/**
 * DeleteObjects (POST /bucket?delete): up to 1,000 keys; the request must carry Content-MD5 or
 * an x-amz-checksum-* header ("Missing required header for this request: Content-MD5 OR
 * x-amz-checksum-*"); each key is reported under <Deleted> (missing keys too) or, when its
 * <ETag> condition fails, under <Error>; Quiet leaves out the <Deleted> entries.
 */
export function deleteObjects(req: SandboxRequest, world: World, bucketName: string): SandboxReply {
  const bucket = requireBucket(world, req, bucketName);
  if (header(req, 'content-md5') === undefined && !Object.keys(req.headers).some((name) => name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type')) {
    throw invalidRequest('Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
  }
  verifiedChecksum(req, readPayload(req));
  const request = readS3Xml(req, 'Delete');
  const entries = (request?.children ?? []).filter((c) => c.name === 'Object').map(deleteEntry);
  if (entries.length === 0 || entries.length > MAX_DELETE_KEYS) throw malformedXml();
  const quiet = text(request, 'Quiet') === 'true';
  const results: XmlNode[] = [];
  for (const { key, etag } of entries) {
    const current = findObject(bucket, key);
    if (etag !== undefined && (!current || !etagListMatches(etag, current.etag))) {
      results.push(
        current
          ? el('Error', el('Key', key), el('Code', 'PreconditionFailed'), el('Message', 'At least one of the pre-conditions you specified did not hold'))
          : el('Error', el('Key', key), el('Code', 'NoSuchKey'), el('Message', 'The specified key does not exist.')),
      );
      continue;
    }
    removeObject(bucket, key);
    if (!quiet) results.push(el('Deleted', el('Key', key)));
  }
  return s3XmlReply(req, el('DeleteResult', ...results));
}
