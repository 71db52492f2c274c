/**
 * Conditional requests (S3 User Guide, "Add preconditions to S3 operations with conditional
 * requests"; API Reference, GetObject, HeadObject, PutObject, DeleteObject).
 *
 * ETags compare without their quotes: the SDK sends back the quoted value S3 returned, the
 * AWS CLI documentation's examples pass the bare hex (`--if-match "6805f2cf…"`); `*` matches
 * any object; a header may list several ETags.
 *
 * Reads (GetObject, HeadObject), RFC 7232 section 6 order, which gives the two combinations
 * the API Reference documents (If-Match true + If-Unmodified-Since false → 200; If-None-Match
 * false + If-Modified-Since true → 304):
 *   If-Match false → 412; else If-Unmodified-Since false (without If-Match) → 412;
 *   If-None-Match matching → 304; else If-Modified-Since not modified (without If-None-Match) → 304.
 * A missing object is NoSuchKey whatever the headers say. An unparsable date is ignored.
 *
 * Writes (PutObject), "Conditional write behavior":
 * - If-None-Match: * — "If there's an existing object, the write operation fails, resulting
 *   in a 412 Precondition Failed"; "If multiple conditional writes … occur for the same object
 *   name, the first write operation to finish succeeds. Amazon S3 then fails subsequent writes
 *   with a 412"; "You can also receive a 409 Conflict response in the case of concurrent
 *   requests if a delete request to an object succeeds before a conditional write operation on
 *   that object completes" (ConditionalRequestConflict).
 * - If-Match: <etag> — mismatch → 412; "If there's no current object version with the same
 *   name … the operation fails with a 404 Not Found error" (NoSuchKey), also when "a concurrent
 *   delete request to an object succeeds before a conditional write operation on that object
 *   completes"; "You can also receive a 409 Conflict response in the case of concurrent
 *   requests" — PutObject: "If a conflicting operation occurs during the upload S3 returns a 409
 *   ConditionalRequestConflict response. On a 409 failure you should fetch the object's ETag
 *   and retry the upload." The sandbox answers 409 when another write to the key completed
 *   while this one was in flight (in-flight.ts), whatever the ETags.
 * - Other If-None-Match values (an ETag) are not documented for writes; the sandbox applies
 *   RFC 7232 (412 when one matches) rather than refuse them.
 *
 * Deletes (DeleteObject If-Match), "How to perform conditional deletes": match → 204, mismatch
 * → 412, `*` matches any existing object; "409 Conflict … if a DELETE or PUT request to an
 * object succeeds before a conditional delete operation on that object completes". A missing
 * object with If-Match: the guide says only "Not Found" (DeleteObjects: "If the object doesn't
 * exist when evaluating either of the preconditions, S3 rejects the request and returns a Not
 * Found error response"); the sandbox answers 404 NoSuchKey, as for PutObject.
 */
import type { SandboxRequest } from '../request.js';
import type { S3BucketRecord, S3ObjectRecord } from '../world.js';
import { resourceOf } from './addressing.js';
import { conditionalRequestConflict, noSuchKey, preconditionFailed, S3Error } from './errors.js';
import { changedDuringFlight } from './in-flight.js';
import { header, httpDate } from './protocol.js';

const bare = (etag: string): string => etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');

/** Whether an If-Match / If-None-Match value names this ETag (or is `*`). */
export function etagListMatches(value: string, etag: string): boolean {
  const wanted = bare(etag);
  return value.split(',').some((candidate) => candidate.trim() === '*' || bare(candidate) === wanted);
}

function dateHeader(req: SandboxRequest, name: string): number | undefined {
  const value = header(req, name);
  if (value === undefined) return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

export function checkReadPreconditions(req: SandboxRequest, bucket: S3BucketRecord, object: S3ObjectRecord): void {
  const resource = resourceOf(bucket.name, object.key);
  const ifMatch = header(req, 'if-match');
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, object.etag)) throw preconditionFailed('If-Match', resource);
  } else {
    const unmodifiedSince = dateHeader(req, 'if-unmodified-since');
    if (unmodifiedSince !== undefined && object.lastModified > unmodifiedSince) throw preconditionFailed('If-Unmodified-Since', resource);
  }
  const notModified = (): S3Error =>
    new S3Error('NotModified', 304, 'Not Modified', { resource, headers: { etag: object.etag, 'last-modified': httpDate(object.lastModified) } });
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, object.etag)) throw notModified();
  } else {
    const modifiedSince = dateHeader(req, 'if-modified-since');
    if (modifiedSince !== undefined && object.lastModified <= modifiedSince) throw notModified();
  }
}

/** PutObject's If-Match / If-None-Match, evaluated as the write completes. */
export function checkWritePreconditions(req: SandboxRequest, bucket: S3BucketRecord, key: string, current: S3ObjectRecord | undefined): void {
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return;
  const resource = resourceOf(bucket.name, key);
  const during = changedDuringFlight(req, bucket, key);
  if (ifMatch !== undefined) {
    if (!current) throw noSuchKey(bucket.name, key);
    if (during) throw conditionalRequestConflict(resource);
    if (!etagListMatches(ifMatch, current.etag)) throw preconditionFailed('If-Match', resource);
  }
  if (ifNoneMatch !== undefined) {
    if (current && etagListMatches(ifNoneMatch, current.etag)) throw preconditionFailed('If-None-Match', resource);
    if (!current && during === 'delete') throw conditionalRequestConflict(resource);
  }
}

/** DeleteObject's If-Match. */
export function checkDeletePreconditions(req: SandboxRequest, bucket: S3BucketRecord, key: string, current: S3ObjectRecord | undefined): void {
  const ifMatch = header(req, 'if-match');
  if (ifMatch === undefined) return;
  const resource = resourceOf(bucket.name, key);
  if (changedDuringFlight(req, bucket, key)) throw conditionalRequestConflict(resource);
  if (!current) throw noSuchKey(bucket.name, key);
  if (!etagListMatches(ifMatch, current.etag)) throw preconditionFailed('If-Match', resource);
}
