/**
 * Which S3 operation a request is: the HTTP method, whether it names a bucket and a key
 * (addressing.ts), and its sub-resource query parameter (`?location`, `?list-type=2`,
 * `?delete`, `?uploads`, …), as the S3 service model's HTTP bindings say.
 *
 * Operations the sandbox does not emulate are still named (the call log and fault injection
 * see CreateMultipartUpload, CopyObject, GetBucketVersioning, …) and answer 501 NotImplemented:
 * multipart uploads (the AWS CLI switches to them at 8 MB: `multipart_threshold`), copies,
 * object versions, tagging, ACLs, and every bucket configuration sub-resource.
 */
import type { Operation, SandboxReply, SandboxRequest } from '../request.js';
import type { World } from '../world.js';
import { addressOf, type S3Address } from './addressing.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './buckets.js';
import { notEmulated, S3Error } from './errors.js';
import { markArrival } from './in-flight.js';
import { listObjects, listObjectsV2 } from './listing.js';
import { deleteObject, deleteObjects, putObject, readObject } from './objects.js';
import { header } from './protocol.js';

/** Query parameters that select a sub-resource (another operation on the same path). */
const SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold',
  'lifecycle', 'location', 'logging', 'metadataConfiguration', 'metadataTable', 'metrics', 'notification', 'object-lock',
  'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'renameObject', 'replication', 'requestPayment', 'restore',
  'retention', 'select', 'session', 'tagging', 'torrent', 'uploadId', 'uploads', 'versioning', 'versions', 'website',
];

/** `?object-lock` → ObjectLock, `?intelligent-tiering` → IntelligentTiering: for the names of operations not emulated. */
const pascal = (name: string): string => name.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());

type Handler = (req: SandboxRequest, world: World) => SandboxReply;

function operation(name: string, handle: Handler): Operation {
  return { name, handle };
}

/** An operation the sandbox names but does not emulate; `what` says which form of it when that is the part missing. */
const refuse = (name: string, what = name): Operation =>
  operation(name, () => {
    throw notEmulated(what);
  });

/** The methods S3's REST API uses, and the verb that starts the names of their operations. */
const VERBS: Record<string, string> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete', POST: 'Post', HEAD: 'Head' };

const methodNotAllowed = (req: SandboxRequest, resourceType: string): S3Error =>
  new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', { fields: { Method: req.method, ResourceType: resourceType } });

function serviceOperation(req: SandboxRequest): Operation {
  if (req.method === 'GET') return operation('ListBuckets', listBuckets);
  throw methodNotAllowed(req, 'SERVICE');
}

function bucketOperation(req: SandboxRequest, bucket: string, subresource: string | undefined): Operation {
  if (subresource === undefined) {
    switch (req.method) {
      case 'PUT':
        return operation('CreateBucket', (r, w) => createBucket(r, w, bucket));
      case 'HEAD':
        return operation('HeadBucket', (r, w) => headBucket(r, w, bucket));
      case 'DELETE':
        return operation('DeleteBucket', (r, w) => deleteBucket(r, w, bucket));
      case 'GET':
        return req.query.get('list-type') === '2'
          ? operation('ListObjectsV2', (r, w) => listObjectsV2(r, w, bucket))
          : operation('ListObjects', (r, w) => listObjects(r, w, bucket));
      case 'POST':
        // Browser-based uploads (an HTML form POST).
        return refuse('PostObject');
    }
  }
  if (req.method === 'GET' && subresource === 'location') return operation('GetBucketLocation', (r, w) => getBucketLocation(r, w, bucket));
  if (req.method === 'POST' && subresource === 'delete') return operation('DeleteObjects', (r, w) => deleteObjects(r, w, bucket));
  if (subresource === 'uploads') return refuse('ListMultipartUploads');
  if (subresource === 'versions') return refuse('ListObjectVersions');
  return refuse(`${VERBS[req.method]}Bucket${pascal(subresource ?? '')}`);
}

function objectOperation(req: SandboxRequest, bucket: string, key: string, subresource: string | undefined): Operation {
  const copy = header(req, 'x-amz-copy-source') !== undefined;
  if (subresource === undefined) {
    switch (req.method) {
      case 'PUT':
        return copy ? refuse('CopyObject') : operation('PutObject', (r, w) => putObject(r, w, bucket, key));
      case 'GET':
        return req.query.has('partNumber') ? refuse('GetObject', 'GetObject with partNumber') : operation('GetObject', (r, w) => readObject(r, w, bucket, key, true));
      case 'HEAD':
        return req.query.has('partNumber') ? refuse('HeadObject', 'HeadObject with partNumber') : operation('HeadObject', (r, w) => readObject(r, w, bucket, key, false));
      case 'DELETE':
        return operation('DeleteObject', (r, w) => deleteObject(r, w, bucket, key));
    }
  }
  if (subresource === 'uploads') return refuse('CreateMultipartUpload');
  if (subresource === 'uploadId') {
    const byMethod: Record<string, string> = { PUT: copy ? 'UploadPartCopy' : 'UploadPart', POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload', GET: 'ListParts' };
    return refuse(byMethod[req.method] ?? 'MultipartUpload');
  }
  if (subresource === 'restore') return refuse('RestoreObject');
  if (subresource === 'select') return refuse('SelectObjectContent');
  return refuse(`${VERBS[req.method]}Object${pascal(subresource ?? '')}`);
}

export function resolveS3(req: SandboxRequest): Operation {
  const address: S3Address = addressOf(req);
  // OPTIONS (CORS preflight) and anything else S3's API has no operation for.
  if (VERBS[req.method] === undefined) throw methodNotAllowed(req, address.key !== undefined ? 'OBJECT' : address.bucket !== undefined ? 'BUCKET' : 'SERVICE');
  const subresource = SUBRESOURCES.find((name) => req.query.has(name));
  const resolved =
    address.bucket === undefined
      ? serviceOperation(req)
      : address.key === undefined
        ? bucketOperation(req, address.bucket, subresource)
        : objectOperation(req, address.bucket, address.key, subresource);
  markArrival(req);
  return resolved;
}
