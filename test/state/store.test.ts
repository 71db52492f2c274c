/**
 * The state store interface (src/state/store.ts) with its one implementation, the state dir:
 * every operation a command uses goes through it, and it is located at its directory.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RevisionDraft } from '../../src/plan/revision.js';
import { localStore } from '../../src/state/local-store.js';
import type { StateStore } from '../../src/state/store.js';

const NONE = { origins: [], behaviors: [], associations: [] };
const draft = (distributionId: string): RevisionDraft => ({
  version: 1,
  kind: 'attach',
  integration: 'fp-proxy',
  distributionId,
  createdAt: new Date().toISOString(),
  etagBefore: 'E1',
  etagAfter: 'E2',
  ownedBefore: NONE,
  ownedAfter: NONE,
  replacedForeign: [],
  functions: [],
  cachePolicies: {},
});

let dir: string;
let store: StateStore;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'ei-store-')), 'state');
  store = localStore(dir);
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('the local state store', () => {
  it('is located at its directory, and keeps a whole run there through the interface: lock, journal, revisions, force-unlock', async () => {
    expect(store.location).toBe(dir);
    const lock = await store.acquireLock('fp-proxy', 'edge-install attach');
    expect(existsSync(join(dir, 'fp-proxy', 'lock.json'))).toBe(true);

    const id = await store.putPending({ draft: draft('EDFDVBD6EXAMPLE') });
    expect((await store.readJournal('fp-proxy')).map((p) => [p.id, p.draft.writeId])).toEqual([[id, id]]);
    const [first, second] = await Promise.all([store.appendRevision({ ...draft('EDFDVBD6EXAMPLE'), writeId: id }), store.appendRevision(draft('E2OTHER'))]);
    expect([first.revision, second.revision]).toEqual(['000001-EDFDVBD6EXAMPLE', '000002-E2OTHER']);
    await store.clearPending('fp-proxy', [id]);

    expect(await store.readJournal('fp-proxy')).toEqual([]);
    expect(await store.readRevisions('fp-proxy')).toEqual({ revisions: [first, second], problems: [] });
    await lock.release();
    expect(readdirSync(join(dir, 'fp-proxy')).sort()).toEqual(['journal.json', 'revisions']);

    const left = await store.acquireLock('fp-proxy', 'edge-install detach');
    expect(await store.forceUnlock('fp-proxy', left.holder.id)).toEqual(left.holder);
    expect(existsSync(join(dir, 'fp-proxy', 'lock.json'))).toBe(false);
  });
});
