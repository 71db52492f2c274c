/**
 * Buckets and objects in the World: lookups that raise S3's errors, and the only places
 * objects are written or removed (so every change is seen by in-flight.ts).
 *
 * Order: S3 lists keys "in UTF-8 character encoding in lexicographical order" (ListObjectsV2),
 * i.e. by their UTF-8 bytes, which differs from JavaScript's UTF-16 string order for
 * characters beyond the Basic Multilingual Plane; objects are kept in that order.
 */
import { ACCOUNT_ID } from '../ids.js';
import type { SandboxRequest } from '../request.js';
import type { S3BucketRecord, S3ObjectRecord, World } from '../world.js';
import { noSuchBucket, noSuchKey, S3Error } from './errors.js';
import { recordChange } from './in-flight.js';
import { header } from './protocol.js';

/** Orders two keys (or prefixes) by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function findBucket(world: World, name: string): S3BucketRecord | undefined {
  return world.s3Buckets.find((b) => b.name === name);
}

/**
 * The bucket a request names, or NoSuchBucket. `x-amz-expected-bucket-owner` naming another
 * account is 403 AccessDenied, as S3 answers ("Access Denied").
 */
export function requireBucket(world: World, req: SandboxRequest, name: string): S3BucketRecord {
  const bucket = findBucket(world, name);
  if (!bucket) throw noSuchBucket(name);
  const owner = header(req, 'x-amz-expected-bucket-owner');
  if (owner !== undefined && owner !== world.accountId) throw new S3Error('AccessDenied', 403, 'Access Denied', { resource: `/${name}` });
  return bucket;
}

export function addBucket(world: World, bucket: S3BucketRecord): void {
  const buckets = world.s3Buckets;
  buckets.push(bucket);
  buckets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function removeBucket(world: World, bucket: S3BucketRecord): void {
  const buckets = world.s3Buckets;
  buckets.splice(buckets.indexOf(bucket), 1);
}

/** The index of the key in the bucket, or where it would go (a binary search). */
function position(bucket: S3BucketRecord, key: string): { index: number; found: boolean } {
  let low = 0;
  let high = bucket.objects.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareKeys(bucket.objects[middle]!.key, key);
    if (order === 0) return { index: middle, found: true };
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return { index: low, found: false };
}

export function findObject(bucket: S3BucketRecord, key: string): S3ObjectRecord | undefined {
  const { index, found } = position(bucket, key);
  return found ? bucket.objects[index] : undefined;
}

export function requireObject(bucket: S3BucketRecord, key: string): S3ObjectRecord {
  const object = findObject(bucket, key);
  if (!object) throw noSuchKey(bucket.name, key);
  return object;
}

/** Writes (or overwrites: unversioned buckets keep one object per key) an object. */
export function storeObject(bucket: S3BucketRecord, object: S3ObjectRecord): void {
  const { index, found } = position(bucket, object.key);
  bucket.objects.splice(index, found ? 1 : 0, object);
  recordChange(bucket, object.key, 'write');
}

/** Removes an object; false when there was none (S3's DeleteObject succeeds either way). */
export function removeObject(bucket: S3BucketRecord, key: string): boolean {
  const { index, found } = position(bucket, key);
  if (!found) return false;
  bucket.objects.splice(index, 1);
  recordChange(bucket, key, 'delete');
  return true;
}

/**
 * The canonical user id S3 shows as Owner/ID: 64 hex characters. The sandbox derives a
 * stable one from the account id (S3's are opaque).
 */
export function canonicalUserId(accountId: string = ACCOUNT_ID): string {
  return Buffer.from(accountId.padEnd(32, '0')).toString('hex').slice(0, 64);
}
