/**
 * PURE: one distribution's part of a plan as text — origins, behaviors and triggers changed,
 * the behavior order (CloudFront routes to the first match), notes, warnings and conflicts.
 */
import { parseAddress, type Address } from '../../plan/addresses.js';
import type { ChangeDocument, DistributionDocument } from '../../plan/document.js';
import { isUnknown } from '../../plan/unknown.js';
import { diffFields } from '../../plan/values.js';
import type { Colors } from './colors.js';
import { clean, isObject, ITEM, items, num, obj, type Obj, Out, policyLabel, type PolicyNames, str, SUB, subject, symbol } from './text.js';
import { unknownText } from './unknown.js';

const FUNCTION_ARN = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+):(.+)$/;

/** An ARN as shown: one not known until apply (a version this apply publishes) highlighted, nothing hidden. */
function arnText(arn: unknown, c: Colors): string {
  if (isUnknown(arn)) return c.cyan(unknownText(arn));
  return str(arn) ?? '(none)';
}

/** `arn…:function:NAME` and the version part: known, or new (published by this apply). */
function splitArn(arn: unknown): { fn: string; version: string; unknown: boolean } | undefined {
  if (isUnknown(arn)) return arn.$unknown === 'version' ? { fn: arn.functionArn, version: '(new version)', unknown: true } : undefined;
  const m = str(arn)?.match(FUNCTION_ARN);
  return m ? { fn: m[1]!, version: m[2]!, unknown: false } : undefined;
}

function arnChange(before: unknown, after: unknown, c: Colors): string {
  if (before === undefined || after === undefined) return `${arnText(before, c)} → ${arnText(after, c)}`;
  const a = splitArn(before);
  const b = splitArn(after);
  if (a && b && a.fn === b.fn) {
    if (a.version === b.version && a.unknown === b.unknown) return arnText(after, c);
    const version = (v: { version: string; unknown: boolean }) => (v.unknown ? c.cyan(v.version) : v.version);
    return `${a.fn}  version ${version(a)} → ${version(b)}`;
  }
  return `${arnText(before, c)} → ${arnText(after, c)}`;
}

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
export function behaviorSummary(behavior: Obj, names: PolicyNames = {}): string {
  const parts = [`→ origin ${str(behavior.TargetOriginId) ?? '(none)'}`];
  if (str(behavior.ViewerProtocolPolicy)) parts.push(str(behavior.ViewerProtocolPolicy)!);
  const methods = items(behavior.AllowedMethods).map(String).sort(byMethodOrder);
  if (methods.length) parts.push(`methods ${methods.join(' ')}`);
  const policy = (value: unknown) => (str(value) || isUnknown(value) ? policyLabel(value, names) : undefined);
  for (const [label, field] of [['cache policy', 'CachePolicyId'], ['origin request policy', 'OriginRequestPolicyId'], ['response headers policy', 'ResponseHeadersPolicyId']] as const) {
    const shown = policy(behavior[field]);
    if (shown) parts.push(`${label} ${shown}`);
  }
  if (behavior.Compress === false) parts.push('compression off');
  const functions = items(behavior.FunctionAssociations).map((f) => `${str(obj(f).EventType)} ${str(obj(f).FunctionARN)}`);
  if (functions.length) parts.push(`CloudFront Functions ${functions.join(', ')}`);
  return parts.join(', ');
}

/** The address of a change, read back by the one parser (src/plan/addresses.ts). */
function addressOf(change: ChangeDocument): Address | undefined {
  try {
    return parseAddress(change.kind, change.address);
  } catch {
    return undefined;
  }
}

function renderOrigin(out: Out, change: ChangeDocument): void {
  const { c } = out;
  const value = subject(change);
  const address = addressOf(change);
  const id = str(value.Id) ?? (address?.kind === 'origin' ? address.id : change.address);
  const head = `${ITEM}${ITEM}${symbol(change.action, c)} origin ${c.bold(id)}`;
  if (change.action === 'update') {
    out.line(head);
    out.diff(SUB, diffFields(change.before, change.after));
  } else out.line(`${head}  ${originSummary(value)}`);
}

function renderBehavior(out: Out, change: ChangeDocument): void {
  const { c } = out;
  const value = subject(change);
  const address = addressOf(change);
  const pattern = str(value.PathPattern) ?? (address?.kind === 'behavior' ? address.pattern : change.address);
  const position = change.position === undefined ? '' : ` at position ${change.position}`;
  const head = `${ITEM}${ITEM}${symbol(change.action, c)} behavior ${c.bold(pattern)}`;
  if (change.action === 'update') {
    out.line(`${head}${position}`);
    out.diff(SUB, diffFields(change.before, change.after));
  } else out.line(`${head}${change.action === 'create' ? position : ''} ${behaviorSummary(value, out.policyNames)}`);
}

function renderAssociation(out: Out, change: ChangeDocument): void {
  const { c } = out;
  const address = addressOf(change);
  const [pattern, event] = address?.kind === 'association' ? [address.pattern, address.event] : [change.address, '?'];
  const before = obj(change.before);
  const after = obj(change.after);
  const head = `${ITEM}${ITEM}${symbol(change.action, c)} trigger ${c.bold(pattern)} ${event}`;
  const body = (a: Obj) => (a.IncludeBody === true ? ' (include body)' : '');
  if (change.action === 'create') out.line(`${head} → ${arnText(after.LambdaFunctionARN, c)}${body(after)}`);
  else if (change.action === 'delete') out.line(`${head}  ${arnText(before.LambdaFunctionARN, c)}${body(before)}`);
  else {
    out.line(`${head}  ${arnChange(before.LambdaFunctionARN, after.LambdaFunctionARN, c)}${body(after)}`);
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
    const address = addressOf(change);
    const pattern = str(subject(change).PathPattern) ?? (address?.kind === 'behavior' ? address.pattern : change.address);
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

export function renderDistribution(out: Out, distribution: DistributionDocument): void {
  const { c } = out;
  const facts = [`etag ${distribution.etag}`, ...(distribution.status ? [distribution.status] : [])].join(', ');
  out.line(`${c.bold(`Distribution ${distribution.id}`)} ${c.dim(`(${facts})`)}`);
  // What the command says about this distribution first (rollback: which state it restores).
  out.messages(ITEM, c.dim('·'), distribution.notes ?? []);
  const groups: [string, ChangeDocument['kind'], (out: Out, change: ChangeDocument) => void][] = [
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
  // No order, no block: a document that cannot know the whole order (a revision records only the owned parts) gives none.
  if (distribution.order.length && distribution.changes.some((change) => change.kind === 'behavior')) renderOrder(out, distribution);
  out.messages(ITEM, c.yellow('!'), distribution.warnings);
  out.messages(ITEM, c.red('✗ conflict:'), distribution.conflicts);
  out.messages(ITEM, c.red('✗ error:'), distribution.errors);
}

