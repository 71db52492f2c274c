/**
 * PURE: what a revision changed, in one line (`edge-install revisions`), as a plan document
 * (`revisions show`), and finding one by the id a user typed (`show`, `rollback --to`).
 */
import { describe, expect, it } from 'vitest';
import type { OwnedParts } from '../../src/plan/owned-parts.js';
import { revisionChangeList, revisionDocument } from '../../src/plan/revision-document.js';
import { findRevision, indexOfRevision, unknownRevisionMessage } from '../../src/plan/revision-lookup.js';
import { revisionChanges, summarizeRevision } from '../../src/plan/revision-summary.js';
import type { Revision } from '../../src/plan/revision.js';

const ID = 'E1DEMO0EXAMPLE';
const fn = (name: string, version: number) => `arn:aws:lambda:us-east-1:123456789012:function:${name}:${version}`;
const NOTHING: OwnedParts = { origins: [], behaviors: [], associations: [] };
const origin = (id: string, domain = 'fpcdn.io') => ({ Id: id, DomainName: domain });
const behavior = (pattern: string, index: number, extra: Record<string, unknown> = {}) => ({
  pathPattern: pattern,
  index,
  created: true,
  behavior: { PathPattern: pattern, TargetOriginId: 'ei-fp-proxy-vendor', ViewerProtocolPolicy: 'redirect-to-https', ...extra },
});
const trigger = (pattern: string, eventType: string, arn: string, includeBody = false) => ({ pathPattern: pattern, eventType, arn, includeBody });

/** The first-party proxy as attach leaves it, running version `v`. */
const attached = (v: number): OwnedParts => ({
  origins: [origin('ei-fp-proxy-vendor')],
  behaviors: [behavior('fpjs-abc/*', 2)],
  associations: [trigger('fpjs-abc/*', 'origin-request', fn('fp-proxy-proxy', v), true), trigger('fpjs-abc/*', 'origin-response', fn('fp-proxy-proxy', v))],
});

function revision(seq: number, before: OwnedParts, after: OwnedParts, extra: Partial<Revision> = {}): Revision {
  return {
    version: 1,
    kind: 'attach',
    revision: `${String(seq).padStart(6, '0')}-${extra.distributionId ?? ID}`,
    seq,
    integration: 'fp-proxy',
    distributionId: ID,
    createdAt: `2026-12-02T16:0${seq}:00.000Z`,
    etagBefore: `E${seq}A`,
    etagAfter: `E${seq}B`,
    ownedBefore: before,
    ownedAfter: after,
    replacedForeign: [],
    functions: [],
    cachePolicies: {},
    ...extra,
  };
}

describe('summarizeRevision', () => {
  it('a first attach: the origin and behavior by name, the triggers counted per function version', () => {
    expect(summarizeRevision(revision(1, NOTHING, attached(1)))).toBe('+ origin ei-fp-proxy-vendor, + behavior fpjs-abc/*, + 2 triggers → fp-proxy-proxy:1');
  });

  it('an upgrade: the version each trigger moved from and to', () => {
    expect(summarizeRevision(revision(2, attached(1), attached(3)))).toBe('2 triggers fp-proxy-proxy:1 → 3');
  });

  it('a detach: what went, behaviors before their origins', () => {
    expect(summarizeRevision(revision(3, attached(3), NOTHING, { kind: 'detach' }))).toBe('- 2 triggers (fp-proxy-proxy:3), - behavior fpjs-abc/*, - origin ei-fp-proxy-vendor');
  });

  it('several functions: one item per function version; a trigger moved to another function names both', () => {
    const before: OwnedParts = { ...NOTHING, associations: [trigger('*', 'viewer-request', fn('enf-a', 1)), trigger('/api/*', 'viewer-request', fn('enf-a', 1))] };
    const after: OwnedParts = {
      ...NOTHING,
      associations: [trigger('*', 'viewer-request', fn('enf-b', 4)), trigger('/api/*', 'viewer-request', fn('enf-a', 2)), trigger('*', 'origin-response', fn('enf-c', 1))],
    };
    expect(revisionChanges(revision(4, before, after))).toEqual(['+ 1 trigger → enf-c:1', '1 trigger enf-a:1 → enf-b:4', '1 trigger enf-a:1 → 2']);
  });

  it('a changed origin or behavior is an update; a behavior moved by another edit (its index only) is not', () => {
    const before = attached(1);
    const after: OwnedParts = { ...attached(1), origins: [origin('ei-fp-proxy-vendor', 'eu.fpcdn.io')], behaviors: [behavior('fpjs-abc/*', 5)] };
    expect(summarizeRevision(revision(5, before, after))).toBe('~ origin ei-fp-proxy-vendor');
    const viewer: OwnedParts = { ...attached(1), behaviors: [behavior('fpjs-abc/*', 2, { ViewerProtocolPolicy: 'https-only' })] };
    expect(summarizeRevision(revision(5, before, viewer))).toBe('~ behavior fpjs-abc/*');
  });

  it('a trigger whose only change is its body flag says so', () => {
    const after: OwnedParts = { ...attached(1), associations: [trigger('fpjs-abc/*', 'origin-request', fn('fp-proxy-proxy', 1), false), attached(1).associations[1]!] };
    expect(summarizeRevision(revision(6, attached(1), after))).toBe('~ 1 trigger include body off');
  });

  it('the secret: the keys written (names only), or a rollback moving it back; an unchanged version is not a change', () => {
    const secret = { name: 'edge-install/fp-proxy', region: 'us-east-1', versionBefore: 'v-old', versionId: 'v-new' };
    expect(summarizeRevision(revision(7, attached(1), attached(1), { kind: 'secret', secret: { ...secret, changedKeys: ['FPJS_PRE_SHARED_SECRET'] } }))).toBe('secret FPJS_PRE_SHARED_SECRET changed');
    expect(summarizeRevision(revision(7, attached(1), attached(1), { secret }))).toBe('secret edge-install/fp-proxy values changed');
    expect(summarizeRevision(revision(8, attached(1), attached(1), { kind: 'rollback', secret }))).toBe('secret edge-install/fp-proxy back to its earlier values');
    expect(summarizeRevision(revision(9, attached(1), attached(1), { secret: { ...secret, versionBefore: undefined } }))).toBe('no change to the owned parts');
  });

  it('replaced foreign triggers, a canary phase 1, a recovered write and an import say so', () => {
    const foreign = [{ pathPattern: '*', eventType: 'viewer-request', arn: fn('theirs', 7), includeBody: false }];
    expect(summarizeRevision(revision(1, NOTHING, { ...NOTHING, associations: [trigger('*', 'viewer-request', fn('enf-a', 1))] }, { replacedForeign: foreign }))).toBe('+ 1 trigger → enf-a:1, replaced 1 foreign trigger');
    expect(summarizeRevision(revision(1, NOTHING, { ...NOTHING, behaviors: [behavior('fpjs-abc/*', 2)] }, { canaryPhaseOne: true }))).toBe('canary phase 1 (new behaviors, no triggers yet): + behavior fpjs-abc/*');
    expect(summarizeRevision(revision(2, attached(1), attached(2), { recovered: true }))).toBe('2 triggers fp-proxy-proxy:1 → 2 (recorded later, from the journal)');
    expect(summarizeRevision(revision(1, NOTHING, attached(1), { kind: 'import', adopted: ['cache-policy:x', 'secret:y'] }))).toMatch(/^took over the manual install: \+ origin .*; adopted 2 resources$/);
  });

  it('maxItems names the first items and counts the rest', () => {
    const many: OwnedParts = { origins: ['a', 'b', 'c', 'd'].map((id) => origin(id)), behaviors: [], associations: [] };
    expect(summarizeRevision(revision(1, NOTHING, many), { maxItems: 2 })).toBe('+ origin a, + origin b, … and 2 more');
    expect(summarizeRevision(revision(1, NOTHING, many))).toBe('+ origin a, + origin b, + origin c, + origin d');
  });
});

describe('revisionDocument (revisions show)', () => {
  it('the changes from before to after in the plan vocabulary, created behaviors at their positions, no order', () => {
    const doc = revisionDocument(revision(1, NOTHING, attached(1), { by: 'arn:aws:iam::123456789012:user/alice' }));
    expect(doc.version).toBe(1);
    expect(doc.revision).toMatchObject({ id: `000001-${ID}`, seq: 1, kind: 'attach', by: 'arn:aws:iam::123456789012:user/alice', etagBefore: 'E1A', etagAfter: 'E1B' });
    const [d] = doc.distributions;
    expect(d!.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      'create origins.ei-fp-proxy-vendor',
      'create behaviors.fpjs-abc/*',
      'create behaviors.fpjs-abc/*.origin-request',
      'create behaviors.fpjs-abc/*.origin-response',
    ]);
    expect(d!.changes[1]!.position).toBe(2);
    expect(d!.order).toEqual([]);
    expect(doc.summary).toEqual({ create: 4, update: 0, delete: 0 });
  });

  it('a trigger that replaced a foreign one is an update of that slot naming the foreign function, as attach showed it', () => {
    const foreign = { pathPattern: '*', eventType: 'viewer-request', arn: fn('theirs', 7), includeBody: false };
    const changes = revisionChangeList(revision(1, NOTHING, { ...NOTHING, associations: [trigger('*', 'viewer-request', fn('enf-a', 1))] }, { replacedForeign: [foreign] }));
    expect(changes).toEqual([
      {
        action: 'update',
        address: { kind: 'association', pattern: '*', event: 'viewer-request' },
        before: { EventType: 'viewer-request', LambdaFunctionARN: fn('theirs', 7), IncludeBody: false },
        after: { EventType: 'viewer-request', LambdaFunctionARN: fn('enf-a', 1), IncludeBody: false },
        replacedForeign: fn('theirs', 7),
      },
    ]);
  });

  it("the secret's move is a resource change with version ids and key names, never a value", () => {
    const doc = revisionDocument(revision(2, attached(1), attached(1), { kind: 'secret', secret: { name: 's', region: 'us-east-1', versionBefore: 'v1', versionId: 'v2', changedKeys: ['K'] } }));
    expect(doc.resources).toEqual([expect.objectContaining({ action: 'update', kind: 'secret', before: { name: 's', region: 'us-east-1', AWSCURRENT: 'v1' }, after: { name: 's', region: 'us-east-1', AWSCURRENT: 'v2', keysToWrite: ['K'] } })]);
    expect(doc.distributions[0]!.changes).toEqual([]);
    expect(doc.distributions[0]!.notes).toContain('written over ETag E2A, leaving ETag E2B');
  });
});

describe('finding a revision by id', () => {
  const history = [revision(1, NOTHING, attached(1)), revision(2, attached(1), attached(2)), revision(3, attached(2), attached(1), { kind: 'rollback', distributionId: 'E2OTHER0EXAMPLE' })];

  it('by its whole id, its number, or its number with the distribution', () => {
    expect(findRevision(history, `000002-${ID}`)?.seq).toBe(2);
    expect(findRevision(history, '2')?.seq).toBe(2);
    expect(findRevision(history, '002')?.seq).toBe(2);
    expect(findRevision(history, `2-${ID}`)?.seq).toBe(2);
    expect(findRevision(history, `2-E2OTHER0EXAMPLE`)).toBeUndefined();
    expect(findRevision(history, '9')).toBeUndefined();
    expect(indexOfRevision(history, '3')).toBe(2);
  });

  it('an older revision named by a clock is found by its whole name', () => {
    const old = { ...revision(1, NOTHING, attached(1)), seq: undefined, revision: `20260101T120000000Z-${ID}` };
    expect(findRevision([old], `20260101T120000000Z-${ID}`)).toBe(old);
    expect(findRevision([old], '1')).toBeUndefined();
  });

  it('none: the nearest id, the latest ones and the command that lists them', () => {
    const typo = unknownRevisionMessage('--to 000002-E1DEMO0EXAMPL', '000002-E1DEMO0EXAMPL', history, 'fp-proxy', '/state');
    expect(typo).toContain(`no such revision of fp-proxy in /state. Did you mean 000002-${ID}?`);
    const nope = unknownRevisionMessage('--to nope', 'nope', history, 'fp-proxy', '/state');
    expect(nope).not.toContain('Did you mean');
    expect(nope).toContain('The latest: 000003-E2OTHER0EXAMPLE (rollback, 2026-12-02 16:03 UTC); 000002-E1DEMO0EXAMPLE (attach, 2026-12-02 16:02 UTC)');
    expect(nope).toContain('run `edge-install revisions`');
    expect(unknownRevisionMessage('revision e1', 'e1', [], 'fp-proxy', '/state')).toContain('there are no revisions of fp-proxy in /state');
  });
});
