/**
 * Where S3 state is (PURE): `s3://bucket/prefix` from `--state`, or the manifest's
 * `state.s3` {bucket, prefix, region}. Under the prefix, each integration has its own folder:
 * `<prefix>/<integration>/revisions/<seq>-<distribution>.json`, `journal.json`, `lock.json`.
 */
import { UsageError } from '../../errors.js';

export interface S3Location {
  bucket: string;
  /** No leading or trailing slash; empty for the bucket's root. */
  prefix: string;
  /** The bucket's Region, when known (else the SDK follows S3's redirect to it). */
  region?: string;
}

/**
 * General purpose bucket names (AWS S3 User Guide, "General purpose bucket naming rules"):
 * 3–63 characters of lowercase letters, digits, dots and hyphens, beginning and ending with a
 * letter or digit, no two adjacent dots, not shaped like an IP address.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'may hold only lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not hold two dots in a row';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be shaped like an IP address';
  return undefined;
}

/** What is wrong with a key prefix, if anything: empty, `.` or `..` parts, or characters that make keys hard to use. */
export function prefixProblem(prefix: string): string | undefined {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (!trimmed) return undefined;
  if (trimmed.split('/').some((s) => s === '' || s === '.' || s === '..')) return "has an empty, '.' or '..' part";
  // AWS S3 User Guide, "Naming Amazon S3 objects": the safe characters (plus '/').
  if (!/^[A-Za-z0-9!_.*'()/-]+$/.test(trimmed)) return "holds characters outside S3's safe set (letters, digits and !-_.*'())";
  return undefined;
}

/** Trims slashes at both ends (checked first). */
export function normalPrefix(prefix: string, where: string): string {
  const problem = prefixProblem(prefix);
  if (problem) throw new UsageError(`${where}: the prefix '${prefix}' ${problem}. Fix: use a path such as edge-install/prod.`);
  return prefix.replace(/^\/+|\/+$/g, '');
}

export function parseS3Url(url: string, where = '--state'): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(url);
  if (!match) throw new UsageError(`${where} ${url}: not an s3:// URL. Fix: write ${where} s3://<bucket>/<prefix>, e.g. s3://acme-edge-state/edge-install (for a directory, use --state-dir).`);
  const bucket = match[1]!;
  const problem = bucketNameProblem(bucket);
  if (problem) throw new UsageError(`${where} ${url}: the bucket name '${bucket}' ${problem}. Fix: name the bucket as S3 shows it, e.g. s3://acme-edge-state/edge-install.`);
  return { bucket, prefix: normalPrefix(match[2] ?? '', `${where} ${url}`) };
}

export const formatS3Url = (location: S3Location) => `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;

/** The key of a state object of `integration`: `revisions/<name>`, `journal.json` or `lock.json`. */
export const stateKey = (location: S3Location, integration: string, name: string) => `${location.prefix ? `${location.prefix}/` : ''}${integration}/${name}`;
