/**
 * `edge-install import`: flags checked (exit 2 before any AWS call) → gather → match the
 * recipe's shape (pure) → show what would be adopted → approve (--yes; a non-interactive run
 * without it is exit 2, nothing written) → tags, manifest, first revision → what to run next.
 *
 * Exit codes: 0 imported (or shown, with --dry-run); 1 no install of the recipe found on the
 * distribution — the AWS state, not the input, is what lacks it, as for any finding about AWS
 * (nothing written) — or an AWS failure; 2 bad flags, values import could not infer and nobody
 * gave, a manifest already there (without --force; with it, one whose integration has revisions),
 * an integration that already has revisions, or no approval.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { alreadyManagedMessage, applyImport } from '../../apply/import.js';
import { ManifestExistsError } from '../../apply/init.js';
import { RuntimeError, UsageError } from '../../errors.js';
import { gatherImport } from '../../gather/import.js';
import { ManifestError } from '../../manifest/errors.js';
import { manifestText } from '../../manifest/init-manifest.js';
import { loadManifest } from '../../manifest/load.js';
import { loadRecipe, recipeNames } from '../../manifest/recipe-files.js';
import type { Answers } from '../../manifest/recipes.js';
import { INTEGRATION_NAME, type Manifest } from '../../manifest/schema.js';
import { parseS3Url } from '../../state/s3/location.js';
import { assembleImport, IMPORTABLE_RECIPES, plainSecretKeys, secretCandidates } from '../../plan/import-assemble.js';
import type { ImportOptions, ImportPlan } from '../../plan/import.js';
import { approve } from '../approve.js';
import type { CommandContext } from '../context.js';
import { allSecretKeys, fail, parseSets, unknownSetKeys } from '../init/answers.js';
import { withLock } from '../lock.js';
import { importDocument, renderImportText } from '../render/import-text.js';

export interface ImportFlags {
  recipe?: string;
  distribution: string[];
  name?: string;
  set: string[];
  secretName?: string;
  function: string[];
  dryRun?: boolean;
  force?: boolean;
}

/** The flags as import's options; every problem is exit 2, before any AWS call. */
function optionsOf(ctx: CommandContext<ImportFlags>): Omit<ImportOptions, 'distributionId'> & { distributionId: string } {
  const { flags } = ctx;
  const problems: string[] = [];
  if (!flags.recipe) problems.push(`missing --recipe <recipe>: the recipe the install followed (${IMPORTABLE_RECIPES.join(', ')})`);
  else if (!recipeNames().includes(flags.recipe)) problems.push(`--recipe ${flags.recipe}: there is no such recipe (${IMPORTABLE_RECIPES.join(', ')})`);
  else if (!(IMPORTABLE_RECIPES as readonly string[]).includes(flags.recipe)) {
    problems.push(`--recipe ${flags.recipe}: import knows the shape of ${IMPORTABLE_RECIPES.join(' and ')} installs; a ${flags.recipe} install has no shape to match. Write its manifest with edge-install init, marking existing behaviors "adopt": true`);
  }
  const ids = [...new Set(flags.distribution)];
  if (ids.length !== 1) problems.push(ids.length ? `--distribution is given ${ids.length} times: import takes one install, on one distribution` : 'missing --distribution <id>: the distribution the install is on');
  if (problems.length) fail(problems, 'cannot run import:');
  const recipe = loadRecipe(flags.recipe!);
  const given: Answers = parseSets(flags.set, allSecretKeys());
  const unknown = unknownSetKeys(recipe, given);
  if (unknown.length) fail(unknown);
  if (given.name !== undefined) {
    if (flags.name !== undefined && flags.name !== given.name) throw new UsageError(`--name ${flags.name} and --set name=${String(given.name)} disagree; give one.`);
    flags.name = String(given.name);
    delete given.name;
  }
  const defaultName = recipe.questions.find((q) => q.key === 'name')?.default;
  const integration = flags.name ?? (typeof defaultName === 'string' ? defaultName : recipe.name);
  if (!INTEGRATION_NAME.test(integration)) throw new UsageError(`--name ${integration}: must be 1-32 lowercase letters, digits or hyphens (it prefixes what edge-install creates).`);
  const keys = Object.keys(recipe.manifest.functions as Record<string, unknown>);
  const functionNames: Record<string, string> = {};
  for (const item of flags.function) {
    const [key, name] = [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)];
    if (!keys.includes(key)) throw new UsageError(`--function ${item}: the ${recipe.name} recipe's functions are ${keys.join(', ')}; write e.g. --function ${keys[0]}=<Lambda function name>.`);
    functionNames[key] = name;
  }
  if (flags.secretName !== undefined && !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(flags.secretName)) {
    throw new UsageError(`--secret-name ${flags.secretName}: a secret name has only letters, digits and /_+=.@- (give the name, not the ARN).`);
  }
  // --state s3://… is written into the manifest (state.s3), as init does: the team's state place, for every later run.
  const state = ctx.global.state === undefined ? undefined : parseS3Url(ctx.global.state, '--state');
  return { recipe, integration, distributionId: ids[0]!, given, secretName: flags.secretName, secretRegion: ctx.global.region, functionNames, ...(state ? { state } : {}) };
}

/**
 * --force replaces a manifest, and only that: a manifest whose integration has revisions is the
 * only way to that integration's history (status, rollback, detach read the manifest to find it),
 * so replacing it would orphan the install it manages. Refused (exit 2), saying how to keep both
 * or how to put that one aside on purpose. A file that does not load as a manifest is refused
 * too: which integration it names, and so whether it has revisions, cannot be told.
 */
async function refuseToOrphan(ctx: CommandContext<ImportFlags>, shown: string): Promise<void> {
  const elsewhere = `import into a manifest of its own instead (--config <another file>.json)`;
  let existing: Manifest;
  try {
    // Not ctx.loadManifest(): that also checks --region against the manifest's, and --region here is the import's secret's.
    existing = (await loadManifest(ctx.global.config ?? 'edge-install.json', ctx.io.cwd)).manifest;
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    throw new UsageError(
      `--force: ${shown} does not load as a manifest, so import cannot tell whether the integration it names has revisions (--force replaces only a manifest whose integration has none; nothing was written). Fix: ${elsewhere}, or, if nothing uses that file, move it aside first: mv ${shown} ${shown}.bak`,
      { cause: error },
    );
  }
  const state = await ctx.state(existing);
  const { revisions } = await state.readRevisions(existing.name);
  if (!revisions.length) return;
  throw new UsageError(
    `--force: ${shown} is the manifest of ${existing.name}, which has ${revisions.length} revision${revisions.length === 1 ? '' : 's'} in ${state.location}; replacing it would leave that install and its history with no manifest (--force replaces only a manifest whose integration has no revisions; nothing was written). ` +
      `Fix: ${elsewhere}; or, if ${existing.name} is gone for good (edge-install detach --config ${shown} takes it off first), move both aside — mv ${shown} ${shown}.bak, and its state ${state.location}/${existing.name} to another place — then run import again.`,
  );
}

export async function importInstall(ctx: CommandContext<ImportFlags>): Promise<number | void> {
  const { flags } = ctx;
  const shown = relative(ctx.io.cwd, ctx.manifestPath) || ctx.manifestPath;
  const options = optionsOf(ctx);
  if (existsSync(ctx.manifestPath)) {
    if (!flags.force && !flags.dryRun) throw new ManifestExistsError(shown);
    if (flags.force) await refuseToOrphan(ctx, shown);
  }
  const clients = await ctx.clients();
  const inputs = await gatherImport(clients, {
    distributionId: options.distributionId,
    secretCandidates: (d) => secretCandidates(options, d.config.Origins?.Items ?? []),
    plainKeys: plainSecretKeys(options),
  });
  // As init: a staging distribution is a copy that a promote writes over its primary; the install to import is on the primary.
  if (inputs.distribution.config.Staging) {
    throw new UsageError(`${options.distributionId} is a staging distribution (continuous deployment): edge-install works on primary distributions only. Fix: give the primary distribution's id to --distribution.`);
  }
  let plan = assembleImport(inputs, options);
  // On a terminal, values import could not infer are asked for (the recipe's own questions, checked as you type).
  if (plan.found && plan.missing.length && ctx.interactive && plan.missing.every((m) => options.recipe.questions.some((q) => q.key === m.key))) {
    ctx.out(renderImportText(plan, { manifest: shown, state: '' }, ctx.color));
    const { askQuestion } = await import('../prompts/init.js');
    const io = { input: ctx.io.stdin, output: ctx.io.stderr as NodeJS.WritableStream };
    for (const m of plan.missing) options.given[m.key] = await askQuestion(io, options.recipe.questions.find((q) => q.key === m.key)!, undefined);
    plan = assembleImport(inputs, options);
  }
  const manifest = plan.manifest?.manifest;
  const stateLocation = manifest ? (await ctx.state(manifest)).location : '';
  ctx.out(renderImportText(plan, { manifest: shown, state: stateLocation }, ctx.color));
  if (!plan.found) {
    if (ctx.global.json) ctx.json(importDocument(plan, { manifest: ctx.manifestPath }));
    throw new RuntimeError(`no ${plan.recipe} install found on ${plan.distributionId}: ${plan.unmatched.map((u) => `${u.part}: ${u.why}`).join('; ') || 'nothing matched'}. Nothing was written.`);
  }
  if (plan.missing.length || !manifest || !plan.manifest) {
    fail(
      plan.missing.map((m) => (m.key.startsWith('(') ? m.why : `--set ${m.key}=…: ${m.why}`)),
      `import found the install but needs ${plan.missing.length === 1 ? 'a value' : 'values'} it could not infer (nothing was written):`,
    );
  }
  const state = await ctx.state(manifest);
  const existing = await state.readRevisions(manifest.name);
  if (existing.revisions.length) throw new UsageError(alreadyManagedMessage(manifest.name, state.location));
  if (flags.dryRun) {
    ctx.err('Dry run: nothing was written (no tag, no manifest, no revision). Run import without --dry-run to take it over.');
    if (ctx.global.json) ctx.json(importDocument(plan, { manifest: ctx.manifestPath, dryRun: true }));
    return;
  }
  const question = `Take this install over: ${plan.tags.length ? `tag ${plan.tags.length} resource${plan.tags.length === 1 ? '' : 's'}, ` : ''}write ${shown} and the first revision?`;
  if (!(await approve(ctx, 'import', question, ' (or look first with --dry-run)'))) return;
  const account = inputs.account;
  const text = manifestText(plan.manifest.raw);
  const result = await withLock(ctx, manifest, 'import', () =>
    ctx.guard(
      (signal) => applyImport(clients, { plan: plan as ImportPlan, manifestPath: ctx.manifestPath, manifestShown: shown, manifestText: text, force: !!flags.force, state, by: account.callerArn, signal }),
      'finishing the tag in flight, then undoing the tags',
    ),
  );
  for (const t of result.tagged) ctx.err(`tagged ${t.replace(':', ' ')}`);
  ctx.err(`wrote ${shown}`);
  ctx.err(`recorded revision ${result.revision.revision} (import) in ${state.location}`);
  if (ctx.global.json) ctx.json(importDocument(plan, { manifest: ctx.manifestPath, revision: result.revision.revision, tagged: result.tagged }));
  const config = ctx.global.config && ctx.global.config !== 'edge-install.json' ? ` --config ${ctx.global.config}` : '';
  ctx.err(`Next: edge-install status${config} (the install as it is), then edge-install plan${config} (what the first attach would change: the built-in functions, edge-install's names).`);
}

