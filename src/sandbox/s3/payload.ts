/**
 * An upload's bytes and their integrity checks (S3 User Guide, "Checking object integrity";
 * API Reference, PutObject):
 *
 * - aws-chunked bodies: with `Content-Encoding: aws-chunked` (or an `x-amz-content-sha256` of
 *   `STREAMING-…`) the body is `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` chunks, a
 *   zero-size one, then trailers such as `x-amz-checksum-crc32:<base64>`. The AWS SDK sends a
 *   stream body this way. `x-amz-decoded-content-length` is the object's size. aws-chunked is
 *   not part of the object: it is taken out of the Content-Encoding S3 stores.
 * - Content-MD5: base64 of the body's MD5, else 400 InvalidDigest; a mismatch is 400 BadDigest.
 * - x-amz-checksum-<algorithm> as a header or trailer: at most one; a value that is not the
 *   base64 of a digest is 400 InvalidRequest; a mismatch is 400 BadDigest. Without one, S3
 *   computes a CRC64NVME (its default integrity protection for uploads that carry none).
 *
 * Not emulated: chunk and trailer signatures and `x-amz-content-sha256` are not verified
 * (the sandbox accepts any credentials and checks no signature).
 */
import { createHash } from 'node:crypto';
import type { SandboxRequest } from '../request.js';
import { CHECKSUM_ALGORITHMS, CHECKSUM_BYTES, checksumHeader, checksumOf, type ChecksumAlgorithm } from './checksums.js';
import { invalidRequest, S3Error } from './errors.js';
import { header } from './protocol.js';

export interface Payload {
  bytes: Buffer;
  /** Trailing headers of an aws-chunked body (lower-case names). */
  trailers: Record<string, string>;
}

const incompleteBody = (): S3Error => new S3Error('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header');

export function isAwsChunked(req: SandboxRequest): boolean {
  const encodings = (header(req, 'content-encoding') ?? '').split(',').map((e) => e.trim().toLowerCase());
  return encodings.includes('aws-chunked') || (header(req, 'x-amz-content-sha256') ?? '').startsWith('STREAMING-');
}

function decodeAwsChunked(body: Buffer): Payload {
  const chunks: Buffer[] = [];
  let at = 0;
  const line = (): string => {
    const end = body.indexOf('\r\n', at);
    if (end < 0) throw incompleteBody();
    const text = body.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const size = Number.parseInt(line().split(';')[0]!.trim(), 16);
    if (!Number.isInteger(size) || size < 0) throw incompleteBody();
    if (size === 0) break;
    if (at + size + 2 > body.length) throw incompleteBody();
    chunks.push(body.subarray(at, at + size));
    at += size + 2;
  }
  const trailers: Record<string, string> = {};
  while (at < body.length) {
    const text = line();
    if (text === '') break;
    const colon = text.indexOf(':');
    if (colon > 0) trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
  }
  return { bytes: Buffer.concat(chunks), trailers };
}

export function readPayload(req: SandboxRequest): Payload {
  if (!isAwsChunked(req)) return { bytes: req.body, trailers: {} };
  const payload = decodeAwsChunked(req.body);
  const declared = header(req, 'x-amz-decoded-content-length');
  if (declared !== undefined && Number(declared) !== payload.bytes.length) throw incompleteBody();
  return payload;
}

/** Content-Encoding as S3 stores it: the sent value without aws-chunked; undefined when nothing is left. */
export function storedContentEncoding(req: SandboxRequest): string | undefined {
  const kept = (header(req, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  return kept.length ? kept.join(', ') : undefined;
}

function checkContentMd5(req: SandboxRequest, bytes: Buffer): void {
  const sent = header(req, 'content-md5');
  if (sent === undefined) return;
  if (Buffer.from(sent, 'base64').length !== 16) throw new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', { fields: { 'Content-MD5': sent } });
  if (createHash('md5').update(bytes).digest('base64') !== sent) {
    throw new S3Error('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', { fields: { ExpectedDigest: sent } });
  }
}

/** Checks Content-MD5 and the checksum the upload carries; returns the object's full-object checksum. */
export function verifiedChecksum(req: SandboxRequest, payload: Payload): { algorithm: ChecksumAlgorithm; value: string } {
  checkContentMd5(req, payload.bytes);
  const sent = CHECKSUM_ALGORITHMS.flatMap((algorithm) => {
    const value = header(req, checksumHeader(algorithm)) ?? payload.trailers[checksumHeader(algorithm)];
    return value === undefined ? [] : [{ algorithm, value }];
  });
  if (sent.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const given = sent[0];
  if (!given) return { algorithm: 'CRC64NVME', value: checksumOf('CRC64NVME', payload.bytes) };
  if (Buffer.from(given.value, 'base64').length !== CHECKSUM_BYTES[given.algorithm]) {
    throw invalidRequest(`Value for ${checksumHeader(given.algorithm)} header is invalid.`);
  }
  const computed = checksumOf(given.algorithm, payload.bytes);
  if (!Buffer.from(computed, 'base64').equals(Buffer.from(given.value, 'base64'))) {
    throw new S3Error('BadDigest', 400, `The ${given.algorithm} you specified did not match the calculated checksum.`);
  }
  return { algorithm: given.algorithm, value: computed };
}
