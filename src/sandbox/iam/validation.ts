/**
 * IAM's parameter constraints (from the API reference), answered the way IAM does:
 * `ValidationError` 400 with the "1 validation error detected" wording.
 */
import { AwsError } from '../errors.js';

const NAME_PATTERN = /^[\w+=,.@-]+$/;
/** Role paths: "/" alone, or "/" + printable ASCII + "/". */
const PATH_PATTERN = /^(\/|\/[\u0021-\u007E]+\/)$/;

function constraint(value: string | number, member: string, rule: string): AwsError {
  return new AwsError(
    'ValidationError',
    400,
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`,
  );
}

/** Names of roles (1–64) and policies (1–128): letters, digits and +=,.@_- only. */
function checkName(value: string, member: string, maxLength: number): void {
  if (value.length > maxLength) throw constraint(value, member, `Member must have length less than or equal to ${maxLength}`);
  if (!NAME_PATTERN.test(value)) {
    throw constraint(value, member, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  }
}

export function checkRoleName(name: string): void {
  checkName(name, 'roleName', 64);
}

export function checkPolicyName(name: string): void {
  checkName(name, 'policyName', 128);
}

/** A path begins and ends with "/", 1–512 characters. */
export function checkPath(path: string): void {
  if (path.length > 512 || !PATH_PATTERN.test(path)) {
    throw new AwsError(
      'ValidationError',
      400,
      'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
    );
  }
}

/** MaxSessionDuration is 3,600 (one hour) to 43,200 (12 hours) seconds. */
export function checkMaxSessionDuration(seconds: number): void {
  if (!Number.isInteger(seconds)) throw constraint(seconds, 'maxSessionDuration', 'Member must be an integer');
  if (seconds < 3600) throw constraint(seconds, 'maxSessionDuration', 'Member must have value greater than or equal to 3600');
  if (seconds > 43200) throw constraint(seconds, 'maxSessionDuration', 'Member must have value less than or equal to 43200');
}

/** A role description has at most 1,000 characters. */
export function checkDescription(description: string): void {
  if (description.length > 1000) throw constraint(description, 'description', 'Member must have length less than or equal to 1000');
}

/** A role carries at most 50 tags, each key 1–128 and value 0–256 characters. */
export function checkTags(tags: { Key?: string; Value?: string }[]): void {
  if (tags.length > 50) throw constraint('[…]', 'tags', 'Member must have length less than or equal to 50');
  tags.forEach((tag, index) => {
    const key = tag.Key ?? '';
    const value = tag.Value ?? '';
    if (key.length < 1 || key.length > 128) throw constraint(key, `tags.${index + 1}.member.key`, 'Member must have length between 1 and 128');
    if (value.length > 256) throw constraint(value, `tags.${index + 1}.member.value`, 'Member must have length less than or equal to 256');
  });
  const keys = tags.map((tag) => (tag.Key ?? '').toLowerCase());
  if (new Set(keys).size !== keys.length) {
    throw new AwsError('InvalidInput', 400, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  }
}
