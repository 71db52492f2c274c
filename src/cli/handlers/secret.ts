/**
 * `edge-install secret set|rotate|keys`: change the integration's secret without re-running init.
 *
 * set / rotate: check the key (before any AWS call) → the value (piped, from the environment,
 * for rotate a new random one; or a masked prompt, asked only once a read of the secret shows
 * it can take one) → take the integration's lock → gather (the secret again, values as keyed
 * digests; the distributions; the revisions) → plan (which key, added or replaced; never a
 * value) → show → approve (--yes; a run that cannot ask is exit 2) → apply (one new secret
 * version, its revisions, the replicas) → say when the live functions read it. The value is
 * asked before the lock is taken: someone thinking at the prompt holds no other run up; the
 * approval is asked holding it (the plan it approves must stay true). keys: read-only, no lock.
 */
import { randomBytes } from 'node:crypto';
import { persistRecovery } from '../../apply/record.js';
import { applySecretChange } from '../../apply/secret-change.js';
import { gatherSecretBeforePrompt, gatherSecretChange, gatherSecretKeys, secretKeyOrigins } from '../../gather/secret.js';
import type { Manifest } from '../../manifest/schema.js';
import { checkSecretKey, checkSecretWritable, planSecretChange, requireSecret, type SecretCommand } from '../../plan/secret-change.js';
import { secretKeysReport } from '../../plan/secret-keys.js';
import { approve } from '../approve.js';
import type { CommandContext } from '../context.js';
import { withLock } from '../lock.js';
import { progress } from '../progress.js';
import { secretChangeDocument, secretChangeText, secretKeysDocument, secretKeysText, secretResultLines } from '../render/secret-text.js';
import { givenSecretValue, noValueError, promptSecretValue } from '../secret-value.js';

export interface SecretFlags {
  key?: string;
  fromStdin?: boolean;
  fromEnv?: string;
  dryRun?: boolean;
}

/**
 * A rotated value: 32 random bytes (256 bits) as base64url — 43 characters that need no
 * escaping in JSON, a header or a URL.
 */
export const generateSecretValue = (): string => randomBytes(32).toString('base64url');

const shownManifest = (ctx: CommandContext) => ctx.global.config ?? 'edge-install.json';

async function changeSecret(ctx: CommandContext<SecretFlags>, command: SecretCommand): Promise<number | void> {
  const { manifest } = await ctx.loadManifest();
  const key = ctx.flags.key!;
  const origins = secretKeyOrigins(manifest);
  checkSecretKey(manifest, key, command, origins, shownManifest(ctx));
  // A piped or environment value, or the lack of any way to get one, is settled before AWS is asked anything.
  let value = command === 'secret rotate' ? generateSecretValue() : await givenSecretValue(ctx, key);
  if (value === undefined && !ctx.interactive) throw noValueError(ctx, key);
  if (value === undefined) {
    // Said before anyone types a value that could not be stored; asked before the lock is taken.
    checkSecretWritable(manifest, await gatherSecretBeforePrompt(await ctx.clients(), manifest));
    const where = origins.vendorIssued.find((v) => v.key === key)?.where;
    value = await promptSecretValue(ctx, key, manifest.secret!.keys[key]!.description ?? where ?? key);
  }
  const known = value;
  const work = () => changeWith(ctx, manifest, command, key, known);
  return ctx.flags.dryRun ? work() : withLock(ctx, manifest, command, work);
}

async function changeWith(ctx: CommandContext<SecretFlags>, manifest: Manifest, command: SecretCommand, key: string, value: string): Promise<number | void> {
  const clients = await ctx.clients();
  const state = await ctx.state(manifest);
  const inputs = await gatherSecretChange(clients, manifest, state);
  if (!ctx.flags.dryRun) await persistRecovery(state, manifest.name, inputs.recovery);
  const plan = planSecretChange({
    command,
    manifest,
    observed: inputs.observed,
    key,
    newDigest: inputs.digest(value),
    distributions: inputs.distributions,
    revisions: inputs.revisions,
    ownedFunctionNames: inputs.ownedFunctionNames,
  });
  plan.notes.unshift(...inputs.recovery.notes);
  ctx.out(secretChangeText(plan, { color: ctx.color }));
  if (plan.action === 'none') {
    ctx.err(`Nothing to write: ${key} already holds this value.`);
    if (ctx.global.json) ctx.json(secretChangeDocument(plan, { dryRun: ctx.flags.dryRun }));
    return;
  }
  if (ctx.flags.dryRun) {
    ctx.err(`Dry run: nothing was written. Run it without --dry-run to write the new version.`);
    if (ctx.global.json) ctx.json(secretChangeDocument(plan, { dryRun: true }));
    return;
  }
  if (!(await approve(ctx, command, `Write a new version of the secret ${plan.name}?`))) return;
  const shown = progress(ctx);
  const result = await ctx
    .guard(
      (signal) => applySecretChange(clients, plan, value, { state, timing: ctx.timing, by: inputs.callerArn, revisions: inputs.revisions, signal, onEvent: shown.onEvent }),
      'finishing the secret write in flight and recording it',
    )
    .finally(() => shown.stop());
  for (const line of secretResultLines(plan, result)) ctx.out(line);
  if (ctx.global.json) ctx.json(secretChangeDocument(plan, { result }));
}

export const secretSet = (ctx: CommandContext<SecretFlags>) => changeSecret(ctx, 'secret set');
export const secretRotate = (ctx: CommandContext<SecretFlags>) => changeSecret(ctx, 'secret rotate');

export async function secretKeys(ctx: CommandContext<SecretFlags>): Promise<void> {
  const { manifest } = await ctx.loadManifest();
  requireSecret(manifest, shownManifest(ctx));
  const clients = await ctx.clients();
  const inputs = await gatherSecretKeys(clients, manifest, () => ctx.state(manifest));
  const report = secretKeysReport(manifest, inputs.history, inputs.revisions, secretKeyOrigins(manifest));
  if (inputs.stateProblem) report.notes.push(`the revisions could not be read (${inputs.stateProblem}); the dates come from the secret's versions alone`);
  ctx.out(secretKeysText(report, { color: ctx.color }));
  if (ctx.global.json) ctx.json(secretKeysDocument(report));
}
