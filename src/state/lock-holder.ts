/**
 * Who holds an integration's lock, and how every store says so. A lock names its holder — who
 * (user), where (host, and the CI run's URL when there is one), what (the command) and since
 * when — and carries an id: a lock error always prints the id and the `force-unlock` command,
 * as terraform's does. A lock older than the configured age is called probably stale, and is
 * still never taken over without `force-unlock`: a deploy wait can be long, and the one who
 * knows whether that run is gone is a person, not a clock.
 */
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { RuntimeError } from '../errors.js';
import type { LockHolder } from './records.js';

export type { LockHolder };

/** Longer than the longest run edge-install makes on its own: several distributions, each waited on up to 35 min. */
export const DEFAULT_STALE_LOCK_MINUTES = 120;

export interface LockSettings {
  /** The environment the run sees (its CI variables name the run). */
  env: NodeJS.ProcessEnv;
  /** A lock held longer than this is reported as probably stale (never taken over). */
  staleAfterMinutes: number;
}

export const defaultLockSettings = (env: NodeJS.ProcessEnv = process.env): LockSettings => ({ env, staleAfterMinutes: DEFAULT_STALE_LOCK_MINUTES });

/** The URL of the CI run, from the variables each CI sets (their documented names). */
export function ciRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  return env.CI_JOB_URL || env.CIRCLE_BUILD_URL || env.BUILDKITE_BUILD_URL || env.BUILD_URL || undefined;
}

function user(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown'; // a container user without a passwd entry
  }
}

export function newLockHolder(command: string, settings: LockSettings): LockHolder {
  const ci = ciRunUrl(settings.env);
  return { id: randomBytes(6).toString('hex'), pid: process.pid, host: hostname(), user: user(), command, startedAt: new Date().toISOString(), ...(ci ? { ci } : {}) };
}

export function describeHolder(h: LockHolder): string {
  return `${h.user}@${h.host} (pid ${h.pid}) running \`${h.command}\` since ${h.startedAt}${h.ci ? ` in ${h.ci}` : ''}`;
}

/** Another run holds the lock: exit 1, naming it. */
export class LockedError extends RuntimeError {
  constructor(
    message: string,
    readonly holder: LockHolder,
  ) {
    super(message);
  }
}

function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The lock error. `heldSince` is when the lock was written, by the store's own clock where it
 * has one (S3's Last-Modified), so a holder's wrong clock does not make a lock look stale.
 */
export function lockedError(integration: string, holder: LockHolder, where: { location: string; heldSince?: Date; sameHost: boolean; settings: LockSettings; now?: Date }): LockedError {
  const since = where.heldSince ?? new Date(holder.startedAt);
  const heldMs = (where.now ?? new Date()).getTime() - since.getTime();
  const stale = Number.isFinite(heldMs) && heldMs > where.settings.staleAfterMinutes * 60_000;
  const unlock = `edge-install force-unlock ${holder.id}`;
  const advice = stale
    ? `It has been held for ${age(heldMs)}, longer than the ${where.settings.staleAfterMinutes} min after which a lock is probably stale (state.staleLockAfterMinutes): if that run is gone, remove the lock with: ${unlock}. It is never taken over without that.`
    : `Wait for it to finish${where.sameHost ? '' : `; if that run died on ${holder.host}, remove the lock with: ${unlock}`}.`;
  return new LockedError(`${integration} is locked by ${describeHolder(holder)} (lock ${holder.id}) in ${where.location}; another run is changing it. ${advice}`, holder);
}
