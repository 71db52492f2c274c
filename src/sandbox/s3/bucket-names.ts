/**
 * S3 User Guide, "General purpose bucket naming rules": 3–63 characters of lower-case
 * letters, digits, dots and hyphens; beginning and ending with a letter or digit; no two
 * adjacent periods; not formatted as an IP address; not starting with `xn--`, `sthree-` or
 * `amzn-s3-demo-`; not ending with `-s3alias`, `--ol-s3`, `.mrap`, `--x-s3` or `--table-s3`
 * (reserved for access point aliases, Object Lambda aliases, Multi-Region Access Points,
 * directory buckets and table buckets). A bad name is 400 InvalidBucketName, "The specified
 * bucket is not valid." (ErrorResponses).
 *
 * Not emulated: the account regional namespace (names ending `-<account>-<region>-an`) has no
 * extra rule here; such a name is accepted as any other valid one.
 */
import { S3Error } from './errors.js';

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export function isValidBucketName(name: string): boolean {
  return (
    name.length >= 3 &&
    name.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
    !RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

/** S3's message does not say which rule a name breaks; the BucketName element names the bucket. */
export function checkBucketName(name: string): void {
  if (!isValidBucketName(name)) {
    throw new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { resource: `/${name}`, fields: { BucketName: name } });
  }
}
