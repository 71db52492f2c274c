/**
 * The state store in a directory (`--state-dir`): `<dir>/<integration>/` holds `revisions/`
 * (revisions.ts), `journal.json` (journal.ts) and `lock.json` (lock.ts). Its location is the
 * directory's path. Made by the command context on every start, so it stays light: the modules
 * behind it (and zod) load on first use.
 */
import type { LockSettings } from './lock-holder.js';
import type { StateStore } from './store.js';

export function localStore(dir: string, settings?: LockSettings): StateStore {
  const revisions = () => import('./revisions.js');
  const journal = () => import('./journal.js');
  const lock = () => import('./lock.js');
  const lockSettings = async () => settings ?? (await import('./lock-holder.js')).defaultLockSettings();
  return {
    location: dir,
    readRevisions: async (integration) => (await revisions()).readRevisions(dir, integration),
    appendRevision: async (draft) => (await revisions()).appendRevision(dir, draft),
    copyRevision: async (revision) => (await revisions()).copyRevision(dir, revision),
    readJournal: async (integration) => (await journal()).readJournal(dir, integration),
    putPending: async (entry) => (await journal()).putPending(dir, entry),
    clearPending: async (integration, ids) => (await journal()).clearPending(dir, integration, ids),
    acquireLock: async (integration, command) => (await lock()).acquireLock(dir, integration, command, await lockSettings()),
    forceUnlock: async (integration, id) => (await lock()).forceUnlock(dir, integration, id),
  };
}
