/**
 * S3 state in tests: a bucket in the sandbox, and the state objects under a prefix read back
 * through a second, independent S3 client (the real SDK, path-style on loopback).
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { TestSandbox } from './sandbox.js';

export const STATE_BUCKET = 'acme-edge-state';
export const STATE_PREFIX = 'edge-install/prod';
export const STATE_URL = `s3://${STATE_BUCKET}/${STATE_PREFIX}`;

export function s3Client(sb: TestSandbox): S3Client {
  return new S3Client({ ...sb.clientConfig(), forcePathStyle: true });
}

export async function createStateBucket(sb: TestSandbox, bucket = STATE_BUCKET): Promise<void> {
  const client = s3Client(sb);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}

/** Every object under the prefix: key (relative to the prefix) → text. */
export async function stateObjects(sb: TestSandbox, prefix = STATE_PREFIX, bucket = STATE_BUCKET): Promise<Record<string, string>> {
  const client = s3Client(sb);
  try {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/` }));
    const out: Record<string, string> = {};
    for (const o of listed.Contents ?? []) {
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
      out[o.Key!.slice(prefix.length + 1)] = await got.Body!.transformToString();
    }
    return out;
  } finally {
    client.destroy();
  }
}
