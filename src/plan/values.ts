/**
 * PURE: the one notion of "equal" for the values edge-install compares — CloudFront config
 * parts, cache policy configs, IAM policy documents — and the field-level differences between
 * two of them. The planner decides "update or not" with `sameValue`; the renderer lists the
 * changed fields with `diffFields`; both normalise the same way, so a change whose fields all
 * normalise away cannot exist (sameValue(a, b) ⟺ diffFields(a, b) is empty).
 *
 * Normalised as CloudFront (and IAM) mean the values:
 * - undefined and null members are absent; so are empty objects and empty lists;
 * - `{Quantity, Items}` lists: `Quantity` says nothing `Items` does not, and a list with
 *   no items is the same as no list (`{Quantity: 0}`, `{Quantity: 0, Items: []}`, absent);
 * - AllowedMethods / CachedMethods are sets; member order of objects never matters;
 * - values not known until apply (unknown.ts) equal nothing known;
 * - a member CloudFront fills with its default when a config leaves it out (DEFAULTS_OF_ABSENT)
 *   is absent when it has that default: a behavior written without it reads back with it.
 */
import { isUnknown } from './unknown.js';

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => !!value && typeof value === 'object' && !Array.isArray(value);

/** Lists CloudFront treats as sets. */
const UNORDERED = new Set(['AllowedMethods', 'CachedMethods']);

/** Members that name an item of a CloudFront list (how list items are matched in a diff). */
const IDENTITY = ['Id', 'HeaderName', 'EventType', 'PathPattern', 'FunctionARN', 'ErrorCode'];

/**
 * Members CloudFront adds to a config that left them out, with the value that means "as if
 * absent" — members newer than the configs edge-install writes and records (AWS CLI example
 * create-distribution.rst: a behavior sent without GrpcConfig is stored with `{Enabled: false}`).
 */
const DEFAULTS_OF_ABSENT: Record<string, string> = {
  GrpcConfig: '{"Enabled":false}',
};

/** The value as CloudFront means it (see the module comment); undefined when it is absent. */
export function normalizeValue(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return undefined;
  if (isUnknown(value)) return value;
  if (Array.isArray(value)) {
    if (!value.length) return undefined;
    const items = value.map((v) => normalizeValue(v));
    return UNORDERED.has(key) && items.every((v) => typeof v !== 'object') ? [...items].sort() : items;
  }
  if (isObject(value)) {
    const quantity = typeof value.Quantity === 'number';
    const empty = quantity && (value.Items === undefined || (Array.isArray(value.Items) && value.Items.length === 0));
    const out: Obj = {};
    for (const k of Object.keys(value).sort()) {
      if (quantity && (k === 'Quantity' || (empty && k === 'Items'))) continue;
      // Items of a method list are compared as a set: pass the list's own name down.
      const n = normalizeValue(value[k], k === 'Items' ? key : k);
      if (n !== undefined && !(Object.hasOwn(DEFAULTS_OF_ABSENT, k) && stable(n) === DEFAULTS_OF_ABSENT[k])) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

/** A normalised value as text, member order fixed: equal texts, equal values. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Equal as CloudFront (and IAM) mean it. */
export function sameValue(a: unknown, b: unknown): boolean {
  return stable(normalizeValue(a)) === stable(normalizeValue(b));
}

export interface FieldChange {
  /** Dotted path; list items by their identity, e.g. `CustomHeaders[X-Secret].HeaderValue`. */
  path: string;
  before: unknown;
  after: unknown;
}

/** The member that names each item of both lists (unique within each), if there is one. */
function identityOf(...lists: unknown[][]): string | undefined {
  const all = lists.flat();
  if (!all.length || !all.every(isObject)) return undefined;
  return IDENTITY.find((field) =>
    lists.every((list) => {
      const ids = list.map((item) => (item as Obj)[field]);
      return ids.every((id) => typeof id === 'string' || typeof id === 'number') && new Set(ids).size === ids.length;
    }),
  );
}

function diffInto(out: FieldChange[], a: unknown, b: unknown, path: string): void {
  if (stable(a) === stable(b)) return;
  const join = (key: string) => (key === 'Items' ? path : path ? `${path}.${key}` : key);
  const leaf = isUnknown(a) || isUnknown(b);
  // One side absent: compare with an empty value of the other's shape, so additions and
  // removals are listed field by field (a list item stays whole).
  const item = path.endsWith(']');
  if (!leaf && a === undefined && (Array.isArray(b) || (isObject(b) && !item))) return diffInto(out, Array.isArray(b) ? [] : {}, b, path);
  if (!leaf && b === undefined && (Array.isArray(a) || (isObject(a) && !item))) return diffInto(out, a, Array.isArray(a) ? [] : {}, path);
  if (!leaf && isObject(a) && isObject(b)) {
    const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !(k in b))];
    for (const key of keys) diffInto(out, a[key], b[key], join(key));
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const field = identityOf(a, b);
    if (field) {
      const byId = (list: unknown[]) => new Map(list.map((entry) => [String((entry as Obj)[field]), entry]));
      const before = byId(a);
      const after = byId(b);
      const ids = [...after.keys(), ...[...before.keys()].filter((k) => !after.has(k))];
      const count = out.length;
      for (const id of ids) diffInto(out, before.get(id), after.get(id), `${path}[${id}]`);
      // The same items in another order: that is a change too (CloudFront lists are ordered).
      if (out.length === count) out.push({ path: `${path || '(value)'} (order)`, before: [...before.keys()], after: [...after.keys()] });
      return;
    }
  }
  const absent = (v: unknown) => v === undefined || (Array.isArray(v) && !v.length) || (isObject(v) && !isUnknown(v) && !Object.keys(v).length);
  out.push({ path: path || '(value)', before: absent(a) ? undefined : a, after: absent(b) ? undefined : b });
}

/** The fields that differ between two values, as CloudFront compares them (empty: sameValue). */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  diffInto(out, normalizeValue(before), normalizeValue(after), '');
  return out;
}
