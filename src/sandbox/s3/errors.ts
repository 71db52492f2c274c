/**
 * S3's errors and their wire format (S3 API Reference, "Error responses"): an XML body
 * `<Error><Code/><Message/>…<Resource/><RequestId/><HostId/></Error>` with
 * `Content-Type: application/xml`, plus the request id headers every S3 answer carries.
 * Unlike CloudFront's there is no ErrorResponse wrapper and no Type; some codes add detail
 * elements (BucketName, Key, Condition, ArgumentName, …), which the SDK exposes as fields.
 *
 * HEAD errors have no body ("It's not possible to retrieve the exact exception", HeadObject):
 * Node sends none for a HEAD response whatever we pass, so the SDK sees the bare status
 * (NotFound for 404). 304 Not Modified never has a body either.
 */
import { AwsError } from '../errors.js';
import type { SandboxReply } from '../request.js';
import { el, serializeXml } from '../xml.js';

export interface S3ErrorDetails {
  /** The bucket or object involved: `/bucket` or `/bucket/key`. */
  resource?: string;
  /** Detail elements after Message, in order (BucketName, Key, Condition, …). */
  fields?: Record<string, string>;
  /** Headers the error answer carries (a 304's ETag and Last-Modified). */
  headers?: Record<string, string>;
}

export class S3Error extends AwsError {
  constructor(code: string, status: number, message: string, readonly details: S3ErrorDetails = {}) {
    super(code, status, message);
  }
}

/** The headers of every S3 answer: x-amz-request-id, and x-amz-id-2 (S3's "host id"). */
export function requestIdHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(`sandbox/${requestId}`).toString('base64') };
}

export function renderS3Error(error: AwsError, requestId: string): SandboxReply {
  const details = error instanceof S3Error ? error.details : {};
  const headers = { ...requestIdHeaders(requestId), ...details.headers };
  if (error.status === 304) return { status: 304, headers };
  const body = serializeXml(
    el(
      'Error',
      el('Code', error.code),
      el('Message', error.message),
      ...Object.entries(details.fields ?? {}).map(([name, value]) => el(name, value)),
      details.resource === undefined ? undefined : el('Resource', details.resource),
      el('RequestId', requestId),
      el('HostId', headers['x-amz-id-2']),
    ),
  );
  return { status: error.status, headers: { ...headers, 'content-type': 'application/xml' }, body };
}

// ---- the errors the emulation raises (messages as S3 sends them) ---------------------------

export const noSuchBucket = (bucket: string): S3Error =>
  new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { resource: `/${bucket}`, fields: { BucketName: bucket } });

export const noSuchKey = (bucket: string, key: string): S3Error =>
  new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { resource: `/${bucket}/${key}`, fields: { Key: key } });

/** 412 on a failed If-Match / If-None-Match / If-Unmodified-Since; Condition names the header. */
export const preconditionFailed = (condition: string, resource: string): S3Error =>
  new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { resource, fields: { Condition: condition } });

/** ErrorResponses: "A conflicting operation occurred. If using PutObject you can retry the request. …" (409). */
export const conditionalRequestConflict = (resource: string): S3Error =>
  new S3Error(
    'ConditionalRequestConflict',
    409,
    'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.',
    { resource },
  );

export const invalidArgument = (message: string, name: string, value: string): S3Error =>
  new S3Error('InvalidArgument', 400, message, { fields: { ArgumentName: name, ArgumentValue: value } });

export const invalidRequest = (message: string): S3Error => new S3Error('InvalidRequest', 400, message);

export const malformedXml = (): S3Error =>
  new S3Error('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');

/** What the sandbox does not emulate (multipart uploads, copies, bucket configuration, …): 501, which no SDK retries. */
export const notEmulated = (operation: string): S3Error =>
  new S3Error('NotImplemented', 501, `The sandbox does not emulate S3 ${operation}: a header or query parameter you provided implies functionality that is not implemented.`);
