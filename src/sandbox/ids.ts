import { randomBytes, randomUUID } from 'node:crypto';

export const ACCOUNT_ID = '123456789012';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** CloudFront distribution ids and ETags look like E2QWRUHAPOMQZL. */
export const cloudFrontId = (): string => 'E' + pick(UPPER_ALNUM, 13);
export const etag = (): string => 'E' + pick(UPPER_ALNUM, 13);
export const invalidationId = (): string => 'I' + pick(UPPER_ALNUM, 13);
export const cloudFrontDomain = (): string => `d${pick(LOWER_ALNUM, 13)}.cloudfront.net`;
/** IAM unique ids: AROA… for roles. */
export const roleId = (): string => 'AROA' + pick(UPPER_ALNUM, 17);
/** Secrets Manager appends a dash and six random characters to the name in the ARN. */
export const secretSuffix = (): string => pick(ALNUM, 6);
export const uuid = (): string => randomUUID();
export const requestId = (): string => randomUUID();
