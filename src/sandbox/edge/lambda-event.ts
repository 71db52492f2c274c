/**
 * Lambda@Edge's side of the local edge: the event CloudFront hands a function for a trigger, and
 * what CloudFront makes of the value the function returns. Pure functions, no I/O.
 *
 * Sources (CloudFront Developer Guide, see lambda-response-rules.ts for the short names):
 * - [event-structure] lambda-event-structure.html — `Records[0].cf.{config, request, response}`;
 *   headers keyed by lower-case name, each an array of `{ key, value }` in the order the header
 *   repeats, `key` in the sender's case; `querystring` without '?' ("" when there is none);
 *   `request.body` {inputTruncated, action, encoding, data} only with the include body option;
 *   `request.origin` {custom|s3} in origin events; response `status` as a string.
 * - [restrictions-all] disallowed headers are "not exposed to edge functions": the event leaves
 *   them out, and since the function never saw them they go on unchanged afterwards
 *   (e.g. X-Amz-Cf-Id on an origin request, X-Cache on a response).
 * - [event-structure] response events: "If the Lambda function modifies the request object, the
 *   changes are ignored."; read-only fields (method, clientIp, config) keep CloudFront's values.
 * - [updating] origin-response: "Lambda@Edge does not expose the body … If you don't update the
 *   body field in your function, the original body … is returned".
 * - [testing] what fails validation is a 502 LambdaValidationError, logged to
 *   /aws/cloudfront/LambdaEdge/<DistributionId> (`validationLogRecord`).
 */
import { STATUS_CODES } from 'node:http';
import {
  bodyExposureLimit,
  canonicalHeaderKey,
  checkCustomDomainName,
  checkHeaderRestrictions,
  checkOriginCustomHeaders,
  checkOriginPath,
  checkPort,
  checkProtocol,
  checkQuerystring,
  checkS3Auth,
  checkS3DomainName,
  checkSslProtocols,
  checkStatusDescription,
  checkTimeout,
  checkUri,
  checkUriLength,
  describe,
  generatedResponseLimit,
  generatedResponseSize,
  isDisallowedHeader,
  isPlainObject,
  readEventHeaders,
  readRequestBody,
  readResponseBody,
  readStatus,
  viewerMessage,
  type Problem,
} from './lambda-response-rules.js';
import type { EdgeOrigin, EdgeRequest, EdgeResponse, EventContext, EventType, HeaderPair } from './model.js';

export { canonicalHeaderKey, isDisallowedHeader } from './lambda-response-rules.js';

// ---- the event --------------------------------------------------------------------------

/**
 * What a trigger runs on.
 * - `context` → `Records[0].cf.config` (distributionDomainName, distributionId, eventType, requestId).
 * - `request` → the request as it stands at this event (for origin events: as CloudFront will
 *   send it to the origin, CloudFront's own headers included).
 * - `includeBody` → the association's IncludeBody (read only for viewer-request / origin-request).
 * - `origin` → `request.origin` in origin-request and origin-response events.
 * - `response` → `Records[0].cf.response` in origin-response and viewer-response events (required there).
 */
export interface LambdaEventInput {
  context: EventContext;
  request: EdgeRequest;
  includeBody?: boolean;
  origin?: EdgeOrigin;
  response?: EdgeResponse;
}

/** One header in the event: `key` is the name in the sender's case (optional in what a function returns). */
export interface CfHeaderEntry {
  key?: string;
  value: string;
}
export type CfHeaders = Record<string, CfHeaderEntry[]>;

export interface CfRequestBody {
  inputTruncated: boolean;
  action: 'read-only' | 'replace';
  encoding: 'base64' | 'text';
  data: string;
}

export type CfOrigin =
  | {
      custom: {
        customHeaders: CfHeaders;
        domainName: string;
        keepaliveTimeout: number;
        path: string;
        port: number;
        protocol: 'http' | 'https';
        readTimeout: number;
        sslProtocols: string[];
      };
    }
  | { s3: { authMethod: 'origin-access-identity' | 'none'; customHeaders: CfHeaders; domainName: string; path: string; region: string } };

export interface CfRequest {
  body?: CfRequestBody;
  clientIp: string;
  headers: CfHeaders;
  method: string;
  origin?: CfOrigin;
  querystring: string;
  uri: string;
}

export interface CfResponse {
  headers: CfHeaders;
  status: string;
  statusDescription: string;
}

export interface LambdaEdgeEvent {
  Records: [{ cf: { config: EventContext; request: CfRequest; response?: CfResponse } }];
}

const REQUEST_EVENTS: ReadonlySet<EventType> = new Set(['viewer-request', 'origin-request']);
const ORIGIN_EVENTS: ReadonlySet<EventType> = new Set(['origin-request', 'origin-response']);
const RESPONSE_EVENTS: ReadonlySet<EventType> = new Set(['origin-response', 'viewer-response']);

/**
 * Header pairs as the event's `headers` object: keyed by lower-case name, one `{ key, value }`
 * per occurrence in wire order, `key` as sent. Names appear in the order of their first
 * occurrence (an object cannot interleave A, B, A: that becomes A, A, B).
 */
export function headersToEventHeaders(pairs: readonly HeaderPair[]): CfHeaders {
  const headers: CfHeaders = Object.create(null) as CfHeaders;
  for (const [key, value] of pairs) {
    const lower = key.toLowerCase();
    (headers[lower] ??= []).push({ key, value });
  }
  return headers;
}

/**
 * The event's `headers` object back to pairs, in order; a missing `key` becomes the name with
 * initial capitals ([event-structure]). No validation: see `readEventHeaders` for that.
 */
export function eventHeadersToPairs(headers: Record<string, readonly { key?: string; value: string }[]>): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (const [name, entries] of Object.entries(headers)) {
    for (const entry of entries) pairs.push([entry.key ?? canonicalHeaderKey(name), entry.value]);
  }
  return pairs;
}

/** The headers a function sees: all but the disallowed ones ([restrictions-all] "not exposed to edge functions"). */
export function exposedHeaders(pairs: readonly HeaderPair[]): HeaderPair[] {
  return pairs.filter(([name]) => !isDisallowedHeader(name));
}

/** The headers a function does not see; they go on as they were. */
export function hiddenHeaders(pairs: readonly HeaderPair[]): HeaderPair[] {
  return pairs.filter(([name]) => isDisallowedHeader(name));
}

export function originToEvent(origin: EdgeOrigin): CfOrigin {
  if (origin.kind === 'custom') {
    return {
      custom: {
        customHeaders: headersToEventHeaders(origin.customHeaders),
        domainName: origin.domainName,
        keepaliveTimeout: origin.keepaliveTimeout,
        path: origin.path,
        port: origin.port,
        protocol: origin.protocol,
        readTimeout: origin.readTimeout,
        sslProtocols: [...origin.sslProtocols],
      },
    };
  }
  return {
    s3: {
      authMethod: origin.authMethod,
      customHeaders: headersToEventHeaders(origin.customHeaders),
      domainName: origin.domainName,
      path: origin.path,
      region: origin.region,
    },
  };
}

/**
 * [event-structure] / [restrictions-lambda]: with the include body option CloudFront exposes
 * the body base64-encoded ("CloudFront always base64 encodes the request body"), truncated at
 * 40 KB (viewer request) or 1 MB (origin request) with `inputTruncated: true`; a body of exactly
 * the limit is whole. `action` starts as "read-only".
 */
export function eventBody(eventType: EventType, body: Buffer): CfRequestBody {
  const limit = bodyExposureLimit(eventType);
  const truncated = body.length > limit;
  return { inputTruncated: truncated, action: 'read-only', encoding: 'base64', data: (truncated ? body.subarray(0, limit) : body).toString('base64') };
}

/** The event CloudFront sends for `input.context.eventType`, exactly as a function receives it. */
export function lambdaEvent(input: LambdaEventInput): LambdaEdgeEvent {
  const { context, request } = input;
  const eventType = context.eventType;
  const cfRequest: CfRequest = {
    ...(input.includeBody && REQUEST_EVENTS.has(eventType) ? { body: eventBody(eventType, request.body) } : {}),
    clientIp: request.clientIp,
    headers: headersToEventHeaders(exposedHeaders(request.headers)),
    method: request.method,
    ...(input.origin && ORIGIN_EVENTS.has(eventType) ? { origin: originToEvent(input.origin) } : {}),
    querystring: request.querystring,
    uri: request.uri,
  };
  const config: EventContext = {
    distributionDomainName: context.distributionDomainName,
    distributionId: context.distributionId,
    eventType,
    requestId: context.requestId,
  };
  if (!RESPONSE_EVENTS.has(eventType)) return { Records: [{ cf: { config, request: cfRequest } }] };
  if (!input.response) throw new Error(`a ${eventType} event needs the response`);
  const response: CfResponse = {
    headers: headersToEventHeaders(exposedHeaders(input.response.headers)),
    status: String(input.response.status),
    statusDescription: input.response.statusDescription ?? STATUS_CODES[input.response.status] ?? '',
  };
  return { Records: [{ cf: { config, request: cfRequest, response } }] };
}

// ---- what the function returned ---------------------------------------------------------

/**
 * What CloudFront makes of a function's result.
 * - `request`: request events, continue with this (maybe changed) request; `origin` is the
 *   (maybe changed) origin in origin-request events; `bodyReplaced` when the function replaced
 *   the body (`request.body` is then the new body, otherwise the full original one).
 * - `generated-response`: request events, the function answered itself.
 * - `response`: response events, the (maybe changed) response.
 * - `invalid`: a LambdaValidationError: the data plane answers 502 (`reason` is the sentence for
 *   the error page) and logs `errors` (each names the field or header).
 * `notes` lists what CloudFront ignored (a changed read-only field, a body without IncludeBody…).
 */
export type LambdaResult =
  | { kind: 'request'; request: EdgeRequest; origin?: EdgeOrigin; bodyReplaced: boolean; notes: string[] }
  | { kind: 'generated-response'; response: EdgeResponse; notes: string[] }
  | { kind: 'response'; response: EdgeResponse; notes: string[] }
  | { kind: 'invalid'; errors: string[]; reason: string; problems: Problem[] };

export interface InterpretOptions {
  /**
   * [restrictions-lambda] "Lambda@Edge functions for viewer response events cannot modify the
   * HTTP status code of the response". The guide does not say whether CloudFront refuses the
   * result or keeps the original status: 'reject' (default, the strict reading: 502) or 'ignore'
   * (keep the original status, with a note).
   */
  viewerResponseStatusChange?: 'reject' | 'ignore';
}

function invalid(problems: Problem[]): Extract<LambdaResult, { kind: 'invalid' }> {
  return { kind: 'invalid', errors: problems.map((p) => p.detail), reason: viewerMessage(problems[0]!.code), problems };
}

/**
 * A raw Invoke payload (the function's JSON result) as the value `interpretLambdaResult` takes.
 * Not JSON → the "not parsable" validation error ([testing]: "unparsable json").
 */
export function parseLambdaPayload(payload: string | Buffer): { ok: true; value: unknown } | { ok: false; result: Extract<LambdaResult, { kind: 'invalid' }> } {
  try {
    return { ok: true, value: JSON.parse(Buffer.isBuffer(payload) ? payload.toString('utf8') : payload) as unknown };
  } catch {
    return { ok: false, result: invalid([{ code: 'unparsable', detail: 'the function returned a payload that is not JSON' }]) };
  }
}

/**
 * Reads the value a function returned for the event built from `input` (the parsed JSON of its
 * result) and applies CloudFront's validation ([testing] "The Lambda response must conform to
 * the required object structure" and "must include only valid object values").
 */
export function interpretLambdaResult(input: LambdaEventInput, returned: unknown, options: InterpretOptions = {}): LambdaResult {
  if (!isPlainObject(returned)) {
    return invalid([{ code: 'not-object', detail: `the function returned ${describe(returned)}, not an object` }]);
  }
  const eventType = input.context.eventType;
  if (RESPONSE_EVENTS.has(eventType)) return interpretResponse(input, returned, options);
  // [generated] "the status field is required" in a generated response; a request has none.
  if (returned.status !== undefined) return interpretGenerated(input, returned);
  return interpretRequest(input, returned);
}

function interpretRequest(input: LambdaEventInput, r: Record<string, unknown>): LambdaResult {
  const eventType = input.context.eventType;
  const before = input.request;
  const problems: Problem[] = [];
  const notes: string[] = [];

  let pairs: HeaderPair[] = [];
  if (r.headers === undefined) problems.push({ code: 'structure', detail: 'request.headers is missing' });
  else {
    const read = readEventHeaders(r.headers, 'request.headers');
    pairs = read.pairs;
    problems.push(...read.problems);
    if (!read.problems.length) problems.push(...checkHeaderRestrictions(eventType, exposedHeaders(before.headers), pairs, 'request.headers'));
  }

  let uri = before.uri;
  if (r.uri === undefined) problems.push({ code: 'structure', detail: 'request.uri is missing' });
  else if (r.uri !== before.uri) {
    const found = checkUri(r.uri, 'request.uri');
    problems.push(...found);
    if (!found.length) uri = r.uri as string;
  }
  let querystring = before.querystring;
  if (r.querystring === undefined) notes.push('request.querystring is missing: the query string stays as it was');
  else if (r.querystring !== before.querystring) {
    const found = checkQuerystring(r.querystring, 'request.querystring');
    problems.push(...found);
    if (!found.length) querystring = r.querystring as string;
  }
  if (uri !== before.uri || querystring !== before.querystring) problems.push(...checkUriLength(uri, querystring, 'request'));

  // [event-structure] method and clientIp are read-only; the guide does not say a change fails
  // validation, so CloudFront's values stay (as for the request object in response events).
  if (r.method !== undefined && r.method !== before.method) notes.push(`request.method is read-only: ${describe(r.method)} ignored, ${before.method} kept`);
  if (r.clientIp !== undefined && r.clientIp !== before.clientIp) notes.push(`request.clientIp is read-only: ${describe(r.clientIp)} ignored`);

  let body = before.body;
  let bodyReplaced = false;
  if (input.includeBody) {
    const read = readRequestBody(eventType, r.body, 'request.body');
    problems.push(...read.problems);
    if (read.replaced) {
      body = read.replaced;
      bodyReplaced = true;
    }
  } else if (r.body !== undefined) {
    notes.push('request.body ignored: the association does not include the body');
  }

  let origin = input.origin;
  if (eventType === 'origin-request') {
    if (r.origin !== undefined) {
      const read = readOrigin(r.origin, input.origin, pairs);
      problems.push(...read.problems);
      if (read.origin) origin = read.origin;
    }
  } else if (r.origin !== undefined) {
    notes.push(`request.origin ignored: only origin-request functions can choose the origin`);
  }

  if (problems.length) return invalid(problems);
  let headers: HeaderPair[] = [...pairs, ...hiddenHeaders(before.headers)];
  // Content-Length is read-only, so it still describes the viewer's body; CloudFront sends the
  // replacement (the guide is silent on the header): the sandbox makes it describe what is sent.
  if (bodyReplaced) headers = headers.map(([n, v]) => (n.toLowerCase() === 'content-length' ? [n, String(body.length)] : [n, v]));
  const request: EdgeRequest = { ...before, uri, querystring, headers, body };
  return eventType === 'origin-request' && origin
    ? { kind: 'request', request, origin, bodyReplaced, notes }
    : { kind: 'request', request, bodyReplaced, notes };
}

function interpretGenerated(input: LambdaEventInput, r: Record<string, unknown>): LambdaResult {
  const eventType = input.context.eventType;
  const problems: Problem[] = [];
  const status = readStatus(r.status, 'response.status');
  problems.push(...status.problems);
  if (r.statusDescription !== undefined) problems.push(...checkStatusDescription(r.statusDescription, 'response.statusDescription'));
  let pairs: HeaderPair[] = [];
  if (r.headers !== undefined) {
    const read = readEventHeaders(r.headers, 'response.headers');
    pairs = read.pairs;
    problems.push(...read.problems);
  }
  problems.push(...checkHeaderRestrictions(eventType, null, pairs, 'response.headers'));
  let body: Buffer = Buffer.alloc(0);
  let bodyText = '';
  if (r.body !== undefined) {
    const read = readResponseBody(r.body, r.bodyEncoding, 'response');
    problems.push(...read.problems);
    if (read.body) {
      body = read.body;
      bodyText = read.text!;
    }
  }
  // [generated] "Response contains a body and specifies 204 (No Content) for status": for a
  // viewer request CloudFront returns 502. The guide names only viewer request events; an empty
  // body string is taken as no body.
  if (eventType === 'viewer-request' && status.status === 204 && bodyText !== '') {
    problems.push({ code: 'status', detail: 'response.body: a generated 204 (No Content) response cannot have a body' });
  }
  const size = generatedResponseSize(pairs, bodyText);
  const limit = generatedResponseLimit(eventType);
  if (size > limit) problems.push({ code: 'body', detail: `response: the generated response is ${size} bytes (headers and body); ${eventType} functions may generate at most ${limit}` });
  if (problems.length) return invalid(problems);
  const code = status.status!;
  return {
    kind: 'generated-response',
    response: { status: code, statusDescription: (r.statusDescription as string | undefined) ?? STATUS_CODES[code] ?? '', headers: pairs, body },
    notes: [],
  };
}

function interpretResponse(input: LambdaEventInput, r: Record<string, unknown>, options: InterpretOptions): LambdaResult {
  const eventType = input.context.eventType;
  const before = input.response;
  if (!before) throw new Error(`a ${eventType} result needs the response it was given`);
  const problems: Problem[] = [];
  const notes: string[] = [];

  let status = before.status;
  if (r.status === undefined) problems.push({ code: 'structure', detail: 'response.status is missing' });
  else {
    const read = readStatus(r.status, 'response.status');
    problems.push(...read.problems);
    if (read.status !== undefined && read.status !== before.status) {
      if (eventType === 'viewer-response') {
        if ((options.viewerResponseStatusChange ?? 'reject') === 'reject') {
          problems.push({ code: 'status', detail: `response.status: viewer-response functions cannot change the status code (${before.status} → ${read.status})` });
        } else {
          notes.push(`response.status: viewer-response functions cannot change the status code; ${read.status} ignored, ${before.status} kept`);
        }
      } else {
        status = read.status;
      }
    }
  }
  // The description is the function's as returned (the event's, when it passes the object back);
  // left out, it is the status's standard phrase.
  let statusDescription = status === before.status ? before.statusDescription : STATUS_CODES[status] ?? '';
  if (r.statusDescription !== undefined) {
    const found = checkStatusDescription(r.statusDescription, 'response.statusDescription');
    problems.push(...found);
    if (!found.length) statusDescription = r.statusDescription as string;
  }

  let pairs: HeaderPair[] = [];
  if (r.headers === undefined) problems.push({ code: 'structure', detail: 'response.headers is missing' });
  else {
    const read = readEventHeaders(r.headers, 'response.headers');
    pairs = read.pairs;
    problems.push(...read.problems);
    if (!read.problems.length) problems.push(...checkHeaderRestrictions(eventType, exposedHeaders(before.headers), pairs, 'response.headers'));
  }

  // [updating] the origin's body is not exposed; setting `body` replaces it, leaving it out keeps it.
  let body = before.body;
  let bodyReplaced = false;
  if (r.body !== undefined) {
    const read = readResponseBody(r.body, r.bodyEncoding, 'response');
    problems.push(...read.problems);
    if (read.body) {
      body = read.body;
      bodyReplaced = true;
      // [quotas] a response the function generates, headers and body, is within 40 KB / 1 MB.
      const size = generatedResponseSize(pairs, read.text!);
      const limit = generatedResponseLimit(eventType);
      if (size > limit) problems.push({ code: 'body', detail: `response: the response the function generated is ${size} bytes (headers and body); ${eventType} functions may generate at most ${limit}` });
    }
  }
  if (problems.length) return invalid(problems);
  let headers: HeaderPair[] = [...pairs, ...hiddenHeaders(before.headers)];
  if (bodyReplaced) headers = headers.map(([n, v]) => (n.toLowerCase() === 'content-length' ? [n, String(body.length)] : [n, v]));
  return { kind: 'response', response: { status, statusDescription, headers, body }, notes };
}

/**
 * `request.origin` in an origin-request result ([event-structure] "Request values – custom
 * origin / Amazon S3 origin"). Exactly one of `custom` or `s3` ("not both"); every field the
 * guide lists is required (its examples always give them all) except `customHeaders` (none) and
 * an S3 `region` without an OAI. A field left as the event gave it is not re-checked: the event
 * carries the distribution's own settings, which the distribution API validated with its own
 * ranges.
 */
function readOrigin(value: unknown, before: EdgeOrigin | undefined, requestHeaders: HeaderPair[]): { origin?: EdgeOrigin; problems: Problem[] } {
  const where = 'request.origin';
  if (!isPlainObject(value)) return { problems: [{ code: 'origin', detail: `${where} must be an object with "custom" or "s3" (got ${describe(value)})` }] };
  const kinds = (['custom', 's3'] as const).filter((k) => value[k] !== undefined);
  if (kinds.length !== 1) return { problems: [{ code: 'origin', detail: `${where} must have exactly one of "custom" or "s3" (got ${kinds.length ? 'both' : 'neither'})` }] };
  const kind = kinds[0]!;
  const o = value[kind];
  const at = `${where}.${kind}`;
  if (!isPlainObject(o)) return { problems: [{ code: 'origin', detail: `${at} must be an object (got ${describe(o)})` }] };
  const prevEvent = before ? (originToEvent(before) as Record<string, Record<string, unknown> | undefined>)[kind] : undefined;
  const unchanged = (field: string): boolean => prevEvent !== undefined && JSON.stringify(o[field]) === JSON.stringify(prevEvent[field]);
  const check = (field: string, fn: (v: unknown, w: string) => Problem[]): Problem[] => (unchanged(field) ? [] : fn(o[field], `${at}.${field}`));

  const problems: Problem[] = [];
  let customHeaders: HeaderPair[] = [];
  if (o.customHeaders !== undefined) {
    const read = readEventHeaders(o.customHeaders, `${at}.customHeaders`);
    problems.push(...read.problems.map((p) => ({ ...p, code: 'origin' as const })));
    customHeaders = read.pairs;
    if (!read.problems.length && !unchanged('customHeaders')) problems.push(...checkOriginCustomHeaders(customHeaders, requestHeaders, `${at}.customHeaders`));
  }
  if (kind === 'custom') {
    problems.push(
      ...check('domainName', checkCustomDomainName),
      ...check('port', checkPort),
      ...check('protocol', checkProtocol),
      ...check('path', checkOriginPath),
      ...check('readTimeout', (v, w) => checkTimeout(v, 4, 60, w)),
      ...check('keepaliveTimeout', (v, w) => checkTimeout(v, 1, 60, w)),
      ...check('sslProtocols', checkSslProtocols),
    );
    if (problems.length) return { problems };
    return {
      origin: {
        kind: 'custom',
        domainName: o.domainName as string,
        port: o.port as number,
        protocol: o.protocol as 'http' | 'https',
        path: o.path as string,
        customHeaders,
        readTimeout: o.readTimeout as number,
        keepaliveTimeout: o.keepaliveTimeout as number,
        sslProtocols: [...(o.sslProtocols as string[])],
      },
      problems,
    };
  }
  problems.push(...check('domainName', checkS3DomainName), ...check('path', checkOriginPath));
  if (!unchanged('authMethod') || !unchanged('region')) problems.push(...checkS3Auth(o.authMethod, o.region, at));
  // [event-structure] authMethod: "You can't use an OAI when you switch from a custom origin to an Amazon S3 origin."
  if (before?.kind === 'custom' && o.authMethod === 'origin-access-identity') {
    problems.push({ code: 'origin', detail: `${at}.authMethod: an origin access identity can't be used when switching from a custom origin to an Amazon S3 origin` });
  }
  if (problems.length) return { problems };
  return {
    origin: {
      kind: 's3',
      domainName: o.domainName as string,
      path: o.path as string,
      customHeaders,
      authMethod: o.authMethod as 'origin-access-identity' | 'none',
      region: (o.region as string | undefined) ?? '',
    },
    problems,
  };
}

// ---- the validation log -----------------------------------------------------------------

export interface ValidationLogInput {
  input: LambdaEventInput;
  /** The association's qualified function ARN. */
  arn: string;
  /** The Region the function ran in (where CloudFront writes the log). */
  region: string;
  errors: string[];
  /** The Lambda invocation's request id, when the runtime has one. */
  lambdaRequestId?: string;
}

/** `/aws/cloudfront/LambdaEdge/<DistributionId>` ([testing]). */
export function validationLogGroup(distributionId: string): string {
  return `/aws/cloudfront/LambdaEdge/${distributionId}`;
}

/**
 * The message of the log event CloudFront writes for a validation error, in
 * `/aws/cloudfront/LambdaEdge/<DistributionId>` of the Region the function ran in ([testing]).
 * The guide gives no format, only the content: "information that can help you identify why the
 * error is being returned", findable by the request id of the failed response (X-Amz-Cf-Id), and
 * "the corresponding Lambda request id". The sandbox writes one JSON object per event with those,
 * plus what identifies the trigger; `message` follows the wording seen in real logs
 * ("Validation error: Lambda function result failed validation, …").
 */
export function validationLogRecord(record: ValidationLogInput): string {
  const { context } = record.input;
  return JSON.stringify({
    requestId: context.requestId,
    distributionId: context.distributionId,
    distributionDomainName: context.distributionDomainName,
    eventType: context.eventType,
    functionArn: record.arn,
    executionRegion: record.region,
    ...(record.lambdaRequestId ? { lambdaRequestId: record.lambdaRequestId } : {}),
    errorType: 'LambdaValidationError',
    message: `Validation error: Lambda function result failed validation, ${record.errors.join('; ')}.`,
    errors: record.errors,
  });
}
