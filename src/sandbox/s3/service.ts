/**
 * Amazon S3 over its REST API (rest-xml, API version 2006-03-01), so that the AWS SDK's
 * S3Client and the AWS CLI (`aws s3 cp/ls/mb/rb/rm`, `aws s3api …`) work against the sandbox
 * for small objects. Requests are S3's when their SigV4 credential scope names `s3`
 * (server.ts); bucket and key come from the path or the Host (addressing.ts).
 *
 * Emulated: CreateBucket, HeadBucket, ListBuckets, DeleteBucket, GetBucketLocation;
 * PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects; ListObjectsV2, ListObjects;
 * conditional writes, reads and deletes with S3's concurrency rules (preconditions.ts,
 * in-flight.ts); checksums and Content-MD5 (payload.ts).
 *
 * Not emulated (501 NotImplemented, routes.ts): multipart uploads (so `aws s3 cp` of files of
 * 8 MB or more), CopyObject, versioning, tagging, ACLs, bucket configuration; nor anonymous or
 * presigned-POST access, signature checks, Region redirects, storage classes, SSE-KMS/SSE-C.
 * Request bodies over MAX_BODY_BYTES are refused by the front door (413 RequestEntityTooLarge)
 * where S3 takes up to 5 GB in one PutObject.
 */
import type { Service } from '../request.js';
import { renderS3Error, S3Error } from './errors.js';
import { resolveS3 } from './routes.js';

/** The sandbox keeps objects in memory and in its JSON state file: a limit of its own, not S3's. */
const MAX_BODY_BYTES = 64 << 20;

export const s3: Service = {
  name: 's3',
  maxBodyBytes: MAX_BODY_BYTES,
  resolve: resolveS3,
  renderError: renderS3Error,
  // ErrorResponses: SlowDown, 503, "Please reduce your request rate." (the SDK and the CLI retry it).
  throttleError: () => new S3Error('SlowDown', 503, 'Please reduce your request rate.'),
};
