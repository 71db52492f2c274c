/**
 * Reading a Secrets Manager request and checking its parameters.
 *
 * A member of the wrong JSON type is the protocol's `SerializationException`; a value the
 * API model forbids (length, range, enum) is `ValidationException` with the "1 validation
 * error detected" wording; a value Secrets Manager itself refuses (names, secret values,
 * SecretId/Name missing) is `InvalidParameterException`.
 */
import { AwsError } from '../errors.js';

export type Input = Record<string, unknown>;

/** A secret value holds at most 65,536 bytes. */
export const MAX_SECRET_BYTES = 65_536;
const NAME_MAX = 512;
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]+$/;

function serialization(key: string, expected: string): AwsError {
  return new AwsError('SerializationException', 400, `Expected ${expected} for member ${key}.`);
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', 400, message);
}

/** The model's constraint message: Value 'x' at 'member' failed to satisfy constraint: … */
export function validation(value: unknown, member: string, rule: string): AwsError {
  const shown = typeof value === 'string' || typeof value === 'number' ? `'${value}' ` : '';
  return new AwsError('ValidationException', 400, `1 validation error detected: Value ${shown}at '${member}' failed to satisfy constraint: ${rule}`);
}

export function str(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serialization(key, 'a string');
  return value;
}

export function int(input: Input, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(key, 'an integer');
  return value;
}

export function bool(input: Input, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw serialization(key, 'a boolean');
  return value;
}

export function list(input: Input, key: string): unknown[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serialization(key, 'a list');
  return value;
}

export function structures(input: Input, key: string): Input[] | undefined {
  const items = list(input, key);
  if (items?.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) throw serialization(key, 'a list of structures');
  return items as Input[] | undefined;
}

export function strings(input: Input, key: string): string[] | undefined {
  const items = list(input, key);
  if (items?.some((item) => typeof item !== 'string')) throw serialization(key, 'a list of strings');
  return items as string[] | undefined;
}

// ---- rules -----------------------------------------------------------------------------

export function secretId(input: Input): string {
  const id = str(input, 'SecretId');
  if (!id) throw invalidParameter('You must provide a value for the SecretId parameter.');
  return id;
}

/** A secret name: 1–512 ASCII letters, digits and /_+=.@- characters. */
export function secretName(input: Input): string {
  const name = str(input, 'Name');
  if (!name) throw invalidParameter('You must provide a value for the Name parameter.');
  if (name.length > NAME_MAX) throw invalidParameter(`Invalid name. The name can be at most ${NAME_MAX} characters long.`);
  if (!NAME_PATTERN.test(name)) {
    throw invalidParameter('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
  }
  return name;
}

export interface SecretValue {
  secretString?: string;
  /** base64, as it travels in JSON. */
  secretBinary?: string;
}

/** SecretString or SecretBinary (base64), not both, at most 65,536 bytes. Undefined when neither. */
export function secretValue(input: Input): SecretValue | undefined {
  const secretString = str(input, 'SecretString');
  const secretBinary = str(input, 'SecretBinary');
  if (secretString !== undefined && secretBinary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (secretString !== undefined) {
    if (Buffer.byteLength(secretString, 'utf8') > MAX_SECRET_BYTES) {
      throw invalidParameter(`The SecretString can't be larger than ${MAX_SECRET_BYTES} bytes.`);
    }
    return { secretString };
  }
  if (secretBinary !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(secretBinary)) throw serialization('SecretBinary', 'base64-encoded binary data');
    if (Buffer.from(secretBinary, 'base64').length > MAX_SECRET_BYTES) {
      throw invalidParameter(`The SecretBinary can't be larger than ${MAX_SECRET_BYTES} bytes.`);
    }
    return { secretBinary };
  }
  return undefined;
}

/** ClientRequestToken is 32–64 characters (the SDK sends a UUID). */
export function clientRequestToken(input: Input): string | undefined {
  const token = str(input, 'ClientRequestToken');
  if (token !== undefined && (token.length < 32 || token.length > 64)) {
    throw validation(token, 'clientRequestToken', 'Member must have length between 32 and 64');
  }
  return token;
}

/** Description: at most 2,048 characters. */
export function description(input: Input): string | undefined {
  const value = str(input, 'Description');
  if (value !== undefined && value.length > 2048) throw validation(undefined, 'description', 'Member must have length less than or equal to 2048');
  return value;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** Tags: keys 1–128, values 0–256 characters. */
export function tags(input: Input, key = 'Tags'): Tag[] | undefined {
  const items = structures(input, key);
  return items?.map((item, index) => {
    const tagKey = str(item, 'Key');
    const tagValue = str(item, 'Value') ?? '';
    if (!tagKey || tagKey.length > 128) throw validation(tagKey ?? '', `tags.${index + 1}.member.key`, 'Member must have length between 1 and 128');
    if (tagValue.length > 256) throw validation(undefined, `tags.${index + 1}.member.value`, 'Member must have length less than or equal to 256');
    return { Key: tagKey, Value: tagValue };
  });
}

/** Region names look like us-east-1 or ap-southeast-2. */
export function checkRegionName(region: string): void {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw invalidParameter(`Invalid replica region: ${region}.`);
}
