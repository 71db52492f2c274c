/**
 * Where `secret set` takes the new value from — never argv (the process list and shell history
 * keep it):
 * - `--from-stdin`: everything piped in, with one trailing newline removed (`echo` and most
 *   editors add one; a value with newlines inside, such as a PEM key, keeps them);
 * - `--from-env VAR`: the variable's value (only its name is on the command line);
 * - otherwise, on a terminal, a masked prompt asked twice (the screen shows nothing of what is
 *   typed, not even how many characters: prompts/init.ts askSecret).
 * Piped and environment values are read before any AWS call, so a missing one is exit 2 at once.
 */
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';
import type { InputStream } from './io.js';

export interface SecretValueFlags {
  fromStdin?: boolean;
  fromEnv?: string;
}

async function readAll(stream: InputStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The value from --from-stdin or --from-env, or undefined when neither is given (exit 2 for a bad one). */
export async function givenSecretValue(ctx: CommandContext<SecretValueFlags>, key: string): Promise<string | undefined> {
  const { fromStdin, fromEnv } = ctx.flags;
  if (fromStdin && fromEnv !== undefined) throw new UsageError(`secret set ${key}: give the value one way: --from-stdin or --from-env ${fromEnv}, not both.`);
  if (fromEnv !== undefined) {
    if (!ENV_NAME.test(fromEnv)) throw new UsageError(`--from-env takes the NAME of an environment variable (letters, digits and _), not a value. Fix: export VAR=… and pass --from-env VAR.`);
    const value = ctx.io.env[fromEnv];
    if (value === undefined) throw new UsageError(`--from-env ${fromEnv}: ${fromEnv} is not set in the environment. Fix: export ${fromEnv} with the value, then run this again.`);
    if (value === '') throw new UsageError(`--from-env ${fromEnv}: ${fromEnv} is empty; a secret key needs a value.`);
    return value;
  }
  if (fromStdin) {
    if (ctx.io.stdin.isTTY) throw new UsageError(`--from-stdin reads the value piped to stdin, but stdin is a terminal. Fix: pipe it (printf %s "$VALUE" | edge-install secret set ${key} --from-stdin), or leave the flag out and type it at the masked prompt.`);
    const value = (await readAll(ctx.io.stdin)).replace(/\r?\n$/, '');
    if (value === '') throw new UsageError(`--from-stdin: stdin was empty; pipe the value of ${key}.`);
    return value;
  }
  return undefined;
}

/** Why no prompt can be shown (for the message that names the flags instead). */
export function whyNoPrompt(ctx: CommandContext): string {
  if (ctx.global.nonInteractive) return '--non-interactive is set';
  if (ctx.io.env.CI && ctx.io.env.CI !== 'false' && ctx.io.env.CI !== '0') return 'CI is set';
  return 'stdin is not a terminal';
}

/** Exit 2 before any AWS call: no value given and no terminal to ask on. */
export function noValueError(ctx: CommandContext, key: string): UsageError {
  return new UsageError(
    `secret set ${key} cannot prompt for the value (${whyNoPrompt(ctx)}). Fix: pipe it with --from-stdin (printf %s "$VALUE" | edge-install secret set ${key} --from-stdin --yes), or name an environment variable that holds it with --from-env VAR. Never on the command line itself.`,
  );
}

/** The masked prompt, asked twice, on the command's stdin and stderr. */
export async function promptSecretValue(ctx: CommandContext, key: string, message: string): Promise<string> {
  const { askSecret } = await import('./prompts/init.js');
  const value = await askSecret({ input: ctx.io.stdin, output: ctx.io.stderr as NodeJS.WritableStream }, key, message, false, (text) => ctx.err(text));
  // Not stored: an empty answer is refused at the prompt itself.
  return value!;
}
