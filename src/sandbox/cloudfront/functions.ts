/**
 * CloudFront Functions: the control plane (Create/Describe/Get/Update/Publish/Delete/List
 * Function) and TestFunction, which runs the code in the sandbox's runtime
 * (edge/cloudfront-functions/runner.ts).
 *
 * Shapes, HTTP bindings and error codes from CloudFront's service model (botocore
 * cloudfront/2020-05-31/service-2.json; aws-sdk-js-v3 @aws-sdk/client-cloudfront):
 * - CreateFunction `POST /2020-05-31/function`, body `CreateFunctionRequest{Name,
 *   FunctionConfig{Comment, Runtime, KeyValueStoreAssociations}, FunctionCode (base64 blob),
 *   Tags}` → 201 FunctionSummary, `Location`, `ETag`;
 * - DescribeFunction `GET /function/{Name}/describe?Stage=` → FunctionSummary, `ETag`;
 * - GetFunction `GET /function/{Name}?Stage=` → the code as the payload, `ETag`, `Content-Type`;
 * - UpdateFunction `PUT /function/{Name}` + If-Match, body `UpdateFunctionRequest{FunctionConfig,
 *   FunctionCode}` → FunctionSummary; the model reads its ETag from a header spelt `ETtag`, so
 *   the sandbox sends both `ETag` and `ETtag`;
 * - PublishFunction `POST /function/{Name}/publish` + If-Match → FunctionSummary (LIVE);
 * - DeleteFunction `DELETE /function/{Name}` + If-Match → 204;
 * - ListFunctions `GET /function?Marker=&MaxItems=&Stage=` → FunctionList;
 * - TestFunction `POST /function/{Name}/test` + If-Match, body `TestFunctionRequest{Stage,
 *   EventObject (base64 blob, ≤ 40960 bytes)}` → TestResult{FunctionSummary, ComputeUtilization,
 *   FunctionExecutionLogs, FunctionErrorMessage, FunctionOutput}.
 * Errors: NoSuchFunctionExists 404, FunctionAlreadyExists 409, PreconditionFailed 412,
 * InvalidIfMatchVersion 400, FunctionSizeLimitExceeded 413, FunctionInUse 409,
 * TooManyFunctions 400, TestFunctionFailed 500, InvalidArgument 400 (messages: the model's
 * documentation of each error).
 *
 * Rules:
 * - Name `[a-zA-Z0-9-_]{1,64}`, Runtime cloudfront-js-1.0 | cloudfront-js-2.0, code 1 byte to
 *   10 KB ("Maximum function size 10 KB", Quotas on CloudFront Functions), 100 functions per
 *   account (same table). A request that breaks the schema (name pattern, runtime, empty code,
 *   a comment over 128 characters) is answered MalformedXML, as CloudFront does (the Terraform
 *   AWS provider validates these client-side because CloudFront answers MalformedXML).
 * - A new function is in DEVELOPMENT; PublishFunction copies DEVELOPMENT to LIVE. Each stage has
 *   its own ETag; Update and Publish take DEVELOPMENT's, Test the tested stage's, Delete either.
 * - Status: UNPUBLISHED until published, then UNASSOCIATED, or DEPLOYED while a distribution
 *   associates the function (the values CloudFront returns; e.g. the steampipe AWS plugin's
 *   aws_cloudfront_function table output).
 * - DeleteFunction refuses a function a cache behavior still associates (FunctionInUse).
 * - Key value store associations: at most one per function ("Key value stores per function 1"),
 *   runtime 2.0 only; the sandbox has no key value stores, so the ARN is checked for shape only.
 * - TestFunction runs the code on the given event as is (CloudFront "only validates against
 *   function execution errors" when testing — Developer Guide, Test functions) and reports the
 *   function's own errors in FunctionErrorMessage, not as an API error.
 *
 * Distribution writes do not check FunctionAssociations against these functions yet (AWS
 * refuses an association to a function that is not published, InvalidFunctionAssociation);
 * existing state files reference functions the sandbox never saw.
 */
import { AwsError } from '../errors.js';
import { etag as newEtag } from '../ids.js';
import { CLOUDFRONT_FUNCTION_RUNTIMES, executeFunctionEvent, MAX_FUNCTION_CODE_BYTES } from '../edge/cloudfront-functions/runner.js';
import type { Route } from '../protocols/rest-router.js';
import { readXmlBody, xmlReply } from '../protocols/rest-xml.js';
import type { SandboxRequest } from '../request.js';
import type { CloudFrontFunctionRecord, CloudFrontFunctionStageRecord, World } from '../world.js';
import { child, el, items, list, text, type XmlNode } from '../xml.js';
import { allBehaviors, checkQuantities } from './distribution-rules.js';
import { checkIfMatch } from './etag.js';

type Stage = 'DEVELOPMENT' | 'LIVE';

export const MAX_FUNCTIONS_PER_ACCOUNT = 100;
const MAX_COMMENT_LENGTH = 128;
/** FunctionEventObject's maximum in the service model. */
const MAX_EVENT_OBJECT_BYTES = 40960;
const NAME = /^[a-zA-Z0-9\-_]{1,64}$/;
const KVS_ARN = /^arn:aws:cloudfront::[0-9]{12}:key-value-store\/[0-9a-fA-F-]{36}$/;

const malformed = (why: string): AwsError =>
  new AwsError('MalformedXML', 400, `The XML you provided was not well-formed or did not validate against our published schema: ${why}`);

function noSuchFunction(): AwsError {
  return new AwsError('NoSuchFunctionExists', 404, 'The function does not exist.');
}

function findFunction(world: World, name: string): CloudFrontFunctionRecord {
  const found = world.cloudFrontFunctions.find((f) => f.name === name);
  if (!found) throw noSuchFunction();
  return found;
}

function stageOf(value: string | null | undefined): Stage {
  if (value === null || value === undefined || value === '') return 'DEVELOPMENT';
  if (value === 'DEVELOPMENT' || value === 'LIVE') return value;
  throw new AwsError('InvalidArgument', 400, `The parameter Stage has an invalid value '${value}': it must be DEVELOPMENT or LIVE.`);
}

function stageRecord(fn: CloudFrontFunctionRecord, stage: Stage): CloudFrontFunctionStageRecord {
  const record = stage === 'LIVE' ? fn.live : fn.development;
  if (!record) throw noSuchFunction();
  return record;
}

export function functionArn(world: World, name: string): string {
  return `arn:aws:cloudfront::${world.accountId}:function/${name}`;
}

/** Ids of the distributions with a cache behavior that associates the function. */
function associatingDistributions(world: World, arn: string): string[] {
  return world.data.cloudfront.distributions
    .filter((d) => allBehaviors(d.config).some((b) => items(b, 'FunctionAssociations').some((a) => text(a, 'FunctionARN') === arn)))
    .map((d) => d.id);
}

function statusOf(world: World, fn: CloudFrontFunctionRecord): string {
  if (!fn.live) return 'UNPUBLISHED';
  return associatingDistributions(world, fn.arn).length ? 'DEPLOYED' : 'UNASSOCIATED';
}

const iso = (ms: number): string => new Date(ms).toISOString();

function configXml(stage: CloudFrontFunctionStageRecord): XmlNode {
  const kvs = stage.keyValueStoreArns.map((arn) => el('KeyValueStoreAssociation', el('KeyValueStoreARN', arn)));
  return el('FunctionConfig', el('Comment', stage.comment), el('Runtime', stage.runtime), kvs.length ? list('KeyValueStoreAssociations', kvs) : undefined);
}

function summaryXml(world: World, fn: CloudFrontFunctionRecord, stage: Stage): XmlNode {
  const record = stageRecord(fn, stage);
  return el(
    'FunctionSummary',
    el('Name', fn.name),
    el('Status', statusOf(world, fn)),
    configXml(record),
    el('FunctionMetadata', el('FunctionARN', fn.arn), el('Stage', stage), el('CreatedTime', iso(fn.created)), el('LastModifiedTime', iso(record.lastModified))),
  );
}

interface ParsedConfig {
  runtime: string;
  comment: string;
  keyValueStoreArns: string[];
}

function parseConfig(body: XmlNode): ParsedConfig {
  const config = child(body, 'FunctionConfig');
  if (!config) throw malformed('FunctionConfig is required.');
  checkQuantities(config);
  const runtime = text(config, 'Runtime') ?? '';
  if (!(CLOUDFRONT_FUNCTION_RUNTIMES as readonly string[]).includes(runtime)) {
    throw malformed(`Runtime must be one of ${CLOUDFRONT_FUNCTION_RUNTIMES.join(', ')}, not '${runtime}'.`);
  }
  const comment = text(config, 'Comment') ?? '';
  if (comment.length > MAX_COMMENT_LENGTH) throw malformed(`Comment must be at most ${MAX_COMMENT_LENGTH} characters.`);
  const keyValueStoreArns = items(config, 'KeyValueStoreAssociations').map((a) => text(a, 'KeyValueStoreARN') ?? '');
  for (const arn of keyValueStoreArns) {
    if (!KVS_ARN.test(arn)) throw new AwsError('InvalidArgument', 400, `The key value store ARN '${arn}' is not valid.`);
  }
  if (keyValueStoreArns.length > 1) throw new AwsError('InvalidArgument', 400, 'A function can be associated with at most one key value store.');
  if (keyValueStoreArns.length && runtime !== 'cloudfront-js-2.0') {
    throw new AwsError('InvalidArgument', 400, 'Key value store associations require the cloudfront-js-2.0 runtime.');
  }
  return { runtime, comment, keyValueStoreArns };
}

/** FunctionCode: base64 in the XML; 1 byte to 10 KB of code. */
function parseCode(body: XmlNode): string {
  const encoded = (text(body, 'FunctionCode') ?? '').replace(/\s+/g, '');
  if (!encoded) throw malformed('FunctionCode is required and must not be empty.');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw malformed('FunctionCode must be base64.');
  const code = Buffer.from(encoded, 'base64');
  if (code.length === 0) throw malformed('FunctionCode must not be empty.');
  if (code.length > MAX_FUNCTION_CODE_BYTES) {
    throw new AwsError('FunctionSizeLimitExceeded', 413, `The function is too large: its code is ${code.length} bytes, and the maximum function size is ${MAX_FUNCTION_CODE_BYTES} bytes.`);
  }
  return code.toString('base64');
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw malformed(`Name must match [a-zA-Z0-9-_]{1,64}, not '${name}'.`);
}

/** CreateFunctionRequest's Tags: <Tags><Items><Tag><Key/><Value/></Tag>…</Items></Tags>. */
function tagsOf(body: XmlNode): Record<string, string> {
  return Object.fromEntries(items(body, 'Tags').map((t) => [text(t, 'Key') ?? '', text(t, 'Value') ?? '']));
}

function stage(config: ParsedConfig, code: string, now: number): CloudFrontFunctionStageRecord {
  return { runtime: config.runtime, comment: config.comment, code, keyValueStoreArns: config.keyValueStoreArns, etag: newEtag(), lastModified: now };
}

/** Adds a function (CreateFunction, and seeds, which publish theirs). */
export function addCloudFrontFunction(
  world: World,
  fn: { name: string; runtime: string; comment: string; code: string; keyValueStoreArns?: string[]; published?: boolean; tags?: Record<string, string> },
): CloudFrontFunctionRecord {
  const now = world.now();
  const config = { runtime: fn.runtime, comment: fn.comment, keyValueStoreArns: fn.keyValueStoreArns ?? [] };
  const code = Buffer.from(fn.code, 'utf8').toString('base64');
  const record: CloudFrontFunctionRecord = { name: fn.name, arn: functionArn(world, fn.name), created: now, development: stage(config, code, now) };
  if (fn.published) record.live = { ...record.development, etag: newEtag() };
  if (fn.tags && Object.keys(fn.tags).length) record.tags = fn.tags;
  world.cloudFrontFunctions.push(record);
  return record;
}

/** The parameters of a test event's query string, back as text for `request.rawQueryString()`. */
function rawQueryOf(querystring: unknown): string | undefined {
  if (typeof querystring !== 'object' || querystring === null) return undefined;
  const parts: string[] = [];
  for (const [name, field] of Object.entries(querystring as Record<string, { value?: unknown; multiValue?: { value?: unknown }[] }>)) {
    const values = Array.isArray(field?.multiValue) ? field.multiValue.map((v) => v?.value) : [field?.value];
    for (const value of values) parts.push(`${name}=${typeof value === 'string' ? value : ''}`);
  }
  return parts.join('&');
}

/** The event object of a TestFunction request: base64 JSON of a viewer event. */
function testEvent(body: XmlNode): { json: string; eventType: string; rawQuery: string | undefined } {
  const encoded = (text(body, 'EventObject') ?? '').replace(/\s+/g, '');
  if (!encoded) throw new AwsError('InvalidArgument', 400, 'The parameter EventObject is required.');
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length > MAX_EVENT_OBJECT_BYTES) throw new AwsError('InvalidArgument', 400, `The event object is ${bytes.length} bytes; the maximum is ${MAX_EVENT_OBJECT_BYTES}.`);
  let event: unknown;
  try {
    event = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new AwsError('InvalidArgument', 400, `The event object is not valid JSON: ${(error as Error).message}`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(event)) throw new AwsError('InvalidArgument', 400, 'The event object must be a JSON object.');
  const context = event.context;
  const eventType = isObject(context) ? context.eventType : undefined;
  if (eventType !== 'viewer-request' && eventType !== 'viewer-response') {
    throw new AwsError('InvalidArgument', 400, "The event object's context.eventType must be viewer-request or viewer-response.");
  }
  if (!isObject(event.request)) throw new AwsError('InvalidArgument', 400, 'The event object must contain a request object.');
  if (eventType === 'viewer-response' && !isObject(event.response)) throw new AwsError('InvalidArgument', 400, 'A viewer-response event object must contain a response object.');
  return { json: JSON.stringify(event), eventType, rawQuery: rawQueryOf(event.request.querystring) };
}

function testResultXml(world: World, fn: CloudFrontFunctionRecord, stageName: Stage, body: XmlNode): XmlNode {
  const record = stageRecord(fn, stageName);
  const event = testEvent(body);
  const code = { name: fn.name, runtime: record.runtime, code: Buffer.from(record.code, 'base64').toString('utf8') };
  let run: ReturnType<typeof executeFunctionEvent>;
  try {
    run = executeFunctionEvent(code, event.json, { rawQuery: event.rawQuery, eventType: event.eventType, now: world.now(), warm: true });
  } catch (error) {
    throw new AwsError('TestFunctionFailed', 500, `The CloudFront function failed: ${(error as Error).message}`);
  }
  let errorMessage = '';
  let output: string | undefined;
  if (run.status === 'unsupported') errorMessage = `The edge-install sandbox cannot run this function: it uses ${run.reason}.`;
  else if (run.status === 'error') errorMessage = run.message;
  else {
    const returned: unknown = run.output === undefined ? undefined : JSON.parse(run.output);
    if (typeof returned !== 'object' || returned === null || Array.isArray(returned)) {
      errorMessage = `The function must return a request or response object, not ${run.output ?? 'undefined'}.`;
    } else {
      // As CloudFront reports it: {"request": …} or {"response": …}.
      const key = event.eventType === 'viewer-response' || 'statusCode' in returned ? 'response' : 'request';
      output = JSON.stringify({ [key]: returned });
    }
  }
  return el(
    'TestResult',
    summaryXml(world, fn, stageName),
    el('ComputeUtilization', String(run.computeUtilization)),
    el('FunctionExecutionLogs', ...run.logs.map((line) => el('member', line))),
    el('FunctionErrorMessage', errorMessage),
    output === undefined ? undefined : el('FunctionOutput', output),
  );
}

function listReply(req: SandboxRequest, world: World) {
  const stageFilter = req.query.get('Stage');
  const only = stageFilter ? stageOf(stageFilter) : undefined;
  const all: [CloudFrontFunctionRecord, Stage][] = [];
  for (const fn of world.cloudFrontFunctions) {
    // Without a Stage, every stage is listed: a published function appears twice.
    if (only !== 'LIVE') all.push([fn, 'DEVELOPMENT']);
    if (only !== 'DEVELOPMENT' && fn.live) all.push([fn, 'LIVE']);
  }
  const rawMax = req.query.get('MaxItems');
  const requested = rawMax === null ? 100 : Number(rawMax);
  if (!Number.isInteger(requested) || requested < 1) throw new AwsError('InvalidArgument', 400, `The parameter MaxItems must be a positive integer, not '${rawMax}'.`);
  const maxItems = Math.min(requested, 100);
  const marker = req.query.get('Marker') ?? '';
  const start = marker ? Number(marker) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidArgument', 400, `The parameter Marker is not valid: '${marker}'.`);
  const page = all.slice(start, start + maxItems);
  const next = start + maxItems < all.length ? String(start + maxItems) : undefined;
  return xmlReply(list('FunctionList', page.map(([fn, s]) => summaryXml(world, fn, s)), next ? el('NextMarker', next) : undefined, el('MaxItems', maxItems)));
}

export const functionRoutes: Route[] = [
  {
    operation: 'ListFunctions',
    method: 'GET',
    path: '/2020-05-31/function',
    handle: (req, world) => listReply(req, world),
  },
  {
    operation: 'CreateFunction',
    method: 'POST',
    path: '/2020-05-31/function',
    handle(req, world) {
      const body = readXmlBody(req, 'CreateFunctionRequest');
      const name = text(body, 'Name') ?? '';
      checkName(name);
      const config = parseConfig(body);
      const code = parseCode(body);
      if (world.cloudFrontFunctions.some((f) => f.name === name)) {
        throw new AwsError('FunctionAlreadyExists', 409, 'A function with the same name already exists in this Amazon Web Services account. To create a function, you must provide a unique name. To update an existing function, use UpdateFunction.');
      }
      if (world.cloudFrontFunctions.length >= MAX_FUNCTIONS_PER_ACCOUNT) {
        throw new AwsError('TooManyFunctions', 400, `You have reached the maximum number of CloudFront functions for this Amazon Web Services account (${MAX_FUNCTIONS_PER_ACCOUNT}).`);
      }
      const now = world.now();
      const record: CloudFrontFunctionRecord = { name, arn: functionArn(world, name), created: now, development: stage(config, code, now) };
      const tags = tagsOf(body);
      if (Object.keys(tags).length) record.tags = tags;
      world.cloudFrontFunctions.push(record);
      return xmlReply(summaryXml(world, record, 'DEVELOPMENT'), 201, {
        etag: record.development.etag,
        location: `${req.baseUrl}/2020-05-31/function/${record.arn}`,
      });
    },
  },
  {
    operation: 'DescribeFunction',
    method: 'GET',
    path: '/2020-05-31/function/{Name}/describe',
    handle(req, world) {
      const fn = findFunction(world, req.params.Name!);
      const stageName = stageOf(req.query.get('Stage'));
      return xmlReply(summaryXml(world, fn, stageName), 200, { etag: stageRecord(fn, stageName).etag });
    },
  },
  {
    operation: 'GetFunction',
    method: 'GET',
    path: '/2020-05-31/function/{Name}',
    handle(req, world) {
      const fn = findFunction(world, req.params.Name!);
      const record = stageRecord(fn, stageOf(req.query.get('Stage')));
      return { status: 200, headers: { 'content-type': 'application/octet-stream', etag: record.etag }, body: Buffer.from(record.code, 'base64') };
    },
  },
  {
    operation: 'UpdateFunction',
    method: 'PUT',
    path: '/2020-05-31/function/{Name}',
    handle(req, world) {
      const fn = findFunction(world, req.params.Name!);
      checkIfMatch(req, fn.development.etag);
      const body = readXmlBody(req, 'UpdateFunctionRequest');
      const config = parseConfig(body);
      const code = parseCode(body);
      fn.development = stage(config, code, world.now());
      const etag = fn.development.etag;
      return xmlReply(summaryXml(world, fn, 'DEVELOPMENT'), 200, { etag, ettag: etag });
    },
  },
  {
    operation: 'PublishFunction',
    method: 'POST',
    path: '/2020-05-31/function/{Name}/publish',
    handle(req, world) {
      const fn = findFunction(world, req.params.Name!);
      checkIfMatch(req, fn.development.etag);
      fn.live = { ...structuredClone(fn.development), etag: newEtag(), lastModified: world.now() };
      return xmlReply(summaryXml(world, fn, 'LIVE'));
    },
  },
  {
    operation: 'DeleteFunction',
    method: 'DELETE',
    path: '/2020-05-31/function/{Name}',
    handle(req, world) {
      const fn = findFunction(world, req.params.Name!);
      const ifMatch = String(req.headers['if-match'] ?? '').trim();
      checkIfMatch(req, ifMatch && ifMatch === fn.live?.etag ? fn.live.etag : fn.development.etag);
      const users = associatingDistributions(world, fn.arn);
      if (users.length) {
        throw new AwsError('FunctionInUse', 409, `Cannot delete the function because it's attached to one or more cache behaviors (distribution ${users.join(', ')}).`);
      }
      world.data.cloudfront.functions = world.cloudFrontFunctions.filter((f) => f !== fn);
      return { status: 204 };
    },
  },
  {
    operation: 'TestFunction',
    method: 'POST',
    path: '/2020-05-31/function/{Name}/test',
    handle(req, world) {
      const fn = findFunction(world, req.params.Name!);
      const body = readXmlBody(req, 'TestFunctionRequest');
      const stageName = stageOf(text(body, 'Stage'));
      checkIfMatch(req, stageRecord(fn, stageName).etag);
      return xmlReply(testResultXml(world, fn, stageName, body));
    },
  },
];
