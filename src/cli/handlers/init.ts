/**
 * `edge-install init`. Interactively: recipe → credentials (account and region shown) →
 * distribution (searchable list) → the recipe's questions (validated at the prompt) → secret
 * values (masked; new ones twice) → summary → write → offer to run plan. Non-interactively
 * (--non-interactive, CI, or stdin not a terminal) every answer comes from flags, a file,
 * the environment or stdin, and a missing one is exit 2 naming what supplies it; it never
 * prompts, never reads stdin unless told to (--secrets-stdin), and never plans or attaches.
 *
 * Each AWS read is a gather step (src/gather/init.ts); nothing is written before the last step
 * (src/apply/init.ts): Ctrl-C at any prompt leaves no file and no secret. Secret values are
 * held in memory only: not in argv (a secret given with --set is refused), output, errors or
 * the manifest.
 *
 * Values the vendor issues (the first-party proxy's paths) are never invented silently: without
 * --generate-paths a question whose default would be random has no default (asked with none in
 * a terminal, exit 2 naming its --set flag without one). With it, random ones are drawn, and
 * shown at the prompt.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { applyInit, ManifestExistsError } from '../../apply/init.js';
import { EDGE_REGION } from '../../aws/regions.js';
import { parseS3Url } from '../../state/s3/location.js';
import { UsageError } from '../../errors.js';
import { gatherAccount, gatherAssociations, gatherDistributionIds, gatherDistributionList, gatherInitSecret, gatherScaffold, missingHandlerFiles } from '../../gather/init.js';
import { gatherSchemaPointer } from '../../gather/schema-pointer.js';
import { buildInitManifest, manifestText } from '../../manifest/init-manifest.js';
import { loadRecipe, recipeNames } from '../../manifest/recipe-files.js';
import { expandRecipe, normalizeAnswer, resolveAnswers, secretQuestions, type Answer, type Answers, type RandomBytes, type Recipe, type RecipeQuestion } from '../../manifest/recipes.js';
import type { Manifest } from '../../manifest/schema.js';
import { renderStarter } from '../../manifest/starter.js';
import { attachmentsOf } from '../../manifest/validate.js';
import { checkSecretUsable, liveSecretUse, planInitSecret, storedKeys, writesStoredValues } from '../../plan/init-secret.js';
import { sensitiveKeys } from '../../plan/secret-values.js';
import { isCi, type CommandContext } from '../context.js';
import { withLock } from '../lock.js';
import { allSecretKeys, fail, invalidAnswers, missingAnswer, parseSets, refuseListedSecretsOnArgv, unknownSetKeys } from '../init/answers.js';
import { givenSecretValues, readSecretSources, SECRET_ENV_PREFIX, SECRET_SOURCES } from '../init/secret-input.js';
import type { PromptIo } from '../prompts/init.js';
import { initDocument, initResultLines, initSummaryText, liveSecretRefusal, liveSecretWarning, plannedInitResult } from '../render/init-text.js';
import { plan } from './plan.js';

export interface InitFlags {
  recipe?: string;
  name?: string;
  distribution: string[];
  set: string[];
  secretsFile?: string;
  secretsFromEnv?: boolean;
  secretsStdin?: boolean;
  force?: boolean;
  dryRun?: boolean;
  generatePaths?: boolean;
}

/** The prompts read the command's stdin and draw on its stderr. */
const prompts = (ctx: CommandContext): PromptIo => ({ input: ctx.io.stdin, output: ctx.io.stderr as NodeJS.WritableStream });

function whyNonInteractive(ctx: CommandContext): string {
  if (ctx.global.nonInteractive) return '--non-interactive is set';
  if (isCi(ctx.io.env)) return 'CI is set';
  return 'stdin is not a terminal';
}

function defaultFor(question: RecipeQuestion, bytes: RandomBytes | undefined): Answer | undefined {
  // Random defaults (path segments, with --generate-paths) are drawn once and shown, so Enter accepts what is shown.
  return resolveAnswers({ name: '', description: '', questions: [question], manifest: {} }, {}, bytes).answers[question.key];
}

/** Whether the recipe has a secret with these answers (the custom recipe: only with secret keys). */
function recipeHasSecret(recipe: Recipe, answers: Answers | undefined): boolean {
  const secret = recipe.manifest.secret as Record<string, unknown> | undefined;
  if (!secret) return false;
  if (secret.$if === undefined && secret.$unless === undefined) return true;
  return answers !== undefined && (expandRecipe(recipe, answers) as { secret?: unknown }).secret !== undefined;
}

function regionWithoutSecret(region: string, recipe: Recipe): UsageError {
  const when = recipe.manifest.secret ? ' without secret keys (--set secretKeys=…)' : '';
  return new UsageError(`--region ${region}: the ${recipe.name} recipe has no secret${when}, and --region names the secret's region (Lambda@Edge and CloudFront are always ${EDGE_REGION}). Fix: leave out --region.`);
}

/**
 * The starter handler of each scaffolded file, rendered for the function's event and the
 * secret keys it reads (`values` keep no eventType: the trigger's event is the manifest's).
 */
function renderScaffold(manifest: Manifest, files: { path: string; text: string }[], baseDir: string): { path: string; text: string }[] {
  const attachments = attachmentsOf(manifest);
  return files.map((file) => {
    const key = Object.keys(manifest.functions).find((k) => resolve(baseDir, manifest.functions[k]!.handler) === file.path);
    const eventType = (key && attachments.get(key)?.[0]?.event) || 'viewer-request';
    return { ...file, text: renderStarter(file.text, { eventType, secretKeys: Object.keys(manifest.secret?.keys ?? {}) }) };
  });
}

/** An interrupt after init finished: what was written stays written. */
class InterruptedAfterInitError extends UsageError {
  override readonly exitCode = 130;
}

export async function init(ctx: CommandContext<InitFlags>): Promise<number | void> {
  const { flags } = ctx;
  const manifestPath = ctx.manifestPath;
  const baseDir = dirname(manifestPath);
  const shownPath = (path: string) => relative(ctx.io.cwd, path) || path;
  const shown = shownPath(manifestPath);
  // Checked first, in both modes, so nobody answers every question only to be refused.
  const given = parseSets(flags.set, allSecretKeys());
  if (flags.name !== undefined) {
    if (given.name !== undefined && given.name !== flags.name) throw new UsageError(`--name ${flags.name} and --set name=${String(given.name)} disagree; give one.`);
    given.name = flags.name;
  }
  if (existsSync(manifestPath) && !flags.force) throw new ManifestExistsError(shown);
  // --state s3://… is written into the manifest (state.s3): the team's state place, for every later run.
  const stateFlag = ctx.global.state === undefined ? undefined : parseS3Url(ctx.global.state, '--state');
  const sources = await readSecretSources(flags, { file: flags.secretsFile === undefined ? undefined : ctx.path(flags.secretsFile), stdin: ctx.io.stdin });

  const interactive = ctx.interactive;
  // Random values only when asked for: the vendor issues the proxy's paths.
  const bytes = flags.generatePaths ? randomBytes : undefined;
  if (!interactive) {
    // Everything that needs no AWS call first: a missing flag is reported at once, without waiting on the network.
    const problems: string[] = [];
    if (!flags.recipe) problems.push(`missing --recipe <recipe> (one of ${recipeNames().join(', ')})`);
    if (!flags.distribution.length) problems.push('missing --distribution <id> (the CloudFront distribution to install on)');
    if (flags.recipe) {
      const recipe = loadRecipe(flags.recipe);
      refuseListedSecretsOnArgv(recipe, given);
      const resolved = resolveAnswers(recipe, given, bytes);
      problems.push(...unknownSetKeys(recipe, given), ...resolved.missing.map(missingAnswer), ...invalidAnswers(resolved.invalid, given));
      if (ctx.global.region !== undefined && !problems.length && !recipeHasSecret(recipe, resolved.answers)) throw regionWithoutSecret(ctx.global.region, recipe);
    }
    if (problems.length) fail(problems, `init cannot prompt (${whyNonInteractive(ctx)}): every answer must come from flags, and these are missing or wrong:`);
  }

  // 1. recipe
  let recipe: Recipe;
  if (flags.recipe) recipe = loadRecipe(flags.recipe);
  else {
    const { askRecipe } = await import('../prompts/init.js');
    recipe = loadRecipe(await askRecipe(prompts(ctx), recipeNames().map((name) => loadRecipe(name))));
  }
  if (interactive) {
    refuseListedSecretsOnArgv(recipe, given);
    const problems = [...unknownSetKeys(recipe, given), ...invalidAnswers(resolveAnswers(recipe, given, bytes).invalid.filter((i) => i.question.key in given), given)];
    if (problems.length) fail(problems);
  }

  // A recipe without a secret is said at once; one whose secret depends on an answer, once it is known.
  if (ctx.global.region !== undefined && !recipe.manifest.secret) throw regionWithoutSecret(ctx.global.region, recipe);

  // 2. credentials: bad ones are said (with the fix) before any question
  const clients = await ctx.clients();
  const account = await gatherAccount(clients);
  const secretRegion = ctx.global.region ?? (recipe.manifest.secret as { region?: string } | undefined)?.region ?? EDGE_REGION;
  const secretKnown = recipeHasSecret(recipe, interactive ? undefined : resolveAnswers(recipe, given, bytes).answers);
  ctx.err(`AWS account ${account.accountId} (${account.callerArn})${ctx.endpointUrl ? ` at ${ctx.endpointUrl}` : ''}; CloudFront and Lambda@Edge in ${EDGE_REGION}${secretKnown ? `, the secret in ${secretRegion}` : ''}.`);

  // 3. distribution
  let distributions: string[];
  if (flags.distribution.length) {
    distributions = [...new Set(flags.distribution)];
    const { unknown, staging } = await gatherDistributionIds(clients, distributions);
    if (staging.length) {
      throw new UsageError(
        `${staging.join(', ')} ${staging.length > 1 ? 'are staging distributions' : 'is a staging distribution'} (continuous deployment): edge-install installs on primary distributions only (a promote copies the staging config over the primary). Fix: give the primary distribution's id to --distribution.`,
      );
    }
    if (unknown.length) {
      throw new UsageError(
        `no distribution ${unknown.join(', ')} in account ${account.accountId} (NoSuchDistribution): check the --distribution id; \`aws cloudfront list-distributions\` lists them, or run init in a terminal to pick from the list.`,
      );
    }
  } else {
    const listed = await gatherDistributionList(clients);
    if (!listed.some((d) => !d.staging)) throw new UsageError(`account ${account.accountId} has no CloudFront distribution edge-install can install on (staging distributions are not targets): edge-install installs onto an existing primary distribution; create it first.`);
    const { askDistribution } = await import('../prompts/init.js');
    distributions = [await askDistribution(prompts(ctx), listed)];
  }

  // 4. the recipe's questions
  let answers: Answers;
  if (interactive) {
    const { askQuestion } = await import('../prompts/init.js');
    const resolvedGiven = resolveAnswers(recipe, given, bytes).answers;
    answers = {};
    for (const question of recipe.questions) {
      if (question.type === 'secret') continue;
      if (question.key in given) answers[question.key] = resolvedGiven[question.key]!;
      else answers[question.key] = normalizeAnswer(question, await askQuestion(prompts(ctx), question, defaultFor(question, bytes)));
    }
    if (ctx.global.region !== undefined && !recipeHasSecret(recipe, answers)) throw regionWithoutSecret(ctx.global.region, recipe);
  } else {
    answers = resolveAnswers(recipe, given, bytes).answers;
  }
  const schema = gatherSchemaPointer(baseDir);
  const { raw, manifest } = buildInitManifest(recipe, answers, distributions, { secretRegion: ctx.global.region, source: shown, state: stateFlag, schema });

  // 5. secret values
  const { observed, digest } = await gatherInitSecret(clients, manifest);
  checkSecretUsable(manifest, observed);
  const secretValues = givenSecretValues(manifest, sources, !!flags.secretsFromEnv, ctx.io.env);
  const stored = storedKeys(observed);
  const stillMissing = sensitiveKeys(manifest).filter((key) => secretValues[key] === undefined && !stored.includes(key));
  if (interactive && manifest.secret) {
    const { askSecret } = await import('../prompts/init.js');
    // The custom recipe's keys are the user's own: asked by name.
    const messages = new Map(secretQuestions(recipe).map((q) => [q.key, q.message]));
    if (observed?.exists) ctx.err(`The secret ${manifest.secret.name} exists${stored.length ? `; leave a value empty to keep the stored one` : ''}.`);
    for (const key of sensitiveKeys(manifest)) {
      if (secretValues[key] !== undefined) continue;
      const value = await askSecret(prompts(ctx), key, messages.get(key) ?? `Value of ${key}`, stored.includes(key), (text) => ctx.err(text));
      if (value !== undefined) secretValues[key] = value;
    }
  } else if (stillMissing.length) {
    const hints = stillMissing.map((key) => {
      const unused = !flags.secretsFromEnv && ctx.io.env[`${SECRET_ENV_PREFIX}${key}`] !== undefined ? ` (${SECRET_ENV_PREFIX}${key} is set: add --secrets-from-env to use it)` : '';
      return `missing secret ${key}: ${SECRET_SOURCES(key)}${unused}`;
    });
    fail(hints, stillMissing.length > 1 ? `the secret ${manifest.secret!.name} needs values that were not given and are not stored:` : undefined);
  }
  const secret = planInitSecret(manifest, observed, secretValues, digest);
  // Values written over a stored secret that running functions read: a live integration's.
  const liveUse = writesStoredValues(secret) ? liveSecretUse(manifest, observed, await gatherAssociations(clients)) : new Map<string, string[]>();

  // 6. summary, then the only writes
  const scaffold = renderScaffold(manifest, await gatherScaffold(manifest, baseDir), baseDir);
  ctx.out(initSummaryText({ recipe, answers, distributions, manifestPath: shown, manifest, secret, scaffold: scaffold.map((f) => shownPath(f.path)), liveUse }));
  if (flags.dryRun) {
    if (liveUse.size) ctx.err(`! ${flags.force ? liveSecretWarning(secret, liveUse) : liveSecretRefusal(secret, liveUse)}`);
    ctx.err('Dry run: nothing was written (no file, no secret). Run init without --dry-run to write it.');
    if (ctx.global.json) ctx.json(initDocument({ manifestPath, recipe: recipe.name, name: manifest.name, distributions, result: plannedInitResult(secret, scaffold), dryRun: true }));
    return;
  }
  if (liveUse.size) {
    // A teammate's or another checkout's init must not silently replace what a running proxy uses.
    if (!flags.force && !interactive) throw new UsageError(liveSecretRefusal(secret, liveUse));
    ctx.err(`! ${liveSecretWarning(secret, liveUse)}`);
    const { askYesNo } = await import('../prompts/init.js');
    if (interactive && !(flags.force && ctx.global.yes) && !(await askYesNo(prompts(ctx), `Change the secret ${secret.change!.name} that live functions read?`, false))) {
      ctx.err('Nothing was written.');
      return;
    }
  } else if (interactive && !ctx.global.yes) {
    const { askYesNo } = await import('../prompts/init.js');
    const what = [`write ${shown}`, ...(secret.change && secret.change.action !== 'none' ? [`${secret.change.action} the secret ${secret.change.name}`] : [])].join(' and ');
    if (!(await askYesNo(prompts(ctx), `${what[0]!.toUpperCase()}${what.slice(1)}?`, true))) {
      ctx.err('Nothing was written.');
      return;
    }
  }
  // Under the integration's lock, as every run that writes: not while another run changes its secret.
  const result = await withLock(ctx, manifest, 'init', () =>
    ctx.guard((signal) => applyInit(clients, { manifestPath, manifestText: manifestText(raw), force: !!flags.force, secret, scaffold, signal }), 'finishing the write in flight, then undoing it'),
  );

  // 7. report
  for (const line of initResultLines(shown, result, shownPath)) ctx.err(line);
  for (const handler of missingHandlerFiles(manifest, baseDir, scaffold)) ctx.err(`! ${handler} does not exist yet: plan and attach need it.`);
  if (ctx.global.json) ctx.json(initDocument({ manifestPath, recipe: recipe.name, name: manifest.name, distributions, result }));
  const next = `edge-install plan${ctx.global.config && ctx.global.config !== 'edge-install.json' ? ` --config ${ctx.global.config}` : ''}`;
  if (!interactive || ctx.global.json) {
    ctx.err(`Next: ${next} (shows what attach would change; read-only).`);
    return;
  }
  return offerPlan(ctx, next);
}

async function offerPlan(ctx: CommandContext<InitFlags>, next: string): Promise<number | void> {
  const { askYesNo } = await import('../prompts/init.js');
  let run: boolean;
  try {
    run = ctx.global.yes ? true : await askYesNo(prompts(ctx), 'Run plan now (read-only: shows what attach would change)?', true);
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new InterruptedAfterInitError(`interrupted; init had finished (the manifest and secret are written). Next: ${next}.`);
    throw error;
  }
  if (!run) {
    ctx.err(`Next: ${next}`);
    return;
  }
  // The same run, the same global flags: plan with the manifest just written.
  ctx.close();
  try {
    return await plan({ ...ctx, flags: { distribution: [] } });
  } catch (error) {
    // The plan's own error, said to come after a finished init (and with the plan's exit code).
    const e = error as Error & { exitCode?: number };
    if (e.name === 'ExitPromptError') throw error;
    throw Object.assign(new Error(`init finished (the manifest and secret are written), but plan failed: ${e.message}`), { exitCode: e.exitCode ?? 1 });
  }
}
