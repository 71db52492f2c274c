/**
 * PURE: the human diff of a plan, as `edge-install plan` and `attach` show it (terraform-plan
 * style). Input is the plan's JSON document (src/plan/plan.ts), so what a user reads and what
 * `--json` prints can never disagree. No I/O, no environment: the caller decides colour.
 *
 * The document never holds a secret value; this renderer only shows what the document says
 * (sensitive keys as "(sensitive)", custom headers by name in summaries) and never invents one.
 * Strings read from AWS are escaped, so a control character in a foreign config cannot forge
 * a line or an escape sequence in the output.
 */
import { managedPolicyName } from '../../manifest/managed-policies.js';
import type { PlanChangeDocument, PlanDocument } from '../../plan/plan.js';
import { colors, type Colors, type Style } from './colors.js';

export interface PlanTextOptions {
  /** Colour and bold/dim (ANSI). The caller decides (NO_COLOR, --no-color, TTY). */
  color: boolean;
}

type Action = PlanChangeDocument['action'];
type DistributionDocument = PlanDocument['distributions'][number];
type Obj = Record<string, unknown>;

const SYMBOL: Record<Action, string> = { create: '+', update: '~', delete: '-' };

/** Indents: section items, their details, and details of details. */
const ITEM = '  ';
const DETAIL = '      ';
const SUB = '        ';

// ---- small value helpers ------------------------------------------------------------------

const isObject = (value: unknown): value is Obj => !!value && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const obj = (value: unknown): Obj => (isObject(value) ? value : {});
/** `{Quantity, Items}` → Items (absent or empty → []). */
const items = (value: unknown): unknown[] => (isObject(value) && Array.isArray(value.Items) ? value.Items : []);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

/** A value this apply creates, not known until then (`…:(new version)`, `(new cache policy …)`). */
export const isPlaceholder = (value: string): boolean => value.includes('(new');

// Control characters, C1 controls, line/paragraph separators and bidi overrides.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escapeChar = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A string from the document, safe to print on one line. */
const clean = (text: string): string => text.replace(UNSAFE, escapeChar);

/** Every string in the document made safe (messages get their own treatment). */
function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return clean(value) as T;
  if (Array.isArray(value)) return value.map(cleanDeep) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), cleanDeep(v)])) as T;
  return value;
}

/** A message may span lines; each line is made safe on its own. */
const messageLines = (message: string): string[] => message.split(/\r?\n/).map(clean);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `abcdefghijklmnop…` — enough of a digest to recognise it. */
const shortDigest = (digest: string): string => (digest.length > 12 ? `${digest.slice(0, 12)}…` : digest);

const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** A policy id as the reader knows it: the managed policy's name, or the id, or the placeholder. */
function policyLabel(id: string): string {
  if (isPlaceholder(id)) return id;
  const name = managedPolicyName(id);
  return name ? `${name} (${id})` : id;
}

const POLICY_ID_FIELDS = new Set(['CachePolicyId', 'OriginRequestPolicyId', 'ResponseHeadersPolicyId', 'RealtimeLogConfigArn']);

/** A value in a field diff: strings quoted (placeholders bare), lists in brackets, absent as (none). */
export function formatValue(value: unknown, field = ''): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') {
    if (isPlaceholder(value)) return value;
    // Strings are already escaped (cleanDeep): quote them without escaping twice.
    const quoted = `"${value.replace(/"/g, '\\"')}"`;
    const name = POLICY_ID_FIELDS.has(field) ? managedPolicyName(value) : undefined;
    return name ? `${quoted} (${name})` : quoted;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v)).join(', ')}]`;
  if (isObject(value)) {
    const inner = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${formatValue(v, k)}`);
    return `{${inner.join(', ')}}`;
  }
  return String(value);
}

// ---- field diff ---------------------------------------------------------------------------

export interface FieldChange {
  /** Dotted path; list items by their identity, e.g. `CustomHeaders[X-Secret].HeaderValue`. */
  path: string;
  before: unknown;
  after: unknown;
}

/** Lists CloudFront treats as sets. */
const UNORDERED = new Set(['AllowedMethods', 'CachedMethods']);
/** Members that name an item of a CloudFront list. */
const IDENTITY = ['Id', 'HeaderName', 'EventType', 'PathPattern', 'FunctionARN', 'ErrorCode'];

/**
 * The value as CloudFront means it: undefined members dropped, `{Quantity: 0}` lists the same
 * as absent, `Quantity` beside `Items` dropped (it says nothing more), method lists sorted.
 */
function normalize(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const list = value.map((v) => normalize(v));
    return UNORDERED.has(key) && list.every((v) => typeof v !== 'object') ? [...list].sort() : list;
  }
  if (isObject(value)) {
    const listShaped = Object.keys(value).every((k) => k === 'Quantity' || k === 'Items');
    if (listShaped && (value.Quantity === 0 || (Array.isArray(value.Items) && value.Items.length === 0)) && items(value).length === 0) return undefined;
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Quantity' && Array.isArray(value.Items)) continue;
      const n = normalize(v, k === 'Items' ? key : k);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

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
  // One side absent: compare with an empty value of the other's shape, so additions and
  // removals are listed field by field (a list item stays whole).
  const item = path.endsWith(']');
  if (a === undefined && b !== undefined && (Array.isArray(b) || (isObject(b) && !item))) return diffInto(out, Array.isArray(b) ? [] : {}, b, path);
  if (b === undefined && a !== undefined && (Array.isArray(a) || (isObject(a) && !item))) return diffInto(out, a, Array.isArray(a) ? [] : {}, path);
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !(k in b))];
    for (const key of keys) diffInto(out, a[key], b[key], join(key));
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const field = identityOf(a, b);
    if (field) {
      const byId = (list: unknown[]) => new Map(list.map((item) => [String((item as Obj)[field]), item]));
      const before = byId(a);
      const after = byId(b);
      const ids = [...after.keys(), ...[...before.keys()].filter((k) => !after.has(k))];
      for (const key of ids) diffInto(out, before.get(key), after.get(key), `${path}[${key}]`);
      return;
    }
  }
  const absent = (v: unknown) => v === undefined || (Array.isArray(v) && !v.length) || (isObject(v) && !Object.keys(v).length);
  out.push({ path: path || '(value)', before: absent(a) ? undefined : a, after: absent(b) ? undefined : b });
}

/** The fields that differ between two CloudFront values, as CloudFront compares them. */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  diffInto(out, normalize(before), normalize(after), '');
  return out;
}

// ---- lambda ARNs --------------------------------------------------------------------------

const FUNCTION_ARN = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+):(.+)$/;

/** An ARN as shown: placeholders (a version this apply publishes) highlighted, nothing hidden. */
const arnText = (arn: string, c: Colors): string => (isPlaceholder(arn) ? c.cyan(arn) : arn);

function arnChange(before: string | undefined, after: string | undefined, c: Colors): string {
  if (!before || !after) return `${before ? arnText(before, c) : '(none)'} → ${after ? arnText(after, c) : '(none)'}`;
  const a = before.match(FUNCTION_ARN);
  const b = after.match(FUNCTION_ARN);
  if (a && b && a[1] === b[1]) {
    if (a[2] === b[2]) return arnText(after, c);
    const version = (q: string) => (isPlaceholder(q) ? c.cyan(q) : q);
    return `${a[1]}  version ${version(a[2]!)} → ${version(b[2]!)}`;
  }
  return `${arnText(before, c)} → ${arnText(after, c)}`;
}

// ---- output -------------------------------------------------------------------------------

class Out {
  readonly lines: string[] = [];

  constructor(readonly c: Colors) {}

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
      if (change.before === undefined) this.line(`${indent}${c.green('+')} ${change.path}: ${formatValue(change.after, field)}`);
      else if (change.after === undefined) this.line(`${indent}${c.red('-')} ${change.path}: ${formatValue(change.before, field)}`);
      else this.line(`${indent}${c.yellow('~')} ${change.path}: ${formatValue(change.before, field)} → ${formatValue(change.after, field)}`);
    }
  }

  text(): string {
    // No trailing spaces, even where a style closes the line.
    // eslint-disable-next-line no-control-regex
    return `${this.lines.map((l) => l.replace(/[ \t]+((?:\u001b\[[0-9;]*m)*)$/, '$1')).join('\n')}\n`;
  }
}

function symbol(action: Action, c: Colors): string {
  const style: Record<Action, Style> = { create: c.green, update: c.yellow, delete: c.red };
  return style[action](SYMBOL[action] ?? '?');
}

/** The side of a change that describes the thing: after, or before for a delete. */
const subject = (change: PlanChangeDocument): Obj => obj(change.action === 'delete' ? (change.before ?? change.after) : (change.after ?? change.before));

// ---- resources ----------------------------------------------------------------------------

function resourceName(change: PlanChangeDocument, value: Obj): string | undefined {
  switch (change.kind) {
    case 'version':
      return str(value.function);
    case 'cache-policy':
      return str(value.Name) ?? str(value.name);
    default:
      return str(value.name);
  }
}

function resourceHeader(change: PlanChangeDocument, value: Obj, c: Colors): string {
  const name = resourceName(change, value);
  const address = change.address === change.kind ? '' : ` ${change.address}`;
  const named = name && name !== change.address ? ` (${name})` : '';
  return `${ITEM}${symbol(change.action, c)} ${c.bold(`${change.kind}${address}`)}${named}`;
}

function renderSecret(out: Out, value: Obj): void {
  const keys = obj(value.keys);
  const replicas = strings(value.replicaRegions);
  const toWrite = strings(value.keysToWrite);
  const keyLines = Object.entries(keys).map(([key, v]) => {
    if (v === null || v === undefined) return key; // its value is not in the manifest: nothing to show
    return `${key}: ${v === '(sensitive)' ? v : formatValue(v)}`;
  });
  out.fields(DETAIL, [
    ['name', str(value.name)],
    ['region', str(value.region)],
    ['replicaRegions', replicas.length ? replicas.join(', ') : undefined],
    ['keysToWrite', Array.isArray(value.keysToWrite) ? (toWrite.length ? toWrite.join(', ') : '(none: the stored values already match)') : undefined],
    ['keys', keyLines.length ? '' : '(none)'],
  ]);
  for (const line of keyLines) out.line(`${SUB}${line}`);
}

function statementLines(out: Out, statement: Obj, indent: string): void {
  const actions = strings(statement.Action);
  const notActions = strings(statement.NotAction);
  const principal = isObject(statement.Principal) ? Object.values(statement.Principal).flatMap(strings) : strings(statement.Principal);
  const what = [str(statement.Effect) ?? 'Allow', actions.join(', '), notActions.length ? `all but ${notActions.join(', ')}` : ''].filter(Boolean).join(' ');
  const sid = str(statement.Sid);
  out.line(`${indent}${sid ? `${sid}: ` : ''}${what}${principal.length ? ` for ${principal.join(', ')}` : ''}`);
  for (const resource of strings(statement.Resource)) out.line(`${indent}  on ${resource}`);
  for (const resource of strings(statement.NotResource)) out.line(`${indent}  not on ${resource}`);
  if (statement.Condition !== undefined) out.line(`${indent}  when ${formatValue(statement.Condition)}`);
}

const isPolicyDocument = (value: unknown): value is { Statement: unknown[] } => isObject(value) && Array.isArray(value.Statement);

function renderRole(out: Out, value: Obj): void {
  out.fields(DETAIL, [['name', str(value.name)]]);
  const trust = value.trustPolicy;
  if (isPolicyDocument(trust)) {
    out.line(`${DETAIL}trust policy:`);
    for (const statement of trust.Statement) statementLines(out, obj(statement), SUB);
  }
  for (const [key, document] of Object.entries(value)) {
    if (key === 'trustPolicy' || key === 'name' || !isPolicyDocument(document)) continue;
    out.line(`${DETAIL}policy ${key}:`);
    for (const statement of document.Statement) statementLines(out, obj(statement), SUB);
  }
}

function renderFunction(out: Out, value: Obj): void {
  const size = num(value.codeSize);
  const memory = num(value.memorySize);
  const timeout = num(value.timeout);
  out.fields(DETAIL, [
    ['runtime', str(value.runtime)],
    ['memorySize', memory === undefined ? undefined : `${memory} MB`],
    ['timeout', timeout === undefined ? undefined : `${timeout} s`],
    ['handler', str(value.handler)],
    ['role', str(value.role)],
    ['description', value.description === undefined ? undefined : formatValue(value.description)],
    ['codeSize', size === undefined ? undefined : kilobytes(size)],
    ['codeSha256', str(value.codeSha256) && shortDigest(str(value.codeSha256)!)],
  ]);
}

function renderVersion(out: Out, value: Obj, action: Action): void {
  out.fields(DETAIL, [
    ['function', str(value.function)],
    ['codeSha256', str(value.codeSha256) && shortDigest(str(value.codeSha256)!)],
  ]);
  if (action === 'create') out.line(`${DETAIL}${out.c.dim('published by this apply; triggers refer to it as (new version)')}`);
}

function listedNames(config: Obj, behaviorField: string, listField: string): string {
  const behavior = str(config[behaviorField]) ?? 'none';
  const names = items(config[listField]).map((n) => String(n));
  if (behavior === 'whitelist') return names.length ? `only ${names.join(', ')}` : 'none';
  if (behavior === 'allExcept') return `all except ${names.join(', ')}`;
  return names.length ? `${behavior}: ${names.join(', ')}` : behavior;
}

function renderCachePolicy(out: Out, value: Obj): void {
  const params = obj(value.ParametersInCacheKeyAndForwardedToOrigin);
  const ttl = (label: string, v: unknown) => (num(v) === undefined ? undefined : `${label} ${num(v)} s`);
  const ttls = [ttl('min', value.MinTTL), ttl('default', value.DefaultTTL), ttl('max', value.MaxTTL)].filter(Boolean);
  const compression = [params.EnableAcceptEncodingGzip === true ? 'gzip' : '', params.EnableAcceptEncodingBrotli === true ? 'brotli' : ''].filter(Boolean);
  const has = (key: string) => isObject(params[key]);
  out.fields(DETAIL, [
    ['name', str(value.Name)],
    ['comment', value.Comment === undefined ? undefined : formatValue(value.Comment)],
    ['TTL', ttls.length ? ttls.join(', ') : undefined],
    ['headers', has('HeadersConfig') ? listedNames(obj(params.HeadersConfig), 'HeaderBehavior', 'Headers') : undefined],
    ['cookies', has('CookiesConfig') ? listedNames(obj(params.CookiesConfig), 'CookieBehavior', 'Cookies') : undefined],
    ['query strings', has('QueryStringsConfig') ? listedNames(obj(params.QueryStringsConfig), 'QueryStringBehavior', 'QueryStrings') : undefined],
    ['compression', 'EnableAcceptEncodingGzip' in params || 'EnableAcceptEncodingBrotli' in params ? compression.join(', ') || 'none' : undefined],
  ]);
}

/** A kind this renderer does not know: its fields, flattened, so nothing is hidden. */
function renderGeneric(out: Out, value: unknown): void {
  out.fields(
    DETAIL,
    diffFields(undefined, value).map((f) => [f.path, formatValue(f.after)]),
  );
}

function renderResource(out: Out, change: PlanChangeDocument): void {
  const value = subject(change);
  out.line(resourceHeader(change, value, out.c));
  for (const reason of change.reasons ?? []) out.line(`${DETAIL}${out.c.yellow('~')} ${clean(reason)}`);
  switch (change.kind) {
    case 'secret':
      return renderSecret(out, value);
    case 'role':
      return renderRole(out, value);
    case 'function':
      return renderFunction(out, value);
    case 'version':
      return renderVersion(out, value, change.action);
    case 'cache-policy':
      return renderCachePolicy(out, value);
    default:
      return renderGeneric(out, change.action === 'delete' ? change.before : change.after);
  }
}

// ---- distributions ------------------------------------------------------------------------

const SSL_ORDER = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** `fpcdn.io https-only TLSv1.2, headers A, B` */
export function originSummary(origin: Obj): string {
  const custom = obj(origin.CustomOriginConfig);
  const first = [`${str(origin.DomainName) ?? '(no domain)'}${str(origin.OriginPath) ?? ''}`];
  const rest: string[] = [];
  if (isObject(origin.CustomOriginConfig)) {
    if (str(custom.OriginProtocolPolicy)) first.push(str(custom.OriginProtocolPolicy)!);
    const protocols = items(custom.OriginSslProtocols)
      .map(String)
      .sort((a, b) => SSL_ORDER.indexOf(a) - SSL_ORDER.indexOf(b));
    if (protocols.length === 1) first.push(protocols[0]!);
    else if (protocols.length > 1) first.push(`${protocols[0]}+`);
    const http = num(custom.HTTPPort);
    const https = num(custom.HTTPSPort);
    if ((http !== undefined && http !== 80) || (https !== undefined && https !== 443)) rest.push(`ports ${http ?? 80}/${https ?? 443}`);
    const read = num(custom.OriginReadTimeout);
    if (read !== undefined && read !== 30) rest.push(`read timeout ${read} s`);
    const keepalive = num(custom.OriginKeepaliveTimeout);
    if (keepalive !== undefined && keepalive !== 5) rest.push(`keepalive ${keepalive} s`);
  } else if (isObject(origin.S3OriginConfig)) first.push('s3');
  if (str(origin.OriginAccessControlId)) rest.push(`origin access control ${str(origin.OriginAccessControlId)}`);
  const shield = obj(origin.OriginShield);
  if (shield.Enabled === true) rest.push(`origin shield ${str(shield.OriginShieldRegion) ?? ''}`.trimEnd());
  const headers = items(origin.CustomHeaders).map((h) => str(obj(h).HeaderName) ?? '?');
  if (headers.length) rest.push(`headers ${headers.join(', ')}`);
  return [first.join(' '), ...rest].join(', ');
}

const METHOD_ORDER = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'];
const byMethodOrder = (a: string, b: string) => (METHOD_ORDER.indexOf(a) + 1 || 99) - (METHOD_ORDER.indexOf(b) + 1 || 99);

/** `→ origin X, redirect-to-https, methods GET HEAD, cache policy CachingOptimized (…)` */
export function behaviorSummary(behavior: Obj): string {
  const parts = [`→ origin ${str(behavior.TargetOriginId) ?? '(none)'}`];
  if (str(behavior.ViewerProtocolPolicy)) parts.push(str(behavior.ViewerProtocolPolicy)!);
  const methods = items(behavior.AllowedMethods).map(String).sort(byMethodOrder);
  if (methods.length) parts.push(`methods ${methods.join(' ')}`);
  if (str(behavior.CachePolicyId)) parts.push(`cache policy ${policyLabel(str(behavior.CachePolicyId)!)}`);
  if (str(behavior.OriginRequestPolicyId)) parts.push(`origin request policy ${policyLabel(str(behavior.OriginRequestPolicyId)!)}`);
  if (str(behavior.ResponseHeadersPolicyId)) parts.push(`response headers policy ${policyLabel(str(behavior.ResponseHeadersPolicyId)!)}`);
  if (behavior.Compress === false) parts.push('compression off');
  const functions = items(behavior.FunctionAssociations).map((f) => `${str(obj(f).EventType)} ${str(obj(f).FunctionARN)}`);
  if (functions.length) parts.push(`CloudFront Functions ${functions.join(', ')}`);
  return parts.join(', ');
}

/** `behaviors.<pattern>.<event>` → [pattern, event]; patterns may hold dots, events do not. */
function associationTarget(change: PlanChangeDocument): [string, string] {
  const event = str(subject(change).EventType);
  const rest = change.address.startsWith('behaviors.') ? change.address.slice('behaviors.'.length) : change.address;
  const dot = rest.lastIndexOf('.');
  if (dot < 0) return [rest, event ?? '?'];
  return [rest.slice(0, dot), event ?? rest.slice(dot + 1)];
}

const addressTail = (address: string, prefix: string) => (address.startsWith(prefix) ? address.slice(prefix.length) : address);

function renderOrigin(out: Out, change: PlanChangeDocument): void {
  const { c } = out;
  const value = subject(change);
  const id = str(value.Id) ?? addressTail(change.address, 'origins.');
  const head = `${ITEM}${ITEM}${symbol(change.action, c)} origin ${c.bold(id)}`;
  if (change.action === 'update') {
    out.line(head);
    out.diff(SUB, diffFields(change.before, change.after));
  } else out.line(`${head}  ${originSummary(value)}`);
}

function renderBehavior(out: Out, change: PlanChangeDocument): void {
  const { c } = out;
  const value = subject(change);
  const pattern = str(value.PathPattern) ?? addressTail(change.address, 'behaviors.');
  const position = change.position === undefined ? '' : ` at position ${change.position}`;
  const head = `${ITEM}${ITEM}${symbol(change.action, c)} behavior ${c.bold(pattern)}`;
  if (change.action === 'update') {
    out.line(`${head}${position}`);
    out.diff(SUB, diffFields(change.before, change.after));
  } else out.line(`${head}${change.action === 'create' ? position : ''} ${behaviorSummary(value)}`);
}

function renderAssociation(out: Out, change: PlanChangeDocument): void {
  const { c } = out;
  const [pattern, event] = associationTarget(change);
  const before = obj(change.before);
  const after = obj(change.after);
  const head = `${ITEM}${ITEM}${symbol(change.action, c)} trigger ${c.bold(pattern)} ${event}`;
  const body = (a: Obj) => (a.IncludeBody === true ? ' (include body)' : '');
  if (change.action === 'create') out.line(`${head} → ${arnText(str(after.LambdaFunctionARN) ?? '(none)', c)}${body(after)}`);
  else if (change.action === 'delete') out.line(`${head}  ${arnText(str(before.LambdaFunctionARN) ?? '(none)', c)}${body(before)}`);
  else {
    out.line(`${head}  ${arnChange(str(before.LambdaFunctionARN), str(after.LambdaFunctionARN), c)}${body(after)}`);
    if ((before.IncludeBody === true) !== (after.IncludeBody === true)) {
      out.line(`${SUB}${c.yellow('~')} include body: ${before.IncludeBody === true} → ${after.IncludeBody === true}`);
    }
  }
  if (change.replacedForeign) {
    out.line(`${SUB}${c.yellow('!')} replaces foreign function ${change.replacedForeign} (recorded in the revision; rollback or detach put it back)`);
  }
}

const bare = (pattern: string) => pattern.replace(/^\//, '');

function renderOrder(out: Out, distribution: DistributionDocument): void {
  const { c } = out;
  const marks = new Map<string, string>();
  for (const change of distribution.changes) {
    if (change.kind !== 'behavior') continue;
    const pattern = str(subject(change).PathPattern) ?? addressTail(change.address, 'behaviors.');
    if (change.action === 'create') marks.set(bare(pattern), '(new)');
    else if (change.action === 'update' && !marks.has(bare(pattern))) marks.set(bare(pattern), '(changed)');
  }
  const order = distribution.order.map(clean).filter((p) => p !== '*' && p !== 'default');
  const indexWidth = String(Math.max(0, order.length - 1)).length;
  const patternWidth = Math.max(0, ...order.map((p) => p.length));
  out.line(`${ITEM}${c.bold('Behavior order')} ${c.dim('(CloudFront routes a request to the first match)')}`);
  order.forEach((pattern, index) => {
    const mark = marks.get(bare(pattern));
    const text = `${String(index).padStart(indexWidth)} ${mark ? `${pattern.padEnd(patternWidth)}   ${mark}` : pattern}`;
    out.line(`${ITEM}${ITEM}${mark === '(new)' ? c.green(text) : mark ? c.yellow(text) : c.dim(text)}`);
  });
  out.line(`${ITEM}${ITEM}${c.dim(`${'*'.padStart(indexWidth)} default`)}`);
}

function renderMessages(out: Out, indent: string, mark: string, messages: string[]): void {
  for (const message of messages) {
    const [first = '', ...more] = messageLines(message);
    out.line(`${indent}${mark} ${first}`);
    for (const line of more) out.line(`${indent}  ${line}`);
  }
}

function renderDistribution(out: Out, distribution: DistributionDocument): void {
  const { c } = out;
  const facts = [`etag ${distribution.etag}`, ...(distribution.status ? [distribution.status] : [])].join(', ');
  out.line(`${c.bold(`Distribution ${distribution.id}`)} ${c.dim(`(${facts})`)}`);
  const groups: [string, PlanChangeDocument['kind'], (out: Out, change: PlanChangeDocument) => void][] = [
    ['Origins', 'origin', renderOrigin],
    ['Behaviors', 'behavior', renderBehavior],
    ['Triggers', 'association', renderAssociation],
  ];
  const known = new Set(groups.map(([, kind]) => kind));
  for (const [title, kind, render] of groups) {
    const changes = distribution.changes.filter((change) => change.kind === kind);
    if (!changes.length) continue;
    out.line(`${ITEM}${c.bold(title)}`);
    for (const change of changes) render(out, change);
  }
  const other = distribution.changes.filter((change) => !known.has(change.kind));
  if (other.length) {
    out.line(`${ITEM}${c.bold('Other')}`);
    for (const change of other) {
      out.line(`${ITEM}${ITEM}${symbol(change.action, c)} ${change.kind} ${c.bold(change.address)}`);
      out.diff(SUB, diffFields(change.before, change.after));
    }
  }
  if (!distribution.changes.length) out.line(`${ITEM}${c.dim('no changes')}`);
  if (distribution.changes.some((change) => change.kind === 'behavior')) renderOrder(out, distribution);
  renderMessages(out, ITEM, c.yellow('!'), distribution.warnings);
  renderMessages(out, ITEM, c.red('✗ conflict:'), distribution.conflicts);
  renderMessages(out, ITEM, c.red('✗ error:'), distribution.errors);
}

// ---- the whole plan -----------------------------------------------------------------------

/**
 * The plan as text, one line per change and its details, ending with a newline. Without
 * colour the text contains no escape sequences at all.
 */
export function renderPlanText(document: PlanDocument, options: PlanTextOptions): string {
  const c = colors(options.color);
  const out = new Out(c);
  // Messages keep their line breaks (renderMessages escapes each line); everything else is
  // escaped onto one line.
  const doc: PlanDocument = {
    ...cleanDeep(document),
    distributions: document.distributions.map((d) => ({ ...cleanDeep(d), warnings: d.warnings, conflicts: d.conflicts, errors: d.errors })),
  };

  const { create, update, delete: remove } = doc.summary;
  const total = create + update + remove;
  const conflicts = doc.distributions.reduce((n, d) => n + d.conflicts.length, 0);
  const errors = doc.distributions.reduce((n, d) => n + d.errors.length, 0);

  out.line(c.bold(`Integration ${doc.integration}`));
  if (total > 0) out.line(c.dim(`Symbols: ${c.green('+')} create  ${c.yellow('~')} update  ${c.red('-')} delete`));

  if (doc.resources.length) {
    out.line();
    out.line(c.bold('Resources'));
    for (const change of doc.resources) renderResource(out, change);
  }
  for (const distribution of doc.distributions) {
    out.line();
    renderDistribution(out, distribution);
  }

  out.line();
  if (total === 0 && conflicts === 0 && errors === 0) out.line(c.green('No changes. The infrastructure matches the manifest.'));
  else out.line(c.bold(`Plan: ${create} to create, ${update} to update, ${remove} to delete.`));
  if (conflicts || errors) {
    const problems = [conflicts ? plural(conflicts, 'conflict') : '', errors ? plural(errors, 'error') : ''].filter(Boolean).join(' and ');
    out.line(c.red(`✗ Nothing will be written: resolve the ${problems} above, then plan again.`));
  }
  return out.text();
}
