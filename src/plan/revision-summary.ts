/**
 * PURE: what one revision changed, in one line — the last column of `edge-install revisions`:
 * `+ origin ei-fp-proxy-vendor, + behavior fpjs-abc/*, + 2 triggers → fp-proxy-proxy:1`,
 * `2 triggers fp-proxy-proxy:1 → 2`, `secret edge-install/fp-proxy: FPJS_PRE_SHARED_SECRET changed`.
 *
 * Read from the record alone (its owned parts before and after, its secret versions), so it
 * works without AWS and for every kind of revision, old ones included. Origins and behaviors
 * are named (there are few, and their names say what they are); triggers are counted per
 * function version, since one function usually runs on several behaviors and events.
 */
import { functionNameOfArn } from './cloudfront-values.js';
import type { OwnedAssociation, OwnedBehavior, OwnedParts } from './owned-parts.js';
import type { Revision } from './revision.js';
import { sameValue } from './values.js';

/** What the summary reads of a revision. */
export type SummarizedRevision = Pick<Revision, 'ownedBefore' | 'ownedAfter'> & Partial<Pick<Revision, 'kind' | 'secret' | 'replacedForeign' | 'canaryPhaseOne' | 'recovered' | 'adopted'>>;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `arn:…:function:fp-proxy-proxy:3` → name `fp-proxy-proxy`, version `3`. */
function versionOf(arn: string): { name: string; version: string } {
  return { name: functionNameOfArn(arn) ?? arn, version: arn.split(':').at(-1) ?? '' };
}

/** Added, removed and changed items of two keyed lists. */
function compare<T>(before: readonly T[], after: readonly T[], key: (t: T) => string, same: (a: T, b: T) => boolean) {
  const b = new Map(before.map((x) => [key(x), x]));
  const a = new Map(after.map((x) => [key(x), x]));
  return {
    added: [...a.entries()].filter(([k]) => !b.has(k)),
    removed: [...b.entries()].filter(([k]) => !a.has(k)),
    changed: [...a.entries()].filter(([k, v]) => b.has(k) && !same(b.get(k)!, v)).map(([k, v]) => [k, b.get(k)!, v] as const),
  };
}

/** Counts per label, in the order first seen: `+ 2 triggers → f:3`. */
function grouped(labels: string[], text: (label: string, count: number) => string): string[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts.entries()].map(([label, count]) => text(label, count));
}

function triggerItems(before: readonly OwnedAssociation[], after: readonly OwnedAssociation[]): string[] {
  const { added, removed, changed } = compare(before, after, (a) => `${a.pathPattern} ${a.eventType}`, (x, y) => x.arn === y.arn && x.includeBody === y.includeBody);
  const label = (arn: string) => {
    const v = versionOf(arn);
    return `${v.name}:${v.version}`;
  };
  const moved = changed.filter(([, b, a]) => b.arn !== a.arn);
  const bodyOnly = changed.filter(([, b, a]) => b.arn === a.arn);
  const movedLabel = (b: OwnedAssociation, a: OwnedAssociation) => {
    const from = versionOf(b.arn);
    const to = versionOf(a.arn);
    return from.name === to.name ? `${to.name}:${from.version} → ${to.version}` : `${label(b.arn)} → ${label(a.arn)}`;
  };
  return [
    ...grouped(added.map(([, a]) => label(a.arn)), (l, n) => `+ ${plural(n, 'trigger')} → ${l}`),
    ...grouped(moved.map(([, b, a]) => movedLabel(b, a)), (l, n) => `${plural(n, 'trigger')} ${l}`),
    ...grouped(bodyOnly.map(([, , a]) => (a.includeBody ? 'on' : 'off')), (l, n) => `~ ${plural(n, 'trigger')} include body ${l}`),
    ...grouped(removed.map(([, b]) => label(b.arn)), (l, n) => `- ${plural(n, 'trigger')} (${l})`),
  ];
}

/** Created behaviors are compared without their index: a behavior moved by someone else's edit is not this change. */
const createdOnes = (parts: OwnedParts) => parts.behaviors.filter((b) => b.created).map(({ index: _index, ...rest }) => rest as Omit<OwnedBehavior, 'index'>);

function secretItem(r: SummarizedRevision): string | undefined {
  const s = r.secret;
  if (!s?.versionId || !s.versionBefore || s.versionId === s.versionBefore) return undefined;
  if (r.kind === 'rollback') return `secret ${s.name} back to its earlier values`;
  return s.changedKeys?.length ? `secret ${s.changedKeys.join(', ')} changed` : `secret ${s.name} values changed`;
}

/** Each thing the revision changed, in words (empty when it changed nothing owned and no secret). */
export function revisionChanges(r: SummarizedRevision): string[] {
  const origins = compare(r.ownedBefore.origins, r.ownedAfter.origins, (o) => o.Id ?? '', sameValue);
  const behaviors = compare(createdOnes(r.ownedBefore), createdOnes(r.ownedAfter), (b) => b.pathPattern, sameValue);
  const items = [
    ...origins.added.map(([id]) => `+ origin ${id}`),
    ...behaviors.added.map(([p]) => `+ behavior ${p}`),
    ...origins.changed.map(([id]) => `~ origin ${id}`),
    ...behaviors.changed.map(([p]) => `~ behavior ${p}`),
    ...triggerItems(r.ownedBefore.associations, r.ownedAfter.associations),
    ...(r.replacedForeign?.length ? [`replaced ${plural(r.replacedForeign.length, 'foreign trigger')}`] : []),
    ...behaviors.removed.map(([p]) => `- behavior ${p}`),
    ...origins.removed.map(([id]) => `- origin ${id}`),
  ];
  const secret = secretItem(r);
  if (secret) items.push(secret);
  return items;
}

export interface SummaryOptions {
  /** At most this many items, then `… and N more` (the table); all of them when absent (--json). */
  maxItems?: number;
}

/** The revision's changes in one line, with what kind of change it was where the items alone would not say. */
export function summarizeRevision(r: SummarizedRevision, options: SummaryOptions = {}): string {
  const items = revisionChanges(r);
  const max = options.maxItems ?? items.length;
  const shown = items.length > max ? [...items.slice(0, max), `… and ${items.length - max} more`] : items;
  let text = shown.length ? shown.join(', ') : 'no change to the owned parts';
  if (r.kind === 'import') text = `took over the manual install: ${text}${r.adopted?.length ? `; adopted ${plural(r.adopted.length, 'resource')}` : ''}`;
  if (r.canaryPhaseOne) text = `canary phase 1 (new behaviors, no triggers yet): ${text}`;
  if (r.recovered) text += ' (recorded later, from the journal)';
  return text;
}
