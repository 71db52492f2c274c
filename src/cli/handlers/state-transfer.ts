/**
 * `edge-install state push --to s3://…` and `state pull --from s3://…`: the integration's
 * history between its state dir and S3 (src/state/transfer.ts does the moving). The state dir
 * is the one any command would use as a directory — `--state-dir`, else the default next to the
 * manifest — whatever the manifest's state.s3 says: that is the side being moved from or to.
 *
 * No approval is asked: a transfer only adds records the source already has, and never changes
 * or deletes one in either place (a diverging history is refused instead), so there is nothing
 * to undo. A refused transfer is exit 1, as terraform's `state push` refusing a lineage or
 * serial conflict: the user has to decide which history is the real one.
 */
import { UsageError } from '../../errors.js';
import { revisionCount } from '../../plan/state-history.js';
import type { Revision } from '../../plan/revision.js';
import { localStore } from '../../state/local-store.js';
import { formatS3Url, parseS3Url } from '../../state/s3/location.js';
import { transferHistory, type TransferOutcome, type TransferSide } from '../../state/transfer.js';
import { endpointDirName, type CommandContext } from '../context.js';
import { lockSettings, manifestS3, s3StoreAt, stateDirOf } from '../state-choice.js';

export interface StateTransferFlags {
  to?: string;
  from?: string;
  dryRun?: boolean;
}

type Direction = 'push' | 'pull';

export const statePush = (ctx: CommandContext<StateTransferFlags>) => stateTransfer(ctx, 'push');
export const statePull = (ctx: CommandContext<StateTransferFlags>) => stateTransfer(ctx, 'pull');

const names = (revisions: readonly Revision[]) => revisions.map((r) => r.revision).join(', ');

async function stateTransfer(ctx: CommandContext<StateTransferFlags>, direction: Direction): Promise<void> {
  const flag = direction === 'push' ? '--to' : '--from';
  const given = direction === 'push' ? ctx.flags.to : ctx.flags.from;
  if (ctx.global.state !== undefined) {
    throw new UsageError(`state ${direction} moves revisions between the state dir and ${flag}; --state ${ctx.global.state} names where the other commands keep their state. Fix: leave out --state (name the state dir with --state-dir, and S3 with ${flag}).`);
  }
  // A bad URL is exit 2 before anything is read, and before any AWS call.
  const named = given === undefined ? undefined : parseS3Url(given, flag);
  const { manifest } = await ctx.loadManifest();
  const location = named ?? manifestS3(manifest);
  if (!location) throw new UsageError(`state ${direction} needs ${flag} s3://<bucket>/<prefix> (or state.s3 in the manifest): where in S3 to copy the revisions ${direction === 'push' ? 'to' : 'from'}.`);
  const url = formatS3Url(location);
  const settings = lockSettings(manifest, ctx.io.env);
  const endpointDir = ctx.endpointUrl ? endpointDirName(ctx.endpointUrl) : undefined;
  const dir = stateDirOf({ stateDir: ctx.global.stateDir, manifestPath: ctx.manifestPath, endpointDirName: endpointDir, path: ctx.path });
  const local: TransferSide = { store: localStore(dir, settings), name: `the state dir ${dir}`, option: `--state-dir ${dir}` };
  const s3: TransferSide = { store: s3StoreAt(location, named ? flag : "the manifest's state.s3", { env: ctx.io.env, clients: ctx.clients, endpointDirName: endpointDir }, settings), name: url, option: `--state ${url}` };
  const [from, to] = direction === 'push' ? [local, s3] : [s3, local];
  const dryRun = !!ctx.flags.dryRun;

  const outcome = await transferHistory({ integration: manifest.name, from, to, command: `edge-install state ${direction}`, dryRun, warn: (text) => ctx.err(`! ${text}`) });

  // The way back, were the target ahead: the other direction, with the same state dir.
  const sameDir = ctx.global.stateDir !== undefined ? ` --state-dir ${ctx.global.stateDir}` : '';
  const back = direction === 'push' ? `pull to get them: edge-install state pull --from ${url}${sameDir}` : `push to send them: edge-install state push --to ${url}${sameDir}`;
  for (const line of transferLines(outcome, { from: from.name, to: to.name, integration: manifest.name, dryRun, back })) ctx.out(line);
  if (direction === 'push' && !dryRun) {
    ctx.out(
      named
        ? `From now on pass --state ${url} or set state.s3 in the manifest (README, "State in S3"); the state dir is left as it was.`
        : `The manifest's state.s3 names ${url}: from now on every command keeps its state there; the state dir is left as it was.`,
    );
  }
  if (ctx.global.json) {
    ctx.json({
      version: 1,
      integration: manifest.name,
      from: from.store.location,
      to: to.store.location,
      copied: outcome.copied.map((r) => r.revision),
      pending: outcome.pending,
      upToDate: outcome.copied.length === 0 && outcome.pending === 0,
      ahead: outcome.ahead.length,
      dryRun,
    });
  }
}

function transferLines(o: TransferOutcome, s: { from: string; to: string; integration: string; dryRun: boolean; back: string }): string[] {
  const lines: string[] = [];
  if (o.copied.length) lines.push(`${s.dryRun ? 'Would copy' : 'Copied'} ${revisionCount(o.copied.length)} of ${s.integration} from ${s.from} to ${s.to}: ${names(o.copied)}.`);
  if (o.pending) {
    const entries = `${o.pending} pending journal ${o.pending === 1 ? 'entry' : 'entries'}`;
    lines.push(`${s.dryRun ? 'Would carry' : 'Carried'} ${entries} (a distribution write cut short) to ${s.to}: the next command there resolves ${o.pending === 1 ? 'it' : 'them'} against what is live.`);
  }
  if (o.ahead.length) lines.push(`${s.to} is ${revisionCount(o.ahead.length)} ahead of ${s.from} (${names(o.ahead)}): nothing to copy; ${s.back}`);
  else if (!o.copied.length) lines.push(`${s.to} is already in step with ${s.from}: nothing to copy.`);
  if (s.dryRun) lines.push('Dry run: nothing was written.');
  return lines;
}
