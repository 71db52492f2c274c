/**
 * `edge-install init`. Interactively: recipe → credentials (account and region shown) →
 * distribution (searchable list) → the recipe's questions (validated at the prompt) → secret
 * values (masked; new ones twice) → summary → write → offer to run plan. Non-interactively
 * (--non-interactive, CI, or stdin not a terminal) every answer comes from flags, a file,
 * the environment or stdin, and a missing one is exit 2 naming what supplies it; it never
 * prompts, never reads stdin unless told to (--secrets-stdin), and never plans or attaches.
 *
 * Nothing is written before the last step (src/apply/init.ts): Ctrl-C at any prompt leaves
 * no file and no secret. Secret values are held in memory only: not in argv (a secret given
 * with --set is refused), output, errors or the manifest.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AwsClients } from '../../aws/clients.js';
import { EDGE_REGION } from '../../aws/clients.js';
import { observeAccount, type ObservedAccount } from '../../aws/observe/account.js';
import { listDistributions, unknownDistributions } from '../../aws/observe/distributions-list.js';
import {
  ManifestExistsError,
  applyInit,
  buildInitManifest,
  checkSecretUsable,
  manifestText,
  missingHandlerFiles,
  newSecretDigest,
  observeInitSecret,
  planInitSecret,
  scaffoldFiles,
  sensitiveKeys,
  storedKeys,
  type InitResult,
  type InitSecretStep,
} from '../../apply/init.js';
import type { SecretValues } from '../../apply/steps/secret.js';
import { parseJson } from '../../manifest/json.js';
import { loadRecipe, recipeNames, resolveAnswers, secretQuestions, type Answer, type Answers, type Recipe, type RecipeQuestion } from '../../manifest/recipes.js';
import type { Manifest } from '../../manifest/schema.js';
import type { InitFlags } from '../commands/init.js';
import { contextFor, isCi, type CliContext } from '../context.js';
import { RuntimeError, UsageError } from '../errors.js';

export const SECRET_ENV_PREFIX = 'EDGE_INSTALL_SECRET_';

const SECRET_SOURCES = (key: string) => `give it in --secrets-file, ${SECRET_ENV_PREFIX}${key} with --secrets-from-env, or --secrets-stdin`;

// ---- inputs: --set, --name, secret sources --------------------------------------------------

/** Secret keys of every recipe: a --set of one of them is refused before the recipe is even known. */
function allSecretKeys(): Set<string> {
  return new Set(recipeNames().flatMap((name) => secretQuestions(loadRecipe(name)).map((q) => q.key)));
}

function refuseSecretOnArgv(key: string): never {
  // The value is never repeated: it is already in the shell history, not also in a log.
  throw new UsageError(
    `--set ${key}=… refused: ${key} is a secret, and secret values never go on the command line (the process list and shell history keep them). ` +
      `${SECRET_SOURCES(key).replace(/^give it/, 'Give it')}. If it was typed into a shared shell, consider rotating it.`,
  );
}

export function parseSets(sets: string[], secretKeys: Set<string>): Answers {
  const answers: Answers = {};
  for (const item of sets) {
    const at = item.indexOf('=');
    // Without '=' the argument is not repeated: it might be a value pasted in the wrong place.
    if (at <= 0) throw new UsageError(`--set takes key=value (e.g. --set appId=PX12345678); one --set argument has no key before '='.`);
    const key = item.slice(0, at);
    if (secretKeys.has(key) || /SECRET|TOKEN|PASSWORD/i.test(key)) {
      // Named as the recipe spells it: that is the key --secrets-file and the variable use.
      refuseSecretOnArgv([...secretKeys].find((k) => k.toLowerCase() === key.toLowerCase()) ?? key);
    }
    answers[key] = item.slice(at + 1);
  }
  return answers;
}

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

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** --secrets-file and --secrets-stdin, read before anything else (stdin only when asked). */
async function readSecretSources(flags: InitFlags): Promise<{ file: SecretValues; stdin: SecretValues }> {
  let file: SecretValues = {};
  if (flags.secretsFile) {
    let text: string;
    try {
      text = await readFile(flags.secretsFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--secrets-file ${flags.secretsFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    file = secretObject(text, `--secrets-file ${flags.secretsFile}`);
  }
  let stdin: SecretValues = {};
  if (flags.secretsStdin) {
    if (process.stdin.isTTY) throw new UsageError('--secrets-stdin reads a JSON object piped to stdin, but stdin is a terminal: pipe it (e.g. `… --secrets-stdin < secrets.json`), or leave the flag out and type the values at the prompts.');
    const text = await readStdin();
    if (!text.trim()) throw new UsageError('--secrets-stdin: stdin was empty; pipe a JSON object of secret key to value.');
    stdin = secretObject(text, '--secrets-stdin');
  }
  return { file, stdin };
}

/**
 * The sensitive values given for this run: file, then environment (--secrets-from-env), then
 * stdin, later ones winning. Keys that are not sensitive keys of the manifest's secret are refused.
 */
function givenSecretValues(manifest: Manifest, sources: { file: SecretValues; stdin: SecretValues }, fromEnv: boolean, env: NodeJS.ProcessEnv): SecretValues {
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

// ---- AWS checks -------------------------------------------------------------------------------

const REJECTED = ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException', 'InvalidAccessKeyId', 'AccessDenied', 'AccessDeniedException'];

/** sts:GetCallerIdentity, with errors that say what to do. */
async function checkCredentials(ctx: CliContext, clients: AwsClients): Promise<ObservedAccount> {
  const how = ctx.flags.profile
    ? `check the profile '${ctx.flags.profile}' (aws configure --profile ${ctx.flags.profile}, or aws sso login --profile ${ctx.flags.profile})`
    : 'run `aws configure` (or `aws sso login`), set AWS_PROFILE or pass --profile <name>, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; to try edge-install without AWS, run `edge-install sandbox` and pass --endpoint-url';
  try {
    return await observeAccount(clients);
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e.name === 'CredentialsProviderError' || (/credential/i.test(e.message) && !REJECTED.includes(e.name))) {
      throw new RuntimeError(`no usable AWS credentials (${e.message.split('\n')[0]}). Fix: ${how}.`);
    }
    if (REJECTED.includes(e.name)) {
      throw new RuntimeError(`AWS rejected the credentials (${e.name}: ${e.message}). Fix: ${how}; expired SSO or session credentials need a new login.`);
    }
    if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.name === 'TimeoutError') {
      throw new RuntimeError(`cannot reach AWS${ctx.endpointUrl ? ` at ${ctx.endpointUrl}` : ''} (${e.code ?? e.name}): check the network${ctx.endpointUrl ? ' and that the endpoint (e.g. edge-install sandbox) is running' : ''}.`);
    }
    throw error;
  }
}

async function checkDistributions(clients: AwsClients, ids: string[], account: ObservedAccount): Promise<void> {
  const unknown = await unknownDistributions(clients, ids);
  if (unknown.length) {
    throw new UsageError(
      `no distribution ${unknown.join(', ')} in account ${account.accountId} (NoSuchDistribution): check the --distribution id; \`aws cloudfront list-distributions\` lists them, or run init in a terminal to pick from the list.`,
    );
  }
}

// ---- the two ways of answering ----------------------------------------------------------------

function missingAnswer(question: RecipeQuestion): string {
  const about = [question.message, question.type === 'choice' ? `one of ${question.choices!.join(', ')}` : question.hint].filter(Boolean).join(', ');
  return `missing ${question.key === 'name' ? '--name <id>' : `--set ${question.key}=…`} (${about})`;
}

function whyNonInteractive(ctx: CliContext): string {
  if (ctx.flags.nonInteractive) return '--non-interactive is set';
  if (isCi()) return 'CI is set';
  return 'stdin is not a terminal';
}

function invalidAnswers(invalid: { question: RecipeQuestion; reason: string }[], given: Answers): string[] {
  return invalid.map(({ question, reason }) => {
    const flag = question.key === 'name' ? `--name ${String(given.name)}` : `--set ${question.key}=${String(given[question.key])}`;
    return `${flag} is not valid: ${reason}`;
  });
}

function unknownSetKeys(recipe: Recipe, given: Answers): string[] {
  const keys = recipe.questions.filter((q) => q.type !== 'secret').map((q) => q.key);
  return Object.keys(given)
    .filter((key) => !keys.includes(key))
    .map((key) => `unknown --set key '${key}': the ${recipe.name} recipe asks ${keys.filter((k) => k !== 'name').join(', ')} (and --name)`);
}

function fail(lines: string[], header?: string): never {
  if (lines.length === 1 && !header) throw new UsageError(lines[0]!);
  throw new UsageError([header ?? 'cannot run init:', ...lines.map((l) => `  - ${l}`)].join('\n'));
}

// ---- the command ----------------------------------------------------------------------------

interface Session {
  recipe: Recipe;
  answers: Answers;
  distributions: string[];
}

function summaryText(options: { session: Session; manifestPath: string; manifest: Manifest; secret: InitSecretStep; account: ObservedAccount; scaffold: string[] }): string {
  const { session, manifest, secret } = options;
  const rows: [string, string][] = [
    ['recipe', session.recipe.name],
    ['name', manifest.name],
    ['distribution', session.distributions.join(', ')],
  ];
  for (const q of session.recipe.questions) {
    if (q.type === 'secret' || q.key === 'name') continue;
    rows.push([q.key, String(session.answers[q.key])]);
  }
  if (manifest.secret && secret.change) {
    const c = secret.change;
    const writes = c.keysToWrite.length ? `writes ${c.keysToWrite.join(', ')}` : 'no value changes';
    const kept = storedKeys(secret.observed).filter((k) => !c.keysToWrite.includes(k));
    rows.push(['secret', `${c.name} in ${c.region} (${c.action === 'create' ? 'new' : 'exists'}): ${writes}${kept.length ? `; keeps ${kept.join(', ')}` : ''}`]);
  }
  for (const file of options.scaffold) rows.push(['starter', file]);
  rows.push(['manifest', options.manifestPath]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['', 'Summary', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), ''].join('\n');
}

export async function runInit(flags: InitFlags, command: Command): Promise<void> {
  const ctx = contextFor(command);
  try {
    await init(ctx, flags, command);
  } finally {
    ctx.close();
  }
}

async function init(ctx: CliContext, flags: InitFlags, command: Command): Promise<void> {
  const manifestPath = resolve(ctx.flags.config ?? 'edge-install.json');
  const baseDir = dirname(manifestPath);
  const shown = relative(process.cwd(), manifestPath) || manifestPath;
  // Checked first, in both modes, so nobody answers every question only to be refused.
  const given = parseSets(flags.set, allSecretKeys());
  if (flags.name !== undefined) {
    if (given.name !== undefined && given.name !== flags.name) throw new UsageError(`--name ${flags.name} and --set name=${String(given.name)} disagree; give one.`);
    given.name = flags.name;
  }
  if (existsSync(manifestPath) && !flags.force) throw new ManifestExistsError(shown);
  const sources = await readSecretSources(flags);

  const interactive = ctx.interactive;
  if (!interactive) {
    // Everything that needs no AWS call first: a missing flag is reported at once, without waiting on the network.
    const problems: string[] = [];
    if (!flags.recipe) problems.push(`missing --recipe <recipe> (one of ${recipeNames().join(', ')})`);
    if (!flags.distribution.length) problems.push('missing --distribution <id> (the CloudFront distribution to install on)');
    if (flags.recipe) {
      const recipe = loadRecipe(flags.recipe);
      const resolved = resolveAnswers(recipe, given);
      problems.push(...unknownSetKeys(recipe, given), ...resolved.missing.map(missingAnswer), ...invalidAnswers(resolved.invalid, given));
    }
    if (problems.length) fail(problems, `init cannot prompt (${whyNonInteractive(ctx)}): every answer must come from flags, and these are missing or wrong:`);
  }

  // 1. recipe
  let recipe: Recipe;
  if (flags.recipe) recipe = loadRecipe(flags.recipe);
  else {
    const { askRecipe } = await import('../prompts/init.js');
    recipe = loadRecipe(await askRecipe(recipeNames().map((name) => loadRecipe(name))));
  }
  if (interactive) {
    const problems = [...unknownSetKeys(recipe, given), ...invalidAnswers(resolveAnswers(recipe, given).invalid.filter((i) => i.question.key in given), given)];
    if (problems.length) fail(problems);
  }

  // 2. credentials
  const clients = await ctx.clients();
  const account = await checkCredentials(ctx, clients);
  const secretRegion = ctx.flags.region ?? (recipe.manifest.secret as { region?: string } | undefined)?.region ?? EDGE_REGION;
  ctx.err(`AWS account ${account.accountId} (${account.callerArn})${ctx.endpointUrl ? ` at ${ctx.endpointUrl}` : ''}; CloudFront and Lambda@Edge in ${EDGE_REGION}${recipe.manifest.secret ? `, the secret in ${secretRegion}` : ''}.`);

  // 3. distribution
  let distributions: string[];
  if (flags.distribution.length) {
    distributions = [...new Set(flags.distribution)];
    await checkDistributions(clients, distributions, account);
  } else {
    const listed = await listDistributions(clients);
    if (!listed.length) throw new UsageError(`account ${account.accountId} has no CloudFront distribution: edge-install installs onto an existing one; create it first.`);
    const { askDistribution } = await import('../prompts/init.js');
    distributions = [await askDistribution(listed)];
  }

  // 4. the recipe's questions
  let answers: Answers;
  if (interactive) {
    const { askQuestion } = await import('../prompts/init.js');
    const resolvedGiven = resolveAnswers(recipe, given).answers;
    answers = {};
    for (const question of recipe.questions) {
      if (question.type === 'secret') continue;
      if (question.key in given) answers[question.key] = resolvedGiven[question.key]!;
      else answers[question.key] = await askQuestion(question, defaultFor(question));
    }
  } else {
    answers = resolveAnswers(recipe, given).answers;
  }
  const { raw, manifest } = buildInitManifest(recipe, answers, distributions, { secretRegion: ctx.flags.region, source: shown });

  // 5. secret values
  const digest = newSecretDigest();
  const observed = await observeInitSecret(clients, manifest, digest);
  checkSecretUsable(manifest, observed);
  const secretValues = givenSecretValues(manifest, sources, !!flags.secretsFromEnv, process.env);
  const stored = storedKeys(observed);
  const stillMissing = sensitiveKeys(manifest).filter((key) => secretValues[key] === undefined && !stored.includes(key));
  if (interactive && manifest.secret) {
    const { askSecret } = await import('../prompts/init.js');
    const messages = new Map(secretQuestions(recipe).map((q) => [q.key, q.message]));
    if (observed?.exists) ctx.err(`The secret ${manifest.secret.name} exists${stored.length ? `; leave a value empty to keep the stored one` : ''}.`);
    for (const key of sensitiveKeys(manifest)) {
      if (secretValues[key] !== undefined) continue;
      const value = await askSecret(key, messages.get(key) ?? key, stored.includes(key), (text) => ctx.err(text));
      if (value !== undefined) secretValues[key] = value;
    }
  } else if (stillMissing.length) {
    const hints = stillMissing.map((key) => {
      const unused = !flags.secretsFromEnv && process.env[`${SECRET_ENV_PREFIX}${key}`] !== undefined ? ` (${SECRET_ENV_PREFIX}${key} is set: add --secrets-from-env to use it)` : '';
      return `missing secret ${key}: ${SECRET_SOURCES(key)}${unused}`;
    });
    fail(hints, stillMissing.length > 1 ? `the secret ${manifest.secret!.name} needs values that were not given and are not stored:` : undefined);
  }
  const secret = planInitSecret(manifest, observed, secretValues, digest);

  // 6. summary, then the only writes
  const scaffold = await scaffoldFiles(manifest, baseDir);
  const scaffoldShown = scaffold.map((f) => relative(process.cwd(), f.path) || f.path);
  ctx.out(summaryText({ session: { recipe, answers, distributions }, manifestPath: shown, manifest, secret, account, scaffold: scaffoldShown }));
  if (interactive && !ctx.flags.yes) {
    const { askYesNo } = await import('../prompts/init.js');
    const what = [`write ${shown}`, ...(secret.change && secret.change.action !== 'none' ? [`${secret.change.action} the secret ${secret.change.name}`] : [])].join(' and ');
    if (!(await askYesNo(`${what[0]!.toUpperCase()}${what.slice(1)}?`, true))) {
      ctx.err('Nothing was written.');
      return;
    }
  }
  const interrupt = new AbortController();
  const onSigint = () => {
    if (!interrupt.signal.aborted) ctx.err('Interrupted: finishing the write in flight, then undoing it…');
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  let result: InitResult;
  try {
    result = await applyInit(clients, { manifestPath, manifestText: manifestText(raw), force: !!flags.force, secret, scaffold, signal: interrupt.signal });
  } finally {
    process.off('SIGINT', onSigint);
  }

  // 7. report
  ctx.err(`✓ Wrote ${shown}.`);
  for (const file of result.scaffolded) ctx.err(`✓ Wrote a starter handler to ${relative(process.cwd(), file) || file}: edit it, then run plan.`);
  if (result.secret) {
    const s = result.secret;
    ctx.err(s.created ? `✓ Created the secret ${s.name} in ${s.region} (keys ${s.keysWritten.join(', ')}).` : s.keysWritten.length ? `✓ Updated the secret ${s.name}: wrote ${s.keysWritten.join(', ')}.` : `✓ The secret ${s.name} already holds these values.`);
  }
  for (const handler of missingHandlerFiles(manifest, baseDir, scaffold)) ctx.err(`! ${handler} does not exist yet: plan and attach need it.`);
  if (ctx.flags.json) {
    ctx.json({
      version: 1,
      manifest: manifestPath,
      recipe: recipe.name,
      name: manifest.name,
      distributions,
      secret: result.secret ?? null,
      scaffolded: result.scaffolded,
    });
  }
  const next = `edge-install plan${ctx.flags.config && ctx.flags.config !== 'edge-install.json' ? ` --config ${ctx.flags.config}` : ''}`;
  if (!interactive || ctx.flags.json) {
    ctx.err(`Next: ${next} (shows what attach would change; read-only).`);
    return;
  }
  await offerPlan(ctx, command, next);
}

function defaultFor(question: RecipeQuestion): Answer | undefined {
  // Random defaults (path segments) are drawn once and shown, so Enter accepts what is shown.
  return resolveAnswers({ name: '', description: '', questions: [question], manifest: {} }, {}).answers[question.key];
}

class InterruptedAfterInitError extends Error {
  readonly exitCode = 130;
}

async function offerPlan(ctx: CliContext, command: Command, next: string): Promise<void> {
  const { askYesNo } = await import('../prompts/init.js');
  let run: boolean;
  try {
    run = ctx.flags.yes ? true : await askYesNo('Run plan now (read-only: shows what attach would change)?', true);
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new InterruptedAfterInitError(`interrupted; init had finished (the manifest and secret are written). Next: ${next}.`);
    throw error;
  }
  if (!run) {
    ctx.err(`Next: ${next}`);
    return;
  }
  ctx.close();
  const { runPlan } = await import('./plan.js');
  try {
    await runPlan({ distribution: [] }, command);
  } catch (error) {
    // The plan's own error, said to come after a finished init (and with the plan's exit code).
    const e = error as Error & { exitCode?: number };
    if (e.name === 'ExitPromptError') throw error;
    throw Object.assign(new Error(`init finished (the manifest and secret are written), but plan failed: ${e.message}`), { exitCode: e.exitCode ?? 1 });
  }
}
