/**
 * Two copies of an integration's history (src/plan/state-history.ts): what a transfer copies,
 * when the target is already in step or ahead, and the first difference when they diverge.
 */
import { describe, expect, it } from 'vitest';
import { revisionId, type Revision, type RevisionKind } from '../../src/plan/revision.js';
import { compareHistories, divergenceText } from '../../src/plan/state-history.js';

const NONE = { origins: [], behaviors: [], associations: [] };
const DIST = 'E1DEMO0EXAMPLE';

function revision(seq: number, kind: RevisionKind = 'attach', edit: Partial<Revision> = {}): Revision {
  const distributionId = edit.distributionId ?? DIST;
  return {
    version: 1,
    kind,
    revision: revisionId(seq, distributionId),
    seq,
    integration: 'fp-proxy',
    distributionId,
    createdAt: `2026-05-0${seq}T10:00:00.000Z`,
    etagBefore: `E${seq}`,
    etagAfter: `E${seq + 1}`,
    ownedBefore: NONE,
    ownedAfter: NONE,
    replacedForeign: [],
    functions: [],
    cachePolicies: {},
    ...edit,
  };
}

const SIDES = { source: 'the state dir /p/.edge-install', target: 's3://acme-edge-state/prod' };
const names = (rs: Revision[]) => rs.map((r) => r.revision);

describe('histories that agree', () => {
  it('copies the revisions the target lacks, in order, whatever order they are given in', () => {
    const [one, two, three] = [revision(1), revision(2, 'rollback'), revision(3)];
    const compared = compareHistories([three, one, two], [one]);
    expect(compared.agree && names(compared.toCopy)).toEqual(['000001-E1DEMO0EXAMPLE', '000002-E1DEMO0EXAMPLE', '000003-E1DEMO0EXAMPLE'].slice(1));
    expect(compared.agree && compared.ahead).toEqual([]);
    expect(compareHistories([one, two], [])).toEqual({ agree: true, toCopy: [one, two], ahead: [] });
  });

  it('nothing to copy when the target already has every revision: a second run is a no-op', () => {
    const history = [revision(1), revision(2, 'rollback')];
    expect(compareHistories(history, structuredClone(history))).toEqual({ agree: true, toCopy: [], ahead: [] });
    expect(compareHistories([], [])).toEqual({ agree: true, toCopy: [], ahead: [] });
  });

  it('a record is compared by its content, not its key order', () => {
    const one = revision(1);
    const reordered = Object.fromEntries(Object.entries(one).reverse()) as unknown as Revision;
    expect(compareHistories([one], [reordered])).toEqual({ agree: true, toCopy: [], ahead: [] });
  });

  it('a target ahead of the source, agreeing on the common part: nothing to copy, and the revisions it is ahead by', () => {
    const history = [revision(1), revision(2), revision(3, 'detach')];
    const compared = compareHistories(history.slice(0, 1), history);
    expect(compared).toEqual({ agree: true, toCopy: [], ahead: history.slice(1) });
  });

  it('older unnumbered revisions come first, matched by name', () => {
    const legacy = { ...revision(1), seq: undefined, revision: `20250101T000000Z-${DIST}` } as Revision;
    const compared = compareHistories([revision(1), legacy], [legacy]);
    expect(compared.agree && names(compared.toCopy)).toEqual(['000001-E1DEMO0EXAMPLE']);
  });
});

describe('histories that diverge: the first difference is named', () => {
  it('the same number under two names (two machines each made their revision 2)', () => {
    const compared = compareHistories([revision(1), revision(2, 'rollback')], [revision(1), revision(2, 'attach', { distributionId: 'E2OTHER0EXAMPLE' })]);
    expect(compared.agree).toBe(false);
    if (compared.agree) return;
    expect(compared.divergence.at).toBe('revision 2');
    expect(divergenceText(compared.divergence, SIDES)).toBe(
      'the histories of the state dir /p/.edge-install and s3://acme-edge-state/prod part at revision 2: ' +
        'the state dir /p/.edge-install holds 000002-E1DEMO0EXAMPLE (rollback of E1DEMO0EXAMPLE, made 2026-05-02T10:00:00.000Z); ' +
        's3://acme-edge-state/prod holds 000002-E2OTHER0EXAMPLE (attach of E2OTHER0EXAMPLE, made 2026-05-02T10:00:00.000Z)',
    );
  });

  it('the same name with two records, naming the fields that differ', () => {
    const compared = compareHistories([revision(1), revision(2, 'rollback')], [revision(1), revision(2, 'attach', { etagAfter: 'EOTHER' })]);
    if (compared.agree) throw new Error('expected a divergence');
    expect(compared.divergence).toMatchObject({ at: 'revision 2', fields: ['etagAfter', 'kind'] });
    expect(divergenceText(compared.divergence, SIDES)).toContain('s3://acme-edge-state/prod holds 000002-E1DEMO0EXAMPLE (attach of E1DEMO0EXAMPLE, made 2026-05-02T10:00:00.000Z); the two records differ in etagAfter, kind');
  });

  it('a divergence before a revision to copy is refused: nothing is copied past it', () => {
    const compared = compareHistories([revision(1, 'attach', { etagBefore: 'X' }), revision(2)], [revision(1)]);
    expect(compared).toMatchObject({ agree: false, divergence: { at: 'revision 1', fields: ['etagBefore'] } });
  });

  it('a number one side skips and the other has: filling the hole would make a history nobody lived through', () => {
    const skips = compareHistories([revision(1), revision(3)], [revision(1), revision(2)]);
    if (skips.agree) throw new Error('expected a divergence');
    expect(skips.divergence).toMatchObject({ at: 'revision 2', target: revision(2), sourceNext: revision(3) });
    expect(divergenceText(skips.divergence, SIDES)).toContain(
      'part at revision 2: the state dir /p/.edge-install has none (its next is 000003-E1DEMO0EXAMPLE (attach of E1DEMO0EXAMPLE, made 2026-05-03T10:00:00.000Z)); s3://acme-edge-state/prod holds 000002-E1DEMO0EXAMPLE',
    );
    const hole = compareHistories([revision(1), revision(2), revision(3)], [revision(1), revision(3)]);
    expect(hole).toMatchObject({ agree: false, divergence: { at: 'revision 2', source: revision(2), targetNext: revision(3) } });
  });
});
