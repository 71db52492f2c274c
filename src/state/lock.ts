/**
 * One run per integration at a time: `<state dir>/<integration>/lock.json`, created exclusively,
 * holding who runs what (pid, host, user, command, since when) and an id. A second run is
 * refused naming the holder. A lock whose process is gone on this same host is taken over,
 * with a notice; one from another host is never taken over silently — `edge-install
 * force-unlock <id>` removes it (terraform's force-unlock). Taking the lock is the run's first
 * write, so a state dir that cannot be written stops the run before any AWS write.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rmdir, unlink } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { RuntimeError, UsageError } from '../errors.js';
import { ExistsError, writeDurably } from './files.js';
import { LockSchema, type LockHolder } from './records.js';
import { integrationDir, stateDirError } from './revisions.js';

export type { LockHolder };

const lockFile = (stateDir: string, integration: string) => join(integrationDir(stateDir, integration), 'lock.json');

export class LockedError extends RuntimeError {}

export interface HeldLock {
  holder: LockHolder;
  /** Said when a dead run's lock was taken over. */
  notice?: string;
  release(): Promise<void>;
}

function describe(h: LockHolder): string {
  return `${h.user}@${h.host} (pid ${h.pid}) running \`${h.command}\` since ${h.startedAt}`;
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
  if (text === undefined) return undefined;
  try {
    const parsed = LockSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: damaged
  }
  return { id: 'damaged', pid: 0, host: '?', user: '?', command: '?', startedAt: '?' };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(stateDir: string, integration: string, command: string): Promise<HeldLock> {
  const file = lockFile(stateDir, integration);
  const holder: LockHolder = { id: randomBytes(6).toString('hex'), pid: process.pid, host: hostname(), user: userInfo().username, command, startedAt: new Date().toISOString() };
  let notice: string | undefined;
  // The directories this run is about to create (deepest first): release removes them again if
  // nothing was recorded in them, and nothing else.
  const created: string[] = [];
  for (let dir = integrationDir(stateDir, integration); !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) created.push(dir);
  for (let attempt = 0; ; attempt++) {
    try {
      await writeDurably(file, `${JSON.stringify(holder, null, 2)}\n`, { exclusive: true });
      break;
    } catch (error) {
      if (!(error instanceof ExistsError)) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTDIR' || code === 'EISDIR') stateDirError(stateDir, error as NodeJS.ErrnoException);
        throw new RuntimeError(`cannot take the lock of ${integration} in ${file} (${(error as Error).message}); nothing was written. Make the state dir writable, or pass --state-dir.`);
      }
      const current = await readHolder(file);
      if (!current) continue; // released meanwhile
      const dead = current.host === holder.host && current.pid !== process.pid && !alive(current.pid);
      if (!dead || attempt > 2) {
        throw new LockedError(
          `${integration} is locked by ${describe(current)} (lock ${current.id}); another run is changing it. Wait for it to finish` +
            `${current.host === holder.host ? '' : `; if that run died on ${current.host}, remove the lock with: edge-install force-unlock ${current.id}`}.`,
        );
      }
      await unlink(file).catch(() => undefined);
      notice = `took over the lock of ${describe(current)}: that process is gone`;
    }
  }
  return {
    holder,
    notice,
    async release() {
      const current = await readHolder(file).catch(() => undefined);
      if (current?.id !== holder.id) return;
      await unlink(file).catch(() => undefined);
      // Leave no empty directories behind a run that recorded nothing (rmdir refuses non-empty ones).
      for (const dir of created) {
        if (!(await rmdir(dir).then(() => true, () => false))) break;
      }
    },
  };
}

/** Removes the lock `id` (one a dead run on another host left). */
export async function forceUnlock(stateDir: string, integration: string, id: string): Promise<LockHolder> {
  const file = lockFile(stateDir, integration);
  const current = await readHolder(file);
  if (!current) throw new UsageError(`${integration} is not locked (no ${file}): nothing to unlock.`);
  if (current.id !== id) throw new UsageError(`the lock of ${integration} is ${current.id}, held by ${describe(current)}, not ${id}: check the id the lock error printed.`);
  await unlink(file);
  return current;
}
