/**
 * Read-only, for `import`: the parts of an install made by hand, found by what the
 * distribution points at rather than by edge-install's names — a function version by its ARN,
 * a cache policy by its id, a role by its ARN, a secret by a name the install itself gives (an
 * origin header) or the user does. Nothing here writes, and a secret's values never leave
 * this module except the few the recipe keeps in plain text (paths, an app id); the rest are
 * reduced to their key names.
 */
import { GetCachePolicyCommand, type CachePolicyConfig } from '@aws-sdk/client-cloudfront';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../clients.js';
import { ifExists } from '../errors.js';
import { parseStoredSecret } from './secret.js';

/** A function version a trigger names, as Lambda reports it. */
export interface ImportedFunction {
  /** The qualified ARN the trigger names. */
  arn: string;
  name: string;
  version: string;
  exists: boolean;
  /** The function's own (unqualified) ARN: what Lambda tags. */
  functionArn?: string;
  runtime?: string;
  memorySize?: number;
  timeout?: number;
  role?: string;
  codeSha256?: string;
  tags: Record<string, string>;
}

/** `arn:aws:lambda:us-east-1:1:function:NAME:3` → NAME and 3 (a trigger always names a version). */
export function splitFunctionArn(arn: string): { name: string; version: string } | undefined {
  const m = /:function:([^:]+):([^:]+)$/.exec(arn);
  return m ? { name: m[1]!, version: m[2]! } : undefined;
}

export async function observeFunctionVersion(clients: AwsClients, arn: string): Promise<ImportedFunction> {
  const parts = splitFunctionArn(arn);
  if (!parts) return { arn, name: arn, version: '', exists: false, tags: {} };
  // GetFunction with a qualifier: that version's configuration, and the function's tags
  // (Lambda API reference, GetFunction: "Tags — The function's tags").
  const got = await ifExists(() => clients.lambda.send(new GetFunctionCommand({ FunctionName: parts.name, Qualifier: parts.version })), 'ResourceNotFoundException');
  const c = got?.Configuration;
  if (!c) return { arn, ...parts, exists: false, tags: {} };
  return {
    arn,
    ...parts,
    exists: true,
    // TagResource takes the function's ARN, not a version's (Lambda API reference, TagResource).
    functionArn: (c.FunctionArn ?? arn).replace(/:function:([^:]+):[^:]+$/, ':function:$1'),
    runtime: c.Runtime,
    memorySize: c.MemorySize,
    timeout: c.Timeout,
    role: c.Role,
    codeSha256: c.CodeSha256,
    tags: got.Tags ?? {},
  };
}

export interface ImportedCachePolicy {
  id: string;
  exists: boolean;
  name?: string;
  config?: CachePolicyConfig;
}

export async function observeCachePolicyById(clients: AwsClients, id: string): Promise<ImportedCachePolicy> {
  const got = await ifExists(() => clients.cloudfront.send(new GetCachePolicyCommand({ Id: id })), 'NoSuchCachePolicy');
  const config = got?.CachePolicy?.CachePolicyConfig;
  if (!config) return { id, exists: false };
  // Whether it is one of AWS's managed policies is told by its id (managed-policies.ts), by the matcher.
  return { id, exists: true, name: config.Name, config };
}

export interface ImportedRole {
  name: string;
  arn: string;
  exists: boolean;
  tags: Record<string, string>;
}

/** `arn:aws:iam::1:role/path/name` → name. */
export const roleNameOfArn = (arn: string): string => arn.split('/').at(-1) ?? arn;

export async function observeRoleByArn(clients: AwsClients, arn: string): Promise<ImportedRole> {
  const name = roleNameOfArn(arn);
  const got = await ifExists(() => clients.iam.send(new GetRoleCommand({ RoleName: name })), 'NoSuchEntityException');
  if (!got?.Role) return { name, arn, exists: false, tags: {} };
  return { name, arn: got.Role.Arn ?? arn, exists: true, tags: Object.fromEntries((got.Role.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])) };
}

export interface ImportedSecret {
  name: string;
  region: string;
  exists: boolean;
  arn?: string;
  scheduledForDeletion?: boolean;
  tags: Record<string, string>;
  /** The names of the keys its value holds (never the values), when it is a JSON object. */
  keys?: string[];
  /** The values of `plainKeys` only — settings the recipe keeps in plain text (paths, an app id), never a sensitive one. */
  plain: Record<string, string>;
  /** The version labelled AWSCURRENT. */
  versionId?: string;
}

/**
 * A secret by name. Its value is read once to learn its key names and the values of
 * `plainKeys` (which the recipe writes into the manifest in plain text anyway); every other
 * value is dropped here and never returned.
 */
export async function observeSecretNamed(clients: AwsClients, name: string, region: string, plainKeys: readonly string[]): Promise<ImportedSecret> {
  const client = clients.secrets(region);
  const described = await ifExists(() => client.send(new DescribeSecretCommand({ SecretId: name })), 'ResourceNotFoundException');
  if (!described) return { name, region, exists: false, tags: {}, plain: {} };
  const base: ImportedSecret = {
    name,
    region,
    exists: true,
    arn: described.ARN,
    scheduledForDeletion: described.DeletedDate !== undefined,
    tags: Object.fromEntries((described.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
    plain: {},
  };
  if (base.scheduledForDeletion) return base;
  const current = await ifExists(() => client.send(new GetSecretValueCommand({ SecretId: described.ARN })), 'ResourceNotFoundException');
  const parsed = current?.SecretString === undefined ? undefined : parseStoredSecret(current.SecretString);
  if (current?.VersionId) base.versionId = current.VersionId;
  if (!parsed) return base;
  base.keys = Object.keys(parsed).sort();
  for (const key of plainKeys) if (typeof parsed[key] === 'string') base.plain[key] = parsed[key];
  return base;
}
