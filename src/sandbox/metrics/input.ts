/**
 * Reading a CloudWatch request the same way whatever protocol carried it, so the operations
 * (service.ts) are written once:
 *
 * - AWS JSON 1.0 (the AWS SDK for JavaScript v3 and botocore/AWS CLI today): a JSON body;
 *   timestamps are epoch seconds (the protocol's default timestamp format).
 * - query (older SDKs and CLIs): `Action=…&Version=2010-08-01&MetricDataQueries.member.1.Id=…`;
 *   every value is a string, lists are `Name.member.N`, timestamps are ISO 8601 ("In a raw HTTP
 *   query, the time stamp must be in ISO 8601 UTC format (for example, 2016-10-03T23:00:00Z)",
 *   GetMetricStatistics).
 *
 * Errors (CloudWatch's query error codes; the JSON protocol carries the same code in
 * `x-amzn-query-error`, see service.ts):
 * - a missing required member: `MissingParameter`, "The parameter Namespace is required." — one
 *   line per member, as CloudWatch lists them (observed: "The parameter Namespace is
 *   required.\nThe parameter Statistics is required.").
 * - a value the service model's constraints forbid (length, range, enum): `ValidationError` with
 *   the Coral wording "1 validation error detected: Value 'INVALID' at 'stateValue' failed to
 *   satisfy constraint: Member must satisfy enum value set: […]" (observed from CloudWatch).
 * - a JSON member of the wrong type: `SerializationException` (the JSON protocol's own error).
 */
import { AwsError } from '../errors.js';

export type Protocol = 'json' | 'query';

export const missingParameter = (lines: string[]): AwsError => new AwsError('MissingParameter', 400, lines.join('\n'));
export const invalidParameterValue = (message: string): AwsError => new AwsError('InvalidParameterValue', 400, message);
export const invalidParameterCombination = (message: string): AwsError => new AwsError('InvalidParameterCombination', 400, message);
export const validationError = (message: string): AwsError => new AwsError('ValidationError', 400, message);

/** Java's rendering of a value in a Coral message. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

/** The Coral path of a member: `metricDataQueries.1.member.metricStat.period`. */
function coral(path: string): string {
  return path
    .split('.')
    .filter((part) => part !== 'member')
    .map((part) => (/^\d+$/.test(part) ? `${part}.member` : part[0]!.toLowerCase() + part.slice(1)))
    .join('.');
}

/** Collects every problem of one request, then reports them the way CloudWatch does. */
export class Problems {
  readonly missing: string[] = [];
  readonly constraints: string[] = [];

  require(present: boolean, path: string): void {
    if (!present) this.missing.push(`The parameter ${path} is required.`);
  }

  constraint(value: unknown, path: string, text: string): void {
    this.constraints.push(`Value ${shown(value)} at '${coral(path)}' failed to satisfy constraint: ${text}`);
  }

  length(value: string | unknown[] | undefined, path: string, min?: number, max?: number): void {
    if (value === undefined) return;
    if (min !== undefined && value.length < min) this.constraint(value, path, `Member must have length greater than or equal to ${min}`);
    else if (max !== undefined && value.length > max) this.constraint(value, path, `Member must have length less than or equal to ${max}`);
  }

  oneOf(value: string | undefined, path: string, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value)) this.constraint(value, path, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  atLeast(value: number | undefined, path: string, min: number): void {
    if (value !== undefined && value < min) this.constraint(value, path, `Member must have value greater than or equal to ${min}`);
  }

  /** Throws MissingParameter, then ValidationError, when there is anything to report. */
  done(): void {
    if (this.missing.length) throw missingParameter(this.missing);
    const n = this.constraints.length;
    if (n) throw validationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.constraints.join('; ')}`);
  }
}

const serialization = (path: string, expected: string): AwsError => new AwsError('SerializationException', 400, `Expected ${expected} for member ${path}.`);

/** ISO 8601 as the query protocol sends it (botocore: 2024-01-31T12:00:00Z, with or without fractions). */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** One structure of a request, with typed getters that know the protocol's representation. */
export class Input {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly protocol: Protocol,
    readonly path = '',
  ) {}

  private at(member: string): string {
    return this.path ? `${this.path}.${member}` : member;
  }

  has(member: string): boolean {
    const value = this.raw[member];
    return value !== undefined && value !== null;
  }

  string(member: string): string | undefined {
    const value = this.raw[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw serialization(this.at(member), 'a string');
    return value;
  }

  integer(member: string): number | undefined {
    const value = this.raw[member];
    if (value === undefined || value === null) return undefined;
    if (this.protocol === 'query' && typeof value === 'string') {
      if (!/^-?\d+$/.test(value.trim())) throw invalidParameterValue(`The value ${value} for parameter ${this.at(member)} is not a valid integer.`);
      return Number(value);
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(this.at(member), 'an integer');
    return value;
  }

  boolean(member: string): boolean | undefined {
    const value = this.raw[member];
    if (value === undefined || value === null) return undefined;
    if (this.protocol === 'query' && typeof value === 'string') {
      if (value !== 'true' && value !== 'false') throw invalidParameterValue(`The value ${value} for parameter ${this.at(member)} is not a valid boolean.`);
      return value === 'true';
    }
    if (typeof value !== 'boolean') throw serialization(this.at(member), 'a boolean');
    return value;
  }

  /** Epoch milliseconds. */
  timestamp(member: string): number | undefined {
    const value = this.raw[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
    if (typeof value === 'string') {
      // The query protocol's ISO 8601, or epoch seconds as a string.
      if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
      const ms = ISO.test(value) ? Date.parse(value) : NaN;
      if (Number.isFinite(ms)) return ms;
      throw invalidParameterValue(`The parameter ${this.at(member)} must be a valid ISO 8601 date: ${value}.`);
    }
    throw serialization(this.at(member), 'a timestamp');
  }

  struct(member: string): Input | undefined {
    const value = this.raw[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw serialization(this.at(member), 'a structure');
    return new Input(value as Record<string, unknown>, this.protocol, this.at(member));
  }

  private items(member: string): unknown[] | undefined {
    const value = this.raw[member];
    if (value === undefined || value === null) return undefined;
    // The query protocol sends an empty list as `Name=` (botocore) or leaves it out.
    if (this.protocol === 'query' && value === '') return [];
    if (!Array.isArray(value)) throw serialization(this.at(member), 'a list');
    return value;
  }

  structs(member: string): Input[] | undefined {
    return this.items(member)?.map((item, i) => {
      const path = this.protocol === 'query' ? `${this.at(member)}.member.${i + 1}` : `${this.at(member)}.${i + 1}`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw serialization(path, 'a structure');
      return new Input(item as Record<string, unknown>, this.protocol, path);
    });
  }

  strings(member: string): string[] | undefined {
    return this.items(member)?.map((item, i) => {
      if (typeof item !== 'string') throw serialization(`${this.at(member)}.${i + 1}`, 'a string');
      return item;
    });
  }

  /** The path of a member, as CloudWatch names it in its messages (`MetricDataQueries.member.1.Id`). */
  name(member: string): string {
    const path = this.at(member);
    return this.protocol === 'query' ? path : path.replace(/\.(\d+)(?=\.|$)/g, '.member.$1');
  }
}

/**
 * The query protocol's flat parameters as a structure: `A.member.2.B=x` becomes
 * `{A: [undefined, {B: 'x'}]}` compacted to `{A: [{B: 'x'}]}` (Action and Version left out).
 */
export function unflatten(params: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (Array.isArray(node)) {
        // A list index (1-based) after `member`.
        const index = Number(part) - 1;
        if (!Number.isInteger(index) || index < 0 || index > 10_000) break;
        if (last) node[index] = value;
        else {
          if (typeof node[index] !== 'object' || node[index] === null) node[index] = {};
          node = node[index] as Record<string, unknown>;
        }
        continue;
      }
      if (part === 'member' && !last) continue;
      if (last) {
        (node as Record<string, unknown>)[part] ??= value;
        break;
      }
      const listNext = parts[i + 1] === 'member';
      const record = node as Record<string, unknown>;
      if (listNext) {
        if (!Array.isArray(record[part])) record[part] = [];
        node = record[part] as unknown[];
        i++; // skip `member`
      } else {
        if (typeof record[part] !== 'object' || record[part] === null || Array.isArray(record[part])) record[part] = {};
        node = record[part] as Record<string, unknown>;
      }
    }
  }
  const compact = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
    return value;
  };
  return compact(root) as Record<string, unknown>;
}
