/**
 * The few S3 object operations state needs, with S3's conditional requests as their meaning:
 * create only if absent (`If-None-Match: *`), replace or delete only if unchanged
 * (`If-Match: <ETag>`). A precondition that fails (412 PreconditionFailed) is an answer, not
 * an error; a conditional request that raced another on the same key (409
 * ConditionalRequestConflict) is sent again, as AWS says to (S3 User Guide, "How to prevent
 * object overwrites with conditional writes": "If you receive a 409 … retry the request").
 * Throttling and 5xx are the SDK's standard retries. Missing buckets and refused access are
 * said with the location and the fix.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError, isAwsError } from '../../aws/errors.js';
import { RuntimeError, UsageError } from '../../errors.js';
import { formatS3Url, type S3Location } from './location.js';

export interface StoredObject {
  text: string;
  etag: string;
  /** S3's clock: when the object was written. */
  lastModified?: Date;
}

export interface ListedObject {
  key: string;
  etag: string;
}

/** How often a 409 ConditionalRequestConflict is sent again before giving up. */
const CONFLICT_RETRIES = 5;

/** S3 refused a state call (403): the message names the call, the object and the fix. */
export class StateAccessDenied extends RuntimeError {}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
// By code, else by status: a HEAD-less 404 or a 412 may come without a code the SDK names.
const isPreconditionFailed = (error: unknown) => isAwsError(error, 'PreconditionFailed') || statusOf(error) === 412;
const isConflict = (error: unknown) => isAwsError(error, 'ConditionalRequestConflict') || statusOf(error) === 409;
const isMissingKey = (error: unknown) => isAwsError(error, 'NoSuchKey') || (statusOf(error) === 404 && !isAwsError(error, 'NoSuchBucket'));

function pause(attempt: number): Promise<void> {
  // Short and jittered: the other request finishes in milliseconds.
  return new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * (0.5 + Math.random() / 2)));
}

export class S3Objects {
  private readonly sdk = import('@aws-sdk/client-s3');

  constructor(
    private readonly client: () => Promise<S3Client>,
    readonly location: S3Location,
    /** How the location was chosen, for the fix in errors (`--state`, the manifest's state.s3). */
    private readonly chosenBy: string,
    /** Calls go to an endpoint override (the sandbox, a rehearsal), not to AWS. */
    private readonly endpoint = false,
  ) {}

  private async send<T>(call: (client: S3Client, sdk: typeof import('@aws-sdk/client-s3')) => Promise<T>, key: string, action: string): Promise<T> {
    const [client, sdk] = await Promise.all([this.client(), this.sdk]);
    for (let attempt = 0; ; attempt++) {
      try {
        return await call(client, sdk);
      } catch (error) {
        if (isConflict(error) && attempt < CONFLICT_RETRIES) {
          await pause(attempt);
          continue;
        }
        throw this.explain(error, key, action);
      }
    }
  }

  /** Errors that are about the state's location, said so; the rest as they came (412 and 404 are read by the callers). */
  private explain(error: unknown, key: string, action: string): unknown {
    const url = formatS3Url(this.location);
    if (isAwsError(error, 'NoSuchBucket')) {
      const rehearsal = this.endpoint ? ` With --endpoint-url the state goes to that endpoint's S3: create the bucket there, or pass --state-dir for a directory.` : '';
      return new UsageError(`the state bucket ${this.location.bucket} does not exist (state ${url}, from ${this.chosenBy}); nothing was written. Fix: create the bucket (versioning on is recommended), or correct ${this.chosenBy}.${rehearsal}`);
    }
    // AccessDenied only: other 403s (a bad signature, an expired token) are credential errors, said as such by errors.ts.
    if (classifyAwsError(error) === 'access-denied') {
      return new StateAccessDenied(`access denied: ${action} on s3://${this.location.bucket}/${key} (state ${url}, from ${this.chosenBy}): ${(error as Error).message.replace(/\.+$/, '')}. Fix: grant the S3 permissions of the README's IAM policy ("State in S3") on this prefix.`, { cause: error });
    }
    return error;
  }

  /**
   * Now by S3's clock: the SDK keeps this machine's offset from the Date of every answer
   * (its clock-skew correction), so a lock's age is S3's time minus S3's Last-Modified.
   */
  async now(): Promise<Date> {
    const client = await this.client();
    return new Date(Date.now() + (client.config.systemClockOffset ?? 0));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.send((c, s) => c.send(new s.GetObjectCommand({ Bucket: this.location.bucket, Key: key })), key, 's3:GetObject');
      return { text: (await out.Body?.transformToString()) ?? '', etag: out.ETag ?? '', lastModified: out.LastModified };
    } catch (error) {
      if (isMissingKey(error)) return undefined;
      // S3 answers a missing key with 403, not 404, to a caller whose s3:ListBucket does not
      // cover the request (AWS S3 API Reference, GetObject, "Permissions") — as with
      // s3:ListBucket granted only under an s3:prefix condition, which a GetObject does not
      // carry. The listing tells a missing key from a refused one.
      if (!(error instanceof StateAccessDenied)) throw error;
      const listed = await this.list(key).catch(() => undefined);
      if (listed && !listed.some((o) => o.key === key)) return undefined;
      throw error;
    }
  }

  /** Creates the object only if there is none: its ETag, or undefined when the key is taken. */
  async create(key: string, text: string): Promise<string | undefined> {
    try {
      const out = await this.send((c, s) => c.send(new s.PutObjectCommand({ Bucket: this.location.bucket, Key: key, Body: text, ContentType: 'application/json', IfNoneMatch: '*' })), key, 's3:PutObject');
      return out.ETag ?? '';
    } catch (error) {
      if (isPreconditionFailed(error)) return undefined;
      throw error;
    }
  }

  /** Replaces the object only if it still has `etag`: the new ETag, or undefined when it changed (or is gone). */
  async replace(key: string, text: string, etag: string): Promise<string | undefined> {
    try {
      const out = await this.send((c, s) => c.send(new s.PutObjectCommand({ Bucket: this.location.bucket, Key: key, Body: text, ContentType: 'application/json', IfMatch: etag })), key, 's3:PutObject');
      return out.ETag ?? '';
    } catch (error) {
      if (isPreconditionFailed(error) || isMissingKey(error)) return undefined;
      throw error;
    }
  }

  /** Deletes the object only if it still has `etag`: false when it changed or is gone. */
  async remove(key: string, etag: string): Promise<boolean> {
    try {
      await this.send((c, s) => c.send(new s.DeleteObjectCommand({ Bucket: this.location.bucket, Key: key, IfMatch: etag })), key, 's3:DeleteObject');
      return true;
    } catch (error) {
      if (isPreconditionFailed(error) || isMissingKey(error)) return false;
      throw error;
    }
  }

  /** Every object under `prefix` (all pages). */
  async list(prefix: string): Promise<ListedObject[]> {
    const found: ListedObject[] = [];
    let token: string | undefined;
    do {
      const out = await this.send(
        (c, s) => c.send(new s.ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: prefix, ContinuationToken: token })),
        prefix,
        's3:ListBucket',
      );
      for (const o of out.Contents ?? []) if (o.Key) found.push({ key: o.Key, etag: o.ETag ?? '' });
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return found;
  }
}
