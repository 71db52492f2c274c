/**
 * Which bucket and key a request names (S3 User Guide, "Virtual hosting of buckets" and
 * "Methods for accessing a bucket"): either path-style, `http://host/bucket/key`, or
 * virtual-hosted style, the bucket in the Host, `http://bucket.s3.<region>.amazonaws.com/key`.
 *
 * Virtual-hosted Hosts the sandbox recognises:
 * - AWS's own: `bucket.s3.amazonaws.com`, `bucket.s3.<region>.amazonaws.com`, the legacy dash
 *   form `bucket.s3-<region>.amazonaws.com`, dualstack and FIPS forms, `.amazonaws.com.cn`;
 * - loopback: `bucket.s3.localhost` and `bucket.localhost` (what the AWS SDK builds from an
 *   endpoint of `http://s3.localhost:PORT` or `http://localhost:PORT` without forcePathStyle).
 * Any other Host (127.0.0.1, localhost, s3.<region>.amazonaws.com) is path-style. A bucket name
 * may contain dots, so the bucket is everything before the endpoint suffix.
 *
 * Keys: the rest of the path, percent-decoded (`/`, spaces, `+` and any Unicode as the SDK
 * encodes them). The front door parses the URL first (server.ts), which resolves `.` and `..`
 * path segments: keys with such segments cannot be addressed (not emulated).
 */
import type { SandboxRequest } from '../request.js';
import { S3Error } from './errors.js';

export interface S3Address {
  bucket?: string;
  /** Undefined for bucket-level requests (no key, or only "/" after the bucket). */
  key?: string;
  style: 'path' | 'virtual';
}

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
const VIRTUAL_HOSTS = [
  new RegExp(`^(.+)\\.s3(?:-fips)?(?:\\.dualstack)?(?:[.-](?:external-1|${REGION}))?\\.amazonaws\\.com(?:\\.cn)?$`),
  /^(.+)\.s3\.localhost$/,
  /^(.+)\.localhost$/,
];

/** The bucket a Host names, if it is a virtual-hosted one. */
export function bucketFromHost(host: string | undefined): string | undefined {
  const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  for (const pattern of VIRTUAL_HOSTS) {
    const bucket = pattern.exec(name)?.[1];
    // `s3.localhost` is the service endpoint itself, not a bucket named "s3" (too short to be one).
    if (bucket && bucket !== 's3') return bucket;
  }
  return undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new S3Error('InvalidURI', 400, "Couldn't parse the specified URI.");
  }
}

export function addressOf(req: SandboxRequest): S3Address {
  const hosted = bucketFromHost(req.headers.host);
  const path = req.path.startsWith('/') ? req.path.slice(1) : req.path;
  if (hosted !== undefined) return { bucket: hosted, key: path === '' ? undefined : decode(path), style: 'virtual' };
  if (path === '') return { style: 'path' };
  const slash = path.indexOf('/');
  const bucket = decode(slash < 0 ? path : path.slice(0, slash));
  const rest = slash < 0 ? '' : path.slice(slash + 1);
  return { bucket, key: rest === '' ? undefined : decode(rest), style: 'path' };
}

/** The Resource element of an error: `/bucket` or `/bucket/key`. */
export function resourceOf(bucket: string, key?: string): string {
  return key === undefined ? `/${bucket}` : `/${bucket}/${key}`;
}
