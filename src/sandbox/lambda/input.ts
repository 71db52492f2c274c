/**
 * Reading Lambda's rest-json requests: the JSON body (with the types the model gives each
 * member) and the query string.
 */
import { readJsonBody } from '../protocols/json.js';
import type { SandboxRequest } from '../request.js';
import { invalidRequestContent } from './rules.js';

export type Json = Record<string, unknown>;

export function body(req: SandboxRequest): Json {
  return readJsonBody(
    req,
    'InvalidRequestContentException',
    'Could not parse request body into json: Could not parse payload into json: Unexpected character.',
  );
}

function wrongType(name: string, expected: string): never {
  throw invalidRequestContent(`Could not parse payload into json: Cannot deserialize value of type \`${expected}\` for member '${name}'`);
}

export function str(input: Json, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') wrongType(name, 'java.lang.String');
  return value;
}

export function int(input: Json, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) wrongType(name, 'java.lang.Integer');
  return value;
}

export function bool(input: Json, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') wrongType(name, 'java.lang.Boolean');
  return value;
}

export function obj(input: Json, name: string): Json | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) wrongType(name, 'structure');
  return value as Json;
}

export function strList(input: Json, name: string): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) wrongType(name, 'java.util.List<java.lang.String>');
  return value as string[];
}

export function strMap(input: Json, name: string): Record<string, string> | undefined {
  const value = obj(input, name);
  if (value === undefined) return undefined;
  if (Object.values(value).some((item) => typeof item !== 'string')) wrongType(name, 'java.util.Map<java.lang.String,java.lang.String>');
  return value as Record<string, string>;
}

/** A blob member: base64 in JSON. */
export function blob(input: Json, name: string): Buffer | undefined {
  const value = str(input, name);
  if (value === undefined) return undefined;
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw invalidRequestContent(`Could not parse payload into json: Failed to decode member '${name}' as base64`);
  }
  return Buffer.from(compact, 'base64');
}

/** An optional query parameter ('' counts as absent, as it does for Lambda). */
export function queryValue(req: SandboxRequest, name: string): string | undefined {
  const value = req.query.get(name);
  return value === null || value === '' ? undefined : value;
}
