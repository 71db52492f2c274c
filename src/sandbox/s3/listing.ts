/**
 * ListObjectsV2 (GET /bucket?list-type=2) and ListObjects (GET /bucket), S3 API Reference.
 *
 * - Keys come in UTF-8 binary order; `prefix` limits them; `delimiter` rolls every key that
 *   has it after the prefix up into one CommonPrefixes entry (prefix + … + delimiter), which
 *   counts as one item against `max-keys` ("the response can contain fewer keys" —
 *   MaxKeys, default and maximum 1,000). KeyCount is keys plus common prefixes.
 * - V2 pages with an opaque ContinuationToken (NextContinuationToken when IsTruncated);
 *   `start-after` starts after a key and is ignored once a token is given. V1 pages with
 *   `marker`; NextMarker "is returned only if you have the delimiter request parameter
 *   specified" — otherwise the next marker is the last Key.
 * - Entries after a position: a key after it, its rolled-up prefix unless it is that very
 *   position (so a page that ended on a common prefix resumes after all of its keys).
 * - encoding-type=url encodes Delimiter, Prefix, StartAfter / Marker / NextMarker, Key and
 *   CommonPrefixes' Prefix (the AWS CLI always asks for it); any other value is 400
 *   InvalidArgument.
 * - max-keys 0 returns nothing and is not truncated.
 *
 * The sandbox's continuation tokens are the last entry of the page, base64 with a marker,
 * so a token stays valid while keys come and go; a token it cannot read is 400
 * InvalidArgument "The continuation token provided is incorrect".
 */
import type { SandboxReply, SandboxRequest } from '../request.js';
import type { S3BucketRecord, S3ObjectRecord, World } from '../world.js';
import { el, type XmlNode } from '../xml.js';
import { invalidArgument } from './errors.js';
import { isoDate, s3XmlReply, urlEncodeKey } from './protocol.js';
import { canonicalUserId, compareKeys, requireBucket } from './store.js';

const MAX_KEYS = 1000;
const TOKEN_MARK = 'sandbox-v2:';

interface Page {
  contents: S3ObjectRecord[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last entry returned (a key or a common prefix): where the next page starts after. */
  last?: string;
}

/** One page of the bucket's entries after `after` (exclusive), at most `maxKeys` of them. */
function listPage(bucket: S3BucketRecord, prefix: string, delimiter: string, after: string | undefined, maxKeys: number): Page {
  const page: Page = { contents: [], commonPrefixes: [], truncated: false };
  if (maxKeys === 0) return page;
  let count = 0;
  for (const object of bucket.objects) {
    const key = object.key;
    if (!key.startsWith(prefix)) continue;
    if (after !== undefined && compareKeys(key, after) <= 0) continue;
    const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    const rolledUp = cut < 0 ? undefined : key.slice(0, cut + delimiter.length);
    if (rolledUp !== undefined && (rolledUp === after || rolledUp === page.commonPrefixes.at(-1))) continue;
    if (count === maxKeys) {
      page.truncated = true;
      break;
    }
    count++;
    if (rolledUp !== undefined) page.commonPrefixes.push(rolledUp);
    else page.contents.push(object);
    page.last = rolledUp ?? key;
  }
  return page;
}

function readMaxKeys(req: SandboxRequest): number {
  const value = req.query.get('max-keys');
  if (value === null) return MAX_KEYS;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', value);
  return Math.min(parsed, MAX_KEYS);
}

function readEncoding(req: SandboxRequest): (value: string) => string {
  const type = req.query.get('encoding-type');
  if (type === null) return (value) => value;
  if (type !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  return urlEncodeKey;
}

function decodeToken(token: string): string {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  if (!decoded.startsWith(TOKEN_MARK)) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  return decoded.slice(TOKEN_MARK.length);
}

const encodeToken = (last: string): string => Buffer.from(TOKEN_MARK + last, 'utf8').toString('base64');

function contentsXml(object: S3ObjectRecord, encode: (value: string) => string, owner: string | undefined): XmlNode {
  return el(
    'Contents',
    el('Key', encode(object.key)),
    el('LastModified', isoDate(object.lastModified)),
    el('ETag', object.etag),
    el('ChecksumAlgorithm', object.checksum.algorithm),
    el('ChecksumType', 'FULL_OBJECT'),
    el('Size', object.size),
    owner === undefined ? undefined : el('Owner', el('ID', owner)),
    el('StorageClass', 'STANDARD'),
  );
}

const commonPrefixXml = (prefix: string, encode: (value: string) => string): XmlNode => el('CommonPrefixes', el('Prefix', encode(prefix)));

/** What both listings read from the request: the bucket, the key encoding, prefix, delimiter and page size. */
function listRequest(req: SandboxRequest, world: World, bucketName: string) {
  return { bucket: requireBucket(world, req, bucketName), encode: readEncoding(req), prefix: req.query.get('prefix') ?? '', delimiter: req.query.get('delimiter') ?? '', maxKeys: readMaxKeys(req) };
}

export function listObjectsV2(req: SandboxRequest, world: World, bucketName: string): SandboxReply {
  const { bucket, encode, prefix, delimiter, maxKeys } = listRequest(req, world, bucketName);
  const token = req.query.get('continuation-token');
  const startAfter = req.query.get('start-after');
  const after = token !== null ? decodeToken(token) : (startAfter ?? undefined);
  const page = listPage(bucket, prefix, delimiter, after, maxKeys);
  const owner = req.query.get('fetch-owner') === 'true' ? canonicalUserId(world.accountId) : undefined;
  return s3XmlReply(
    req,
    el(
      'ListBucketResult',
      el('Name', bucket.name),
      el('Prefix', encode(prefix)),
      delimiter === '' ? undefined : el('Delimiter', encode(delimiter)),
      el('MaxKeys', maxKeys),
      req.query.has('encoding-type') ? el('EncodingType', 'url') : undefined,
      el('KeyCount', page.contents.length + page.commonPrefixes.length),
      el('IsTruncated', page.truncated),
      token === null ? undefined : el('ContinuationToken', token),
      page.truncated ? el('NextContinuationToken', encodeToken(page.last!)) : undefined,
      startAfter === null ? undefined : el('StartAfter', encode(startAfter)),
      ...page.contents.map((object) => contentsXml(object, encode, owner)),
      ...page.commonPrefixes.map((p) => commonPrefixXml(p, encode)),
    ),
  );
}

export function listObjects(req: SandboxRequest, world: World, bucketName: string): SandboxReply {
  const { bucket, encode, prefix, delimiter, maxKeys } = listRequest(req, world, bucketName);
  const marker = req.query.get('marker') ?? '';
  const page = listPage(bucket, prefix, delimiter, marker === '' ? undefined : marker, maxKeys);
  const owner = canonicalUserId(world.accountId);
  return s3XmlReply(
    req,
    el(
      'ListBucketResult',
      el('Name', bucket.name),
      el('Prefix', encode(prefix)),
      el('Marker', encode(marker)),
      page.truncated && delimiter !== '' ? el('NextMarker', encode(page.last!)) : undefined,
      el('MaxKeys', maxKeys),
      delimiter === '' ? undefined : el('Delimiter', encode(delimiter)),
      req.query.has('encoding-type') ? el('EncodingType', 'url') : undefined,
      el('IsTruncated', page.truncated),
      ...page.contents.map((object) => contentsXml(object, encode, owner)),
      ...page.commonPrefixes.map((p) => commonPrefixXml(p, encode)),
    ),
  );
}
