/**
 * Secret values for `init`, from --secrets-file, EDGE_INSTALL_SECRET_<KEY> (--secrets-from-env)
 * or --secrets-stdin — never argv. They stay in memory: a message may say which key is wrong or
 * where the syntax error is, never what a value is.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import { parseJson } from '../../manifest/json.js';
import type { Manifest } from '../../manifest/schema.js';
import { sensitiveKeys, type SecretValues } from '../../plan/secret-values.js';
import type { InputStream } from '../io.js';

export const SECRET_ENV_PREFIX = 'EDGE_INSTALL_SECRET_';

export const SECRET_SOURCES = (key: string) => `give it in --secrets-file, ${SECRET_ENV_PREFIX}${key} with --secrets-from-env, or --secrets-stdin`;

function secretObject(text: string, source: string): SecretValues {
  const parsed = parseJson(text);
  // Where, not what: the parser's message may quote the text, and this text holds secrets.
  if (!parsed.ok) throw new UsageError(`${source} is not valid JSON (syntax error at line ${parsed.error.line}, column ${parsed.error.column}): give a JSON object of secret key to value, e.g. {"KEY": "…"}.`);
  const value = parsed.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${source} must hold a JSON object of secret key to value, e.g. {"KEY": "…"}.`);
  const out: SecretValues = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new UsageError(`${source}: the value of ${key} must be a string.`);
    out[key] = v;
  }
  return out;
}

async function readAll(stream: InputStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export interface SecretSources {
  file: SecretValues;
  stdin: SecretValues;
}

/** --secrets-file and --secrets-stdin, read before anything else (stdin only when asked). */
export async function readSecretSources(flags: { secretsFile?: string; secretsStdin?: boolean }, paths: { file?: string; stdin: InputStream }): Promise<SecretSources> {
  let file: SecretValues = {};
  if (flags.secretsFile) {
    let text: string;
    try {
      text = await readFile(paths.file!, 'utf8');
    } catch (error) {
      throw new UsageError(`--secrets-file ${flags.secretsFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    file = secretObject(text, `--secrets-file ${flags.secretsFile}`);
  }
  let stdin: SecretValues = {};
  if (flags.secretsStdin) {
    if (paths.stdin.isTTY) throw new UsageError('--secrets-stdin reads a JSON object piped to stdin, but stdin is a terminal: pipe it (e.g. `… --secrets-stdin < secrets.json`), or leave the flag out and type the values at the prompts.');
    const text = await readAll(paths.stdin);
    if (!text.trim()) throw new UsageError('--secrets-stdin: stdin was empty; pipe a JSON object of secret key to value.');
    stdin = secretObject(text, '--secrets-stdin');
  }
  return { file, stdin };
}

/**
 * The sensitive values given for this run: file, then environment (--secrets-from-env), then
 * stdin, later ones winning. Keys that are not sensitive keys of the manifest's secret are refused.
 */
export function givenSecretValues(manifest: Manifest, sources: SecretSources, fromEnv: boolean, env: NodeJS.ProcessEnv): SecretValues {
  const sensitive = sensitiveKeys(manifest);
  for (const [source, values] of [['--secrets-file', sources.file], ['--secrets-stdin', sources.stdin]] as const) {
    for (const key of Object.keys(values)) {
      if (sensitive.includes(key)) continue;
      const plain = manifest.secret?.keys[key];
      throw new UsageError(
        plain
          ? `${source}: ${key} is not a sensitive key; its value comes from the manifest (recipe answers), not from ${source}.`
          : `${source}: unknown secret key ${key}; the ${manifest.recipe ?? manifest.name} secret's sensitive keys are: ${sensitive.join(', ') || '(none)'}.`,
      );
    }
  }
  const out: SecretValues = {};
  for (const key of sensitive) {
    const fromEnvValue = fromEnv ? env[`${SECRET_ENV_PREFIX}${key}`] : undefined;
    const value = sources.stdin[key] ?? fromEnvValue ?? sources.file[key];
    if (value === undefined) continue;
    if (value === '') throw new UsageError(`the value given for secret ${key} is empty.`);
    out[key] = value;
  }
  return out;
}
