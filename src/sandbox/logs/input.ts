/**
 * Reading a CloudWatch Logs request and checking it against the service model
 * (`logs` 2014-03-28 service-2.json, as botocore and the AWS SDKs ship it).
 *
 * - A member of the wrong JSON type is the protocol's `SerializationException`.
 * - A value the model's constraints forbid (required, length, pattern, range, enum) is
 *   `InvalidParameterException` with the Coral wording "1 validation error detected: Value 'x'
 *   at 'member' failed to satisfy constraint: …": CloudWatch Logs answers its model
 *   violations with InvalidParameterException, not ValidationException (observed:
 *   "InvalidParameterException: 1 validation error detected: Value '…' at 'logStreamName'
 *   failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*").
 *   Every violation of a request is reported at once ("2 validation errors detected: …; …").
 */
import { AwsError } from '../errors.js';

export type Input = Record<string, unknown>;

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', 400, message);
}

function serialization(member: string, expected: string): AwsError {
  return new AwsError('SerializationException', 400, `Expected ${expected} for member ${member}.`);
}

/** A constraint of the model: the test and the text Coral reports when it fails. */
interface StringRule {
  min?: number;
  max?: number;
  /** Full-match pattern, and the model's spelling of it for the message. */
  pattern?: { re: RegExp; text: string };
  enum?: readonly string[];
}

// Shapes of the model (names as the model has them).
export const LOG_GROUP_NAME: StringRule = { min: 1, max: 512, pattern: { re: /^[.\-_/#A-Za-z0-9]+$/, text: '[\\.\\-_/#A-Za-z0-9]+' } };
export const LOG_GROUP_NAME_PATTERN: StringRule = { min: 0, max: 512, pattern: { re: /^[.\-_/#A-Za-z0-9]*$/, text: '[\\.\\-_/#A-Za-z0-9]*' } };
export const LOG_STREAM_NAME: StringRule = { min: 1, max: 512, pattern: { re: /^[^:*]*$/, text: '[^:*]*' } };
export const LOG_GROUP_IDENTIFIER: StringRule = { min: 1, max: 2048, pattern: { re: /^[\w#+=/:,.@-]*$/, text: '[\\w#+=/:,.@-]*' } };
export const NEXT_TOKEN: StringRule = { min: 1 };
export const FILTER_PATTERN: StringRule = { min: 0, max: 1024 };
export const KMS_KEY_ID: StringRule = { max: 256 };
export const EVENT_MESSAGE: StringRule = { min: 1 };
export const LOG_GROUP_CLASS: StringRule = { enum: ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] };
export const ORDER_BY: StringRule = { enum: ['LogStreamName', 'LastEventTime'] };
const TAG_KEY: StringRule = { min: 1, max: 128, pattern: { re: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$/u, text: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$' } };
const TAG_VALUE: StringRule = { max: 256, pattern: { re: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u, text: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$' } };

/** Days: the retention values PutRetentionPolicy accepts (the model's documentation of `Days`). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Java's rendering of a value in a Coral message: 'x' for scalars, '[a, b]' for lists, null. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

/**
 * One request's reader: typed getters that throw SerializationException at once, and
 * constraint checks that collect their failures for `done()`.
 */
export class RequestReader {
  private readonly failures: string[] = [];

  constructor(readonly input: Input) {}

  /** Records a failed constraint (reported by `done()`). */
  fail(value: unknown, member: string, constraint: string): void {
    this.failures.push(`Value ${shown(value)} at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  /** Throws InvalidParameterException listing every constraint that failed. */
  done(): void {
    const n = this.failures.length;
    if (n === 0) return;
    throw invalidParameter(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.failures.join('; ')}`);
  }

  checkString(value: string, member: string, rule: StringRule): void {
    if (rule.min !== undefined && value.length < rule.min) {
      this.fail(value, member, `Member must have length greater than or equal to ${rule.min}`);
    } else if (rule.max !== undefined && value.length > rule.max) {
      this.fail(value, member, `Member must have length less than or equal to ${rule.max}`);
    }
    if (rule.pattern && !rule.pattern.re.test(value)) this.fail(value, member, `Member must satisfy regular expression pattern: ${rule.pattern.text}`);
    if (rule.enum && !rule.enum.includes(value)) this.fail(value, member, `Member must satisfy enum value set: [${rule.enum.join(', ')}]`);
  }

  /** A string member; `required` reports "Member must not be null" when absent. */
  string(member: string, rule: StringRule = {}, required = false): string | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) {
      if (required) this.fail(null, member, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') throw serialization(member, 'a string');
    this.checkString(value, member, rule);
    return value;
  }

  /** An integer or long member within [min, max]. */
  integer(member: string, range: { min?: number; max?: number } = {}, required = false): number | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) {
      if (required) this.fail(null, member, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw serialization(member, 'an integer');
    if (range.min !== undefined && value < range.min) this.fail(value, member, `Member must have value greater than or equal to ${range.min}`);
    if (range.max !== undefined && value > range.max) this.fail(value, member, `Member must have value less than or equal to ${range.max}`);
    return value;
  }

  boolean(member: string): boolean | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw serialization(member, 'a boolean');
    return value;
  }

  /** A list of strings, each checked against `rule` (Coral names an item `member.N.member`… as `member.N`). */
  strings(member: string, size: { min: number; max: number }, rule: StringRule): string[] | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw serialization(member, 'a list of strings');
    if (value.length < size.min) this.fail(value, member, `Member must have length greater than or equal to ${size.min}`);
    else if (value.length > size.max) this.fail(value, member, `Member must have length less than or equal to ${size.max}`);
    value.forEach((item: string, index) => this.checkString(item, `${member}.${index + 1}.member`, rule));
    return value as string[];
  }

  /** A list of structures (each a JSON object). */
  structures(member: string, size: { min: number; max: number }, required = false): Input[] | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) {
      if (required) this.fail(null, member, 'Member must not be null');
      return undefined;
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v))) throw serialization(member, 'a list of structures');
    if (value.length < size.min) this.fail(value, member, `Member must have length greater than or equal to ${size.min}`);
    else if (value.length > size.max) this.fail(value, member, `Member must have length less than or equal to ${size.max}`);
    return value as Input[];
  }

  /** The `Tags` map: 1–50 entries, keys and values as TagKey / TagValue. */
  tags(member: string): Record<string, string> | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) throw serialization(member, 'a map of strings');
    const tags = value as Record<string, string>;
    const count = Object.keys(tags).length;
    if (count < 1) this.fail(value, member, 'Member must have length greater than or equal to 1');
    else if (count > 50) this.fail(value, member, 'Member must have length less than or equal to 50');
    for (const [key, tagValue] of Object.entries(tags)) {
      this.checkString(key, `${member}.${key}.member.key`, TAG_KEY);
      this.checkString(tagValue, `${member}.${key}.member.value`, TAG_VALUE);
    }
    return { ...tags };
  }

  /** An enum of integers (Days). */
  oneOf(member: string, allowed: readonly number[], required = false): number | undefined {
    const value = this.integer(member, {}, required);
    if (value !== undefined && !allowed.includes(value)) this.fail(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    return value;
  }
}
