/**
 * PURE: a resource change (secret, role, function, version, cache policy) as text — its
 * header and the details a reviewer needs; a secret's keys by name, sensitive values as
 * "(sensitive)", never a value the document does not hold.
 */
import type { ChangeDocument } from '../../plan/document.js';
import { diffFields } from '../../plan/values.js';
import type { Colors } from './colors.js';
import { clean, DETAIL, formatValue, isObject, items, kilobytes, num, obj, type Obj, type Action, Out, shortDigest, str, strings, SUB, subject, symbol, ITEM } from './text.js';

function resourceName(change: ChangeDocument, value: Obj): string | undefined {
  switch (change.kind) {
    case 'version':
      return str(value.function);
    case 'cache-policy':
      return str(value.Name) ?? str(value.name);
    default:
      return str(value.name);
  }
}

function resourceHeader(change: ChangeDocument, value: Obj, c: Colors): string {
  // A published version (gc): by function and number, as Lambda names it.
  if (change.kind === 'version' && value.version !== undefined) return `${ITEM}${symbol(change.action, c)} ${c.bold(`version ${str(value.function) ?? '?'}:${String(value.version)}`)}`;
  const name = resourceName(change, value);
  const address = change.address === change.kind ? '' : ` ${change.address}`;
  const named = name && name !== change.address && !change.address.endsWith(`.${name}`) ? ` (${name})` : '';
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

export function renderResource(out: Out, change: ChangeDocument): void {
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

