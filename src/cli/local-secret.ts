/**
 * The secret a locally run function reads (`invoke`, `dev`): the manifest's plain values plus
 * the sensitive ones given for this run — the same sources as init (--secrets-file,
 * --secrets-from-env; never argv). Nothing is read from AWS: a local run never touches the
 * real secret. What is printed afterwards passes through `redact`, so a value a function
 * echoes (the proxy forwards its pre-shared secret as a header) never reaches the terminal.
 */
import type { Manifest } from '../manifest/schema.js';
import { desiredSecretValues, sensitiveKeys } from '../plan/secret-values.js';
import type { LocalSecret } from '../local-edge/local-aws.js';
import type { CommandContext } from './context.js';
import { givenSecretValues, readSecretSources } from './init/secret-input.js';

export interface SecretFlags {
  secretsFile?: string;
  secretsFromEnv?: boolean;
}

export interface LocalSecretChoice {
  secret?: LocalSecret;
  /** Sensitive keys with no value in this run: the function reads the secret without them. */
  missing: string[];
  /** The text with every sensitive value (as given, JSON-escaped, URL-encoded or base64) masked. */
  redact: (text: string) => string;
  /** The same on every string of a value, before it is serialised. */
  redactDeep: <T>(value: T) => T;
}

/** The forms a value takes in what a function returns or logs. */
const forms = (value: string): string[] => [...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url')])];

export async function localSecret(ctx: CommandContext<SecretFlags>, manifest: Manifest): Promise<LocalSecretChoice> {
  const sources = await readSecretSources({ secretsFile: ctx.flags.secretsFile }, { file: ctx.flags.secretsFile ? ctx.path(ctx.flags.secretsFile) : undefined, stdin: ctx.io.stdin });
  const given = givenSecretValues(manifest, sources, !!ctx.flags.secretsFromEnv, ctx.io.env);
  const sensitive = sensitiveKeys(manifest);
  const pairs = Object.entries(given)
    .filter(([, v]) => v.length > 0)
    .flatMap(([key, value]) => forms(value).map((form) => [key, form] as const))
    .sort(([, a], [, b]) => b.length - a.length);
  const redact = (text: string): string => pairs.reduce((out, [key, form]) => out.split(form).join(`‹secret ${key}›`), text);
  const redactDeep = <T>(value: T): T => {
    if (typeof value === 'string') return redact(value) as T;
    if (Array.isArray(value)) return value.map(redactDeep) as T;
    if (value && typeof value === 'object' && !Buffer.isBuffer(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
    return value;
  };
  if (!manifest.secret) return { missing: [], redact, redactDeep };
  const values = desiredSecretValues(manifest, given);
  return {
    secret: { name: manifest.secret.name, region: manifest.secret.region, replicaRegions: manifest.secret.replicaRegions ?? [], values },
    missing: sensitive.filter((key) => given[key] === undefined),
    redact,
    redactDeep,
  };
}
