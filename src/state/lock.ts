/**
 * One run per integration at a time, in a state dir: `<state dir>/<integration>/lock.json`,
 * created exclusively, holding its holder (lock-holder.ts). A second run is refused naming the
 * holder. A lock whose process is gone on this same host is taken over, with a notice (the pid
 * proves it); one from another host is never taken over — `edge-install force-unlock <id>`
 * removes it (terraform's force-unlock). Taking the lock is the run's first write, so a state
 * dir that cannot be written stops the run before any AWS write.
 */
import { existsSync } from 'node:fs';
import { readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RuntimeError, UsageError } from '../errors.js';
import { ExistsError, writeDurably } from './files.js';
import { describeHolder, lockedError, newLockHolder, type LockHolder, type LockSettings } from './lock-holder.js';
import { checkLockRecord } from './records.js';
import { integrationDir, stateDirError } from './revisions.js';

export type { LockHolder };

const lockFile = (stateDir: string, integration: string) => join(integrationDir(stateDir, integration), 'lock.json');

export interface HeldLock {
  holder: LockHolder;
  /** Said when a dead run's lock was taken over. */
  notice?: string;
  /** Never throws: a lock that could not be removed is returned as a warning naming the fix. */
  release(): Promise<string | undefined>;
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
  return text === undefined ? undefined : checkLockRecord(text);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(stateDir: string, integration: string, command: string, settings: LockSettings): Promise<HeldLock> {
  const file = lockFile(stateDir, integration);
  const holder = newLockHolder(command, settings);
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
      const sameHost = current.host === holder.host;
      const dead = sameHost && current.pid !== process.pid && !alive(current.pid);
      // Its age by this machine's clock (the file's mtime), as S3 dates its lock by its own: never by the holder's clock.
      const heldSince = await stat(file).then((s) => s.mtime, () => undefined);
      if (!dead || attempt > 2) throw lockedError(integration, current, { location: stateDir, heldSince, sameHost, settings });
      await unlink(file).catch(() => undefined);
      notice = `took over the lock of ${describeHolder(current)}: that process is gone`;
    }
  }
  return {
    holder,
    notice,
    async release() {
      const current = await readHolder(file).catch(() => undefined);
      if (current?.id !== holder.id) return undefined;
      const failed = await unlink(file).then(
        () => undefined,
        (error: Error) => error,
      );
      if (failed) return `could not remove the lock ${holder.id} (${file}: ${failed.message}); remove it with: edge-install force-unlock ${holder.id}`;
      // Leave no empty directories behind a run that recorded nothing (rmdir refuses non-empty ones).
      for (const dir of created) {
        if (!(await rmdir(dir).then(() => true, () => false))) break;
      }
      return undefined;
    },
  };
}

/** Removes the lock `id` (one a dead run on another host left). */
export async function forceUnlock(stateDir: string, integration: string, id: string): Promise<LockHolder> {
  const file = lockFile(stateDir, integration);
  const current = await readHolder(file);
  if (!current) throw new UsageError(`${integration} is not locked (no ${file}): nothing to unlock.`);
  if (current.id !== id) throw new UsageError(`the lock of ${integration} is ${current.id}, held by ${describeHolder(current)}, not ${id}: check the id the lock error printed.`);
  await unlink(file);
  return current;
}
