/**
 * The CloudFront Functions event, built from the edge model, and what a function returns,
 * read back into the model with the runtime's rules.
 *
 * Shapes: CloudFront Developer Guide, "CloudFront Functions event structure"
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html):
 * `{version: '1.0', context: {distributionDomainName, distributionId, eventType, requestId},
 * viewer: {ip}, request: {method, uri, querystring, headers, cookies}, response?: {statusCode,
 * statusDescription, headers, cookies}}`. Query strings, headers and cookies are objects keyed
 * by name (header names in lower case) whose fields are `{value}`, with `multiValue: [{value}, …]`
 * when the name appears more than once; the first value is repeated in `value`. Response
 * cookies carry their `Set-Cookie` attributes in `attributes`. `Cookie` and `Set-Cookie` are
 * not in `headers`: they are `cookies`.
 *
 * Reading a result back ("Duplicate query strings, headers, and cookies" in the same page):
 * when a field's `multiValue` was modified it wins and `value` is ignored; otherwise a modified
 * `value` replaces the first value and the other values stay. A section the function did not
 * touch keeps its wire form exactly (order, case, encoding); a header the function adds is
 * written with each word capitalised (`example-header-name` → `Example-Header-Name`).
 *
 * Rules CloudFront applies to what a function returns (a violation is a validation error,
 * answered 502 — "Restrictions on all edge functions", HTTP headers:
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-function-restrictions-all.html):
 * - `method` is the request's only read-only field; a new `uri` must begin with '/';
 * - header names a function adds must be lower case;
 * - what the function returns must be sendable: header and cookie values and the status
 *   description only with the characters an HTTP header carries (tab, space, visible ASCII,
 *   0x80–0xFF — Node's rule), a new `uri` only with visible ASCII (URL-encoded otherwise);
 * - disallowed headers (Connection, Keep-Alive, Proxy-*, X-Amz-Cf-*, X-Edge-*, …) are not shown
 *   to the function and it cannot add them; read-only headers (viewer request: Content-Length,
 *   Host, Transfer-Encoding, Via; viewer response: Content-Encoding, Content-Length,
 *   Transfer-Encoding, Warning, Via) cannot be added, changed or removed;
 * - the viewer-response status may be changed ("Your function can generate or modify the
 *   statusCode" — event structure page; an older "Restrictions on edge functions" page said the
 *   opposite, before CloudFront Functions could change viewer responses);
 * - a body exists only in a response the function returns: `body: 'text'` or
 *   `{data, encoding: 'text' | 'base64'}`; invalid base64 is an error; a viewer-response
 *   function that sets no body keeps the origin's. CloudFront Functions cannot read or change a
 *   request body ("Restrictions on CloudFront Functions", Request body).
 */
import { STATUS_CODES } from 'node:http';
import { parseCookies, parseQuery, queryPart } from '../headers.js';
import type { EdgeRequest, EdgeResponse, EventContext, HeaderPair } from '../model.js';
import { hasLineBreakOrNul, headerValueFault, requestTargetFault } from '../sendable.js';

export interface FunctionValue {
  value: string;
  multiValue?: { value: string }[];
}

export interface FunctionCookie {
  value: string;
  attributes?: string;
  multiValue?: { value: string; attributes?: string }[];
}

export type FunctionFields = Record<string, FunctionValue>;
export type FunctionCookies = Record<string, FunctionCookie>;

export interface FunctionRequest {
  method: string;
  uri: string;
  querystring: FunctionFields;
  headers: FunctionFields;
  cookies: FunctionFields;
}

export type FunctionBody = string | { data: string; encoding: 'text' | 'base64' };

export interface FunctionResponse {
  statusCode: number;
  statusDescription?: string;
  headers: FunctionFields;
  cookies: FunctionCookies;
  body?: FunctionBody;
}

export interface FunctionEvent {
  version: '1.0';
  context: { distributionDomainName: string; distributionId: string; eventType: 'viewer-request' | 'viewer-response'; requestId: string };
  viewer: { ip: string };
  request: FunctionRequest;
  response?: FunctionResponse;
}

/**
 * Headers CloudFront neither shows to edge functions nor lets them add ("Restrictions on all
 * edge functions", Disallowed headers): these names, and every name with one of the prefixes.
 */
const DISALLOWED = new Set([
  'connection', 'expect', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'trailer', 'upgrade',
  'x-accel-buffering', 'x-accel-charset', 'x-accel-limit-rate', 'x-accel-redirect',
  'x-amzn-auth', 'x-amzn-cf-billing', 'x-amzn-cf-id', 'x-amzn-cf-xff', 'x-amzn-errortype', 'x-amzn-fle-profile',
  'x-amzn-header-count', 'x-amzn-header-order', 'x-amzn-lambda-integration-tag', 'x-amzn-requestid',
  'x-cache', 'x-forwarded-proto', 'x-real-ip',
]);
const DISALLOWED_PREFIXES = ['x-amz-cf-', 'x-edge-'];

export function isDisallowedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return DISALLOWED.has(lower) || DISALLOWED_PREFIXES.some((p) => lower.startsWith(p));
}

/** Read-only headers per viewer event (same page, "Read-only headers"). */
const READ_ONLY: Record<'viewer-request' | 'viewer-response', ReadonlySet<string>> = {
  'viewer-request': new Set(['content-length', 'host', 'transfer-encoding', 'via']),
  'viewer-response': new Set(['content-encoding', 'content-length', 'transfer-encoding', 'warning', 'via']),
};

/**
 * The largest body a function may put in a response it returns. The sandbox uses 40 KB, the
 * size CloudFront allows for responses generated at viewer events (Lambda@Edge quota table;
 * CloudFront Functions' own quota table is the place to check if AWS changes it).
 */
export const MAX_GENERATED_BODY_BYTES = 40 * 1024;

// ---- building the event ---------------------------------------------------------------

/** Groups [name, value] pairs by name, first appearance first, into event fields. */
function fields(pairs: [string, string][]): FunctionFields {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  // Object.fromEntries defines own properties, so a name like "__proto__" stays a field.
  return Object.fromEntries(
    [...grouped].map(([name, values]) => [name, values.length > 1 ? { value: values[0]!, multiValue: values.map((value) => ({ value })) } : { value: values[0]! }]),
  );
}

/** `Set-Cookie: name=value; attr; attr` → name, value and the attributes as one string. */
function setCookieParts(header: string): { name: string; value: string; attributes?: string } {
  const semi = header.indexOf(';');
  const pair = semi < 0 ? header : header.slice(0, semi);
  const attributes = semi < 0 ? undefined : header.slice(semi + 1).trim();
  const eq = pair.indexOf('=');
  const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
  const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
  return attributes ? { name, value, attributes } : { name, value };
}

function responseCookies(headers: HeaderPair[]): FunctionCookies {
  const grouped = new Map<string, { value: string; attributes?: string }[]>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'set-cookie') continue;
    const { name: cookie, ...rest } = setCookieParts(value);
    const list = grouped.get(cookie);
    if (list) list.push(rest);
    else grouped.set(cookie, [rest]);
  }
  return Object.fromEntries([...grouped].map(([name, list]) => [name, list.length > 1 ? { ...list[0]!, multiValue: list } : { ...list[0]! }]));
}

/** Headers as the function sees them: lower-case names, no cookies, no disallowed headers. */
function visibleHeaders(headers: HeaderPair[], cookieHeader: 'cookie' | 'set-cookie'): FunctionFields {
  return fields(headers.filter(([name]) => name.toLowerCase() !== cookieHeader && !isDisallowedHeader(name)).map(([name, value]) => [name.toLowerCase(), value]));
}

export function requestToEvent(request: EdgeRequest): FunctionRequest {
  return {
    method: request.method,
    uri: request.uri,
    // The query string's parameters raw (percent-encoding kept; a parameter without '=' has the
    // value '') and the Cookie headers' pairs, both in order, by the edge's one parser
    // (headers.ts), as the cache key and forwarding read them.
    querystring: fields(parseQuery(request.querystring).map(([name, value]) => [name, value ?? ''])),
    headers: visibleHeaders(request.headers, 'cookie'),
    cookies: fields(parseCookies(request.headers)),
  };
}

export function responseToEvent(response: EdgeResponse): FunctionResponse {
  return {
    statusCode: response.status,
    statusDescription: response.statusDescription ?? STATUS_CODES[response.status] ?? '',
    headers: visibleHeaders(response.headers, 'set-cookie'),
    cookies: responseCookies(response.headers),
  };
}

export interface EventInput {
  context: EventContext;
  request: EdgeRequest;
  response?: EdgeResponse;
}

/** The event CloudFront passes to a viewer-request or viewer-response function. */
export function buildEvent(input: EventInput): FunctionEvent {
  const { context } = input;
  if (context.eventType !== 'viewer-request' && context.eventType !== 'viewer-response') {
    throw new Error(`CloudFront Functions run on viewer events only, not ${context.eventType}`);
  }
  if (context.eventType === 'viewer-response' && !input.response) throw new Error('a viewer-response event needs the response');
  const event: FunctionEvent = {
    version: '1.0',
    context: {
      distributionDomainName: context.distributionDomainName,
      distributionId: context.distributionId,
      eventType: context.eventType,
      requestId: context.requestId,
    },
    viewer: { ip: input.request.clientIp },
    request: requestToEvent(input.request),
  };
  if (context.eventType === 'viewer-response') event.response = responseToEvent(input.response!);
  return event;
}

// ---- reading the result back ----------------------------------------------------------

export class FunctionValidationError extends Error {}

function fail(message: string): never {
  throw new FunctionValidationError(message);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
/** The field of that name the function was sent (own properties only: "constructor" is a name like any other). */
const sentField = <T>(sent: Record<string, T>, name: string): T | undefined => (Object.hasOwn(sent, name) ? sent[name] : undefined);

interface FieldEntry {
  value: string;
  attributes?: string;
}

/** The values of one returned field, with CloudFront's multiValue rules against what was sent. */
function fieldValues(kind: string, name: string, returned: unknown, sent: FunctionValue | FunctionCookie | undefined, withAttributes: boolean): FieldEntry[] {
  const entry = (v: unknown, where: string): FieldEntry => {
    if (!isObject(v) || typeof v.value !== 'string') fail(`The ${kind} '${name}'${where} must be an object with a string value.`);
    if (withAttributes && v.attributes !== undefined && typeof v.attributes !== 'string') fail(`The ${kind} '${name}' has non-string attributes.`);
    return withAttributes && typeof v.attributes === 'string' ? { value: v.value, attributes: v.attributes } : { value: v.value };
  };
  const sentAll: FieldEntry[] = sent ? (sent.multiValue ?? [sent]).map((v) => entry(v, '')) : [];
  if (!isObject(returned)) fail(`The ${kind} '${name}' must be an object with a string value.`);
  if (returned.multiValue !== undefined) {
    if (!Array.isArray(returned.multiValue)) fail(`The ${kind} '${name}' has a multiValue that is not an array.`);
    const multi = returned.multiValue.map((v) => entry(v, ' (a multiValue entry)'));
    // Rule 1: a modified multiValue wins; `value` is ignored.
    if (!sent?.multiValue || !same(multi, sent.multiValue.map((v) => entry(v, '')))) return multi;
  }
  // Rule 2: a modified value replaces the first value; the others stay.
  const first = entry(returned, '');
  return [first, ...sentAll.slice(1)];
}

/** RFC 9110 token characters (lower case: names a function adds must be). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/**
 * A value that becomes (part of) a header or the status line: only what an HTTP header can
 * carry (Node's rule: tab, space, visible ASCII, 0x80–0xFF). Line breaks and NULs, other control
 * characters and anything beyond U+00FF (e.g. "€") would make Node's writeHead throw.
 */
function checkedValue(what: string, value: string): string {
  if (hasLineBreakOrNul(value)) fail(`The ${what} has a value with a line break or NUL character.`);
  const fault = headerValueFault(value);
  if (fault) fail(`The ${what} has a value with ${fault}, which an HTTP header cannot carry (only tab, space, visible ASCII and bytes 0x80–0xFF).`);
  return value;
}

const capitalise = (name: string): string => name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

/**
 * The header pairs for a returned `headers` object. `sent` is what the function was given,
 * `original` the wire pairs it came from (for case and for an untouched section).
 */
function headersBack(
  returned: unknown,
  sent: FunctionFields,
  original: HeaderPair[],
  cookieHeader: 'cookie' | 'set-cookie',
  readOnly: ReadonlySet<string>,
): HeaderPair[] {
  const visibleOriginal = original.filter(([name]) => name.toLowerCase() !== cookieHeader && !isDisallowedHeader(name));
  if (returned === undefined || same(returned, sent)) return visibleOriginal;
  if (!isObject(returned)) fail('The headers must be an object.');
  const caseOf = new Map<string, string>();
  for (const [name] of visibleOriginal) if (!caseOf.has(name.toLowerCase())) caseOf.set(name.toLowerCase(), name);
  const out: HeaderPair[] = [];
  for (const [name, field] of Object.entries(returned)) {
    if (name !== name.toLowerCase()) fail(`The header name '${name}' must be lower case.`);
    if (!HEADER_NAME.test(name)) fail(`'${name}' is not a valid HTTP header name.`);
    if (name === cookieHeader) fail(`The ${cookieHeader} header belongs in cookies, not headers.`);
    if (isDisallowedHeader(name)) fail(`The header '${name}' is not allowed in edge function results.`);
    const values = fieldValues('header', name, field, sentField(sent, name), false);
    const wireName = caseOf.get(name) ?? capitalise(name);
    for (const { value } of values) out.push([wireName, checkedValue(`header '${name}'`, value)]);
  }
  for (const name of readOnly) {
    const before = visibleOriginal.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
    const after = out.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
    if (!same(before, after)) fail(`The header '${name}' is read-only for this event: the function cannot add, change or remove it.`);
  }
  return out;
}

/** Query string back: untouched parameters keep their raw form; new text is percent-encoded where it must be. */
function querystringBack(returned: unknown, sent: FunctionFields, original: string): string {
  if (returned === undefined || same(returned, sent)) return original;
  if (!isObject(returned)) fail('The querystring must be an object.');
  // Each parameter as it was on the wire ("a" and "a=" stay apart).
  const rawByName = new Map<string, string[]>();
  for (const pair of parseQuery(original)) rawByName.set(pair[0], [...(rawByName.get(pair[0]) ?? []), queryPart(pair)]);
  const parts: string[] = [];
  for (const [name, field] of Object.entries(returned)) {
    const before = sentField(sent, name);
    const values = fieldValues('query string parameter', name, field, before, false).map((e) => e.value);
    const sentValues = before ? (before.multiValue ?? [before]).map((v) => v.value) : undefined;
    if (sentValues && same(values, sentValues) && rawByName.has(name)) parts.push(...rawByName.get(name)!);
    else for (const value of values) parts.push(`${encodeQueryPart(name, 'name')}=${encodeQueryPart(value, `value of '${name}'`)}`);
  }
  return parts.join('&');
}

/** Percent-encodes what cannot stand in a query parameter; existing %XX escapes are kept. A lone surrogate has no encoding: refused. */
function encodeQueryPart(text: string, what: string): string {
  try {
    return text.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$'()*+,;:@/?%]/g, (c) => encodeURIComponent(c));
  } catch {
    fail(`The query string parameter ${what} contains a lone UTF-16 surrogate, which cannot be URL-encoded.`);
  }
}

function requestCookiesBack(returned: unknown, sent: FunctionFields, original: HeaderPair[]): HeaderPair[] {
  const originalCookieHeaders = original.filter(([name]) => name.toLowerCase() === 'cookie');
  if (returned === undefined || same(returned, sent)) return originalCookieHeaders;
  if (!isObject(returned)) fail('The cookies must be an object.');
  const parts: string[] = [];
  for (const [name, field] of Object.entries(returned)) {
    for (const { value } of fieldValues('cookie', name, field, sentField(sent, name), false)) parts.push(checkedValue(`cookie '${name}'`, `${name}=${value}`));
  }
  if (parts.length === 0) return [];
  return [[originalCookieHeaders[0]?.[0] ?? 'Cookie', parts.join('; ')]];
}

function responseCookiesBack(returned: unknown, sent: FunctionCookies, original: HeaderPair[]): HeaderPair[] {
  const originalSetCookies = original.filter(([name]) => name.toLowerCase() === 'set-cookie');
  if (returned === undefined || same(returned, sent)) return originalSetCookies;
  if (!isObject(returned)) fail('The cookies must be an object.');
  const wireName = originalSetCookies[0]?.[0] ?? 'Set-Cookie';
  const out: HeaderPair[] = [];
  for (const [name, field] of Object.entries(returned)) {
    for (const { value, attributes } of fieldValues('cookie', name, field, sentField(sent, name), true)) {
      out.push([wireName, checkedValue(`cookie '${name}'`, attributes ? `${name}=${value}; ${attributes}` : `${name}=${value}`)]);
    }
  }
  return out;
}

function hiddenHeaders(original: HeaderPair[]): HeaderPair[] {
  return original.filter(([name]) => isDisallowedHeader(name));
}

/** The body of a returned response; undefined when the function set none. */
function bodyBack(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  let bytes: Buffer;
  if (typeof body === 'string') bytes = Buffer.from(body, 'utf8');
  else if (isObject(body) && typeof body.data === 'string') {
    const encoding = body.encoding ?? 'text';
    if (encoding === 'text') bytes = Buffer.from(body.data, 'utf8');
    else if (encoding === 'base64') {
      const compact = body.data.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) fail('The body encoding is base64 but the body is not valid base64.');
      bytes = Buffer.from(compact, 'base64');
    } else fail(`The body encoding must be 'text' or 'base64', not '${String(encoding)}'.`);
  } else fail("The body must be a string or an object {data, encoding: 'text' | 'base64'}.");
  if (bytes.length > MAX_GENERATED_BODY_BYTES) fail(`The body is ${bytes.length} bytes; a function can return at most ${MAX_GENERATED_BODY_BYTES}.`);
  return bytes;
}

function statusBack(response: Record<string, unknown>): { status: number; statusDescription?: string } {
  const code = response.statusCode;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) {
    fail(`The response statusCode must be an integer HTTP status (a number, not a string), not ${JSON.stringify(code)}.`);
  }
  const description = response.statusDescription;
  if (description !== undefined && typeof description !== 'string') fail('The response statusDescription must be a string.');
  if (description !== undefined) checkedValue('response statusDescription', description);
  return description !== undefined ? { status: code, statusDescription: description } : { status: code };
}

/** A response the function generated at viewer-request: nothing to compare it with. */
function generatedResponse(returned: Record<string, unknown>): EdgeResponse {
  const status = statusBack(returned);
  const headers = headersBack(returned.headers ?? {}, {}, [], 'set-cookie', new Set());
  const cookies = responseCookiesBack(returned.cookies ?? {}, {}, []);
  return { ...status, headers: [...headers, ...cookies], body: bodyBack(returned.body) ?? Buffer.alloc(0) };
}

function requestBack(returned: Record<string, unknown>, sent: FunctionRequest, original: EdgeRequest): EdgeRequest {
  if (returned.uri === undefined && 'request' in returned) fail('The function must return the request (event.request) or a response, not the whole event.');
  if (returned.method !== undefined && returned.method !== sent.method) fail('The request method is read-only: the function cannot change it.');
  const uri = returned.uri;
  if (typeof uri !== 'string' || !uri.startsWith('/')) fail(`The request uri must be a string that begins with '/', not ${JSON.stringify(uri)}.`);
  // A new uri goes on the request line: visible ASCII only (CloudFront expects it URL-encoded;
  // Node refuses spaces and characters beyond U+00FF with ERR_UNESCAPED_CHARACTERS).
  if (uri !== sent.uri) {
    const fault = requestTargetFault(uri);
    if (fault?.kind === 'space-or-control') fail(`The request uri ${JSON.stringify(uri)} must not contain spaces or control characters: URL-encode them.`);
    if (fault?.kind === 'non-ascii') fail(`The request uri contains ${fault.char}, which cannot go on the request line: it must be URL-encoded${fault.encoded ? ` (${fault.encoded})` : ''}.`);
  }
  // A section the function deleted is empty, not unchanged.
  const headers = headersBack(returned.headers ?? {}, sent.headers, original.headers, 'cookie', READ_ONLY['viewer-request']);
  const cookies = requestCookiesBack(returned.cookies ?? {}, sent.cookies, original.headers);
  return {
    method: original.method,
    uri,
    querystring: querystringBack(returned.querystring ?? {}, sent.querystring, original.querystring),
    headers: [...headers, ...cookies, ...hiddenHeaders(original.headers)],
    body: original.body,
    clientIp: original.clientIp,
  };
}

function viewerResponseBack(returned: Record<string, unknown>, sent: FunctionResponse, original: EdgeResponse): EdgeResponse {
  const status = statusBack(returned);
  const body = bodyBack(returned.body);
  // A replaced body may need another Content-Encoding ("Status code and body": align
  // content-encoding and content-type with the new body), so it is read-only only otherwise.
  const readOnly = new Set(READ_ONLY['viewer-response']);
  readOnly.delete('content-length');
  if (body) readOnly.delete('content-encoding');
  let headers = headersBack(returned.headers ?? {}, sent.headers, original.headers, 'set-cookie', readOnly);
  const lengthBefore = original.headers.filter(([n]) => n.toLowerCase() === 'content-length').map(([, v]) => v);
  const lengthAfter = headers.filter(([n]) => n.toLowerCase() === 'content-length').map(([, v]) => v);
  if (!same(lengthBefore, lengthAfter)) fail("The header 'content-length' is read-only for this event: the function cannot add, change or remove it.");
  // CloudFront sizes the body it sends: a replaced body gets its own length.
  if (body) headers = headers.map(([n, v]) => (n.toLowerCase() === 'content-length' ? [n, String(body.length)] : [n, v]));
  const cookies = responseCookiesBack(returned.cookies ?? {}, sent.cookies, original.headers);
  return { ...status, headers: [...headers, ...cookies, ...hiddenHeaders(original.headers)], body: body ?? original.body };
}

export type ResultBack = { kind: 'request'; request: EdgeRequest } | { kind: 'response'; response: EdgeResponse };

/**
 * What the function returned, as the edge model. Throws FunctionValidationError when CloudFront
 * would refuse it (502).
 */
export function readResult(input: EventInput, event: FunctionEvent, returned: unknown): ResultBack {
  if (!isObject(returned)) fail(`The function must return a request or response object, not ${returned === undefined ? 'undefined' : JSON.stringify(returned)}.`);
  if (event.context.eventType === 'viewer-request') {
    // A viewer-request function returns the request, or a response it generated.
    if ('statusCode' in returned) return { kind: 'response', response: generatedResponse(returned) };
    return { kind: 'request', request: requestBack(returned, event.request, input.request) };
  }
  if (!('statusCode' in returned)) fail('A viewer-response function must return the response object.');
  return { kind: 'response', response: viewerResponseBack(returned, event.response!, input.response!) };
}
