/**
 * PURE: the pieces every text renderer of a plan shares — values shown safely on one line,
 * aligned fields, field-by-field diffs (the one diff, src/plan/values.ts), change symbols.
 * Strings read from AWS are escaped, so a control character in a foreign config cannot forge
 * a line or an escape sequence in the output.
 */
import { managedPolicyName } from '../../manifest/managed-policies.js';
import type { ChangeDocument } from '../../plan/document.js';
import { isUnknown } from '../../plan/unknown.js';
import type { FieldChange } from '../../plan/values.js';
import type { Colors, Style } from './colors.js';
import { unknownText } from './unknown.js';

export type Action = ChangeDocument['action'];
export type Obj = Record<string, unknown>;

const SYMBOL: Record<Action, string> = { create: '+', update: '~', delete: '-' };

/** Indents: section items, their details, and details of details. */
export const ITEM = '  ';
export const DETAIL = '      ';
export const SUB = '        ';

export const isObject = (value: unknown): value is Obj => !!value && typeof value === 'object' && !Array.isArray(value);
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
export const obj = (value: unknown): Obj => (isObject(value) ? value : {});
/** `{Quantity, Items}` → Items (absent or empty → []). */
export const items = (value: unknown): unknown[] => (isObject(value) && Array.isArray(value.Items) ? value.Items : []);
export const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

// Control characters, C1 controls, line/paragraph separators and bidi overrides.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escapeChar = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A string from the document, safe to print on one line. */
export const clean = (text: string): string => text.replace(UNSAFE, escapeChar);

/** Every string in a document made safe (messages get their own treatment). */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return clean(value) as T;
  if (Array.isArray(value)) return value.map(cleanDeep) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), cleanDeep(v)])) as T;
  return value;
}

/** A message may span lines; each line is made safe on its own. */
export const messageLines = (message: string): string[] => message.split(/\r?\n/).map(clean);

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `abcdefghijklmnop…` — enough of a digest to recognise it. */
export const shortDigest = (digest: string): string => (digest.length > 12 ? `${digest.slice(0, 12)}…` : digest);

export const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * The names of custom policies by id, for the plans that show ids CloudFront made (rollback,
 * detach: the integration's own cache policies, named `<integration>-<key>`): a reader knows a
 * policy by its name, not its id (issue 18). Managed policies are named without it.
 */
export type PolicyNames = Readonly<Record<string, string>>;

/** A policy id as the reader knows it: its name (managed, or from `names`) and the id; unknown until apply. */
export function policyLabel(id: unknown, names: PolicyNames = {}): string {
  if (isUnknown(id)) return unknownText(id);
  const text = str(id) ?? '(none)';
  const name = managedPolicyName(text) ?? (Object.hasOwn(names, text) ? names[text] : undefined);
  return name ? `${name} (${text})` : text;
}

const POLICY_ID_FIELDS = new Set(['CachePolicyId', 'OriginRequestPolicyId', 'ResponseHeadersPolicyId', 'RealtimeLogConfigArn']);

/** A value in a field diff: strings quoted, unknown values said so, lists in brackets, absent as (none). */
export function formatValue(value: unknown, field = '', names: PolicyNames = {}): string {
  if (value === undefined || value === null) return '(none)';
  if (isUnknown(value)) return unknownText(value);
  if (typeof value === 'string') {
    // Strings are already escaped (cleanDeep): quote them without escaping twice.
    const quoted = `"${value.replace(/"/g, '\\"')}"`;
    const name = POLICY_ID_FIELDS.has(field) ? (managedPolicyName(value) ?? (Object.hasOwn(names, value) ? names[value] : undefined)) : undefined;
    return name ? `${quoted} (${name})` : quoted;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v, '', names)).join(', ')}]`;
  if (isObject(value)) {
    const inner = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${formatValue(v, k, names)}`);
    return `{${inner.join(', ')}}`;
  }
  return String(value);
}

export class Out {
  readonly lines: string[] = [];

  constructor(
    readonly c: Colors,
    /** Custom policy names by id (policyLabel): diffs and behavior lines name them. */
    readonly policyNames: PolicyNames = {},
  ) {}

  line(text = ''): void {
    this.lines.push(text);
  }

  /** Aligned `label: value` lines. */
  fields(indent: string, pairs: [string, string | undefined][]): void {
    const shown = pairs.filter((p): p is [string, string] => p[1] !== undefined);
    const width = Math.max(0, ...shown.map(([label]) => label.length + 1));
    for (const [label, value] of shown) this.line(`${indent}${`${label}:`.padEnd(width)} ${value}`);
  }

  /** Field-level diff lines: `~ path: old → new`, `+ path: new` for additions, `- path: old`. */
  diff(indent: string, changes: FieldChange[]): void {
    const { c } = this;
    for (const change of changes) {
      const field = change.path.replace(/\[[^\]]*\]$/, '').split('.').pop() ?? '';
      const shown = (value: unknown) => formatValue(value, field, this.policyNames);
      if (change.before === undefined) this.line(`${indent}${c.green('+')} ${change.path}: ${shown(change.after)}`);
      else if (change.after === undefined) this.line(`${indent}${c.red('-')} ${change.path}: ${shown(change.before)}`);
      else this.line(`${indent}${c.yellow('~')} ${change.path}: ${shown(change.before)} → ${shown(change.after)}`);
    }
  }

  /** Messages (warnings, conflicts, notes), each on its own line(s), escaped line by line. */
  messages(indent: string, mark: string, messages: readonly string[]): void {
    for (const message of messages) {
      const [first = '', ...more] = messageLines(message);
      this.line(`${indent}${mark} ${first}`);
      for (const line of more) this.line(`${indent}  ${line}`);
    }
  }

  text(): string {
    // No trailing spaces, even where a style closes the line.
    // eslint-disable-next-line no-control-regex
    return `${this.lines.map((l) => l.replace(/[ \t]+((?:\u001b\[[0-9;]*m)*)$/, '$1')).join('\n')}\n`;
  }
}

export function symbol(action: Action, c: Colors): string {
  const style: Record<Action, Style> = { create: c.green, update: c.yellow, delete: c.red };
  return style[action](SYMBOL[action] ?? '?');
}

/** The side of a change that describes the thing: after, or before for a delete. */
export const subject = (change: ChangeDocument): Obj => obj(change.action === 'delete' ? (change.before ?? change.after) : (change.after ?? change.before));
