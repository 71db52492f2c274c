/**
 * The Lambda operations edge-install uses: functions, versions, Lambda@Edge replicas, tags.
 * Every operation reads and writes `world.data.lambda`; time-based state (Pending → Active,
 * InProgress → Successful) is a due time compared with the sandbox clock when read.
 */
import { createHash } from 'node:crypto';
import { codeUrl } from '../admin.js';
import { AwsError } from '../errors.js';
import { uuid } from '../ids.js';
import { jsonReply } from '../protocols/json.js';
import type { SandboxReply, SandboxRequest } from '../request.js';
import type { FunctionConfig, FunctionRecord, FunctionVersionRecord, World } from '../world.js';
import { checkDeploymentPackage } from './zip.js';
import {
  FUNCTION_ARN_PATTERN,
  FUNCTION_NAME_PATTERN,
  functionArn,
  isVersionNumber,
  LATEST,
  parseFunctionName,
  UNQUALIFIED_FUNCTION_NAME_PATTERN,
} from './arns.js';
import { blob, body, bool, int, obj, queryValue, str, strList, strMap, type Json } from './input.js';
import { renderConfiguration } from './render.js';
import { isReplicated } from './replicas.js';
import {
  checkCodeSha256,
  checkEnvironment,
  checkEnvironmentLimits,
  checkMasterRegionCombination,
  checkNoChangeInProgress,
  checkNotLatest,
  checkNotReplicated,
  checkQualifiersAgree,
  checkRevisionId,
  checkRoleAssumable,
  checkRuntimeAndHandler,
  checkRuntimeSupported,
  checkSnapStart,
  checkSameAccount,
  checkSameRegion,
  checkTaggableArn,
  CREATE_FUNCTION_MAX_REQUEST_BYTES,
  DEFAULTS,
  EPHEMERAL_STORAGE_RANGE,
  functionNotFound,
  invalidParameter,
  LAYER_VERSION_PATTERN,
  MASTER_REGION_PATTERN,
  MAX_DESCRIPTION_LENGTH,
  MAX_FUNCTION_ARN_LENGTH,
  MAX_HANDLER_LENGTH,
  MAX_ITEMS_RANGE,
  MAX_LAYERS,
  MAX_NAME_LENGTH,
  MAX_PAGE_SIZE,
  MAX_SUBNETS,
  MEMORY_RANGE,
  resourceConflict,
  ROLE_PATTERN,
  RUNTIMES,
  TIMEOUT_RANGE,
  unchangedSinceVersion,
  Violations,
} from './rules.js';

/** Lambda@Edge functions live in us-east-1; their replicas are listed with MasterRegion. */
const EDGE_MASTER_REGION = 'us-east-1';

// ---- Finding the function a request names --------------------------------------------------

interface Located {
  fn: FunctionRecord;
  /** From the ARN or the Qualifier parameter. */
  qualifier?: string;
}

/**
 * The function named by the `{FunctionName}` path label (a name, `name:qualifier`, a partial
 * or a full ARN), in the request's region. `allowQualifier: false` is for operations that
 * act on the unpublished version only.
 */
function locate(world: World, req: SandboxRequest, action: string, allowQualifier: boolean): Located {
  const raw = req.params.FunctionName ?? '';
  const qualifierParam = allowQualifier ? queryValue(req, 'Qualifier') : undefined;
  const violations = new Violations();
  const ref = parseFunctionName(raw);
  if (!ref) violations.mismatch(raw, 'functionName', FUNCTION_NAME_PATTERN);
  else if (ref.name.length > MAX_NAME_LENGTH) violations.maxLength(raw, 'functionName', MAX_NAME_LENGTH);
  violations.pattern(qualifierParam, 'qualifier', '(|[a-zA-Z0-9$_-]+)');
  violations.maxLength(qualifierParam, 'qualifier', 128);
  violations.throwIfAny();
  const { name, region, account } = ref!;
  checkSameRegion(region, req.region);
  checkSameAccount(world, account, action, functionArn(world, req.region, name, ref!.qualifier));
  checkQualifiersAgree(ref!.qualifier, qualifierParam);
  const qualifier = ref!.qualifier ?? qualifierParam;
  if (!allowQualifier && qualifier !== undefined && qualifier !== LATEST) {
    throw invalidParameter(`Unsupported qualifier in function name ${raw}: ${action} applies to the unpublished version ($LATEST) only.`);
  }
  const fn = findFunction(world, req.region, name);
  if (!fn) throw functionNotFound(functionArn(world, req.region, name, qualifier));
  return qualifier === undefined ? { fn } : { fn, qualifier };
}

function findFunction(world: World, region: string, name: string): FunctionRecord | undefined {
  return world.data.lambda.functions.find((f) => f.region === region && f.name === name);
}

/** `$LATEST` (no qualifier), a published version, or 404 (aliases are not emulated). */
function versionOf(world: World, fn: FunctionRecord, qualifier: string | undefined): FunctionVersionRecord {
  if (qualifier === undefined || qualifier === LATEST) return fn.latest;
  const version = isVersionNumber(qualifier) ? fn.versions.find((v) => v.version === qualifier) : undefined;
  if (!version) throw functionNotFound(functionArn(world, fn.region, fn.name, qualifier));
  return version;
}

// ---- Reading configuration and code from a request -----------------------------------------

type ConfigChanges = Partial<FunctionConfig>;

/**
 * The configuration members CreateFunction and UpdateFunctionConfiguration share, checked
 * against the model's constraints. Present keys are changes; `environment: undefined`,
 * `deadLetterTargetArn: undefined` clear the setting.
 */
function readConfiguration(input: Json, violations: Violations, options: { architectures: boolean }): ConfigChanges {
  const changes: ConfigChanges = {};
  const runtime = str(input, 'Runtime');
  violations.oneOf(runtime, 'runtime', RUNTIMES);
  if (runtime !== undefined) changes.runtime = runtime;

  const handler = str(input, 'Handler');
  violations.maxLength(handler, 'handler', MAX_HANDLER_LENGTH);
  violations.pattern(handler, 'handler', '[^\\s]+');
  if (handler !== undefined) changes.handler = handler;

  const description = str(input, 'Description');
  violations.maxLength(description, 'description', MAX_DESCRIPTION_LENGTH);
  if (description !== undefined) changes.description = description;

  const timeout = int(input, 'Timeout');
  violations.range(timeout, 'timeout', TIMEOUT_RANGE);
  if (timeout !== undefined) changes.timeout = timeout;

  const memorySize = int(input, 'MemorySize');
  violations.range(memorySize, 'memorySize', MEMORY_RANGE);
  if (memorySize !== undefined) changes.memorySize = memorySize;

  const snapStart = obj(input, 'SnapStart');
  if (snapStart) {
    const applyOn = str(snapStart, 'ApplyOn');
    violations.oneOf(applyOn, 'snapStart.applyOn', ['PublishedVersions', 'None']);
    changes.snapStart = applyOn === 'PublishedVersions' ? 'PublishedVersions' : undefined;
  }

  const environment = obj(input, 'Environment');
  if (environment) {
    const variables = strMap(environment, 'Variables');
    checkEnvironment(variables, violations);
    changes.environment = variables && Object.keys(variables).length > 0 ? { ...variables } : undefined;
  }

  const layers = strList(input, 'Layers');
  if (layers) {
    violations.maxLength(layers, 'layers', MAX_LAYERS);
    for (const layer of layers) violations.pattern(layer, 'layers', LAYER_VERSION_PATTERN);
    changes.layers = [...layers];
  }

  const vpc = obj(input, 'VpcConfig');
  if (vpc) {
    const subnets = strList(vpc, 'SubnetIds') ?? [];
    violations.maxLength(subnets, 'vpcConfig.subnetIds', MAX_SUBNETS);
    changes.vpcSubnetIds = [...subnets];
  }

  const deadLetter = obj(input, 'DeadLetterConfig');
  if (deadLetter) {
    const target = str(deadLetter, 'TargetArn');
    violations.pattern(target, 'deadLetterConfig.targetArn', '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()');
    changes.deadLetterTargetArn = target ? target : undefined;
  }

  const tracing = obj(input, 'TracingConfig');
  if (tracing) {
    const mode = str(tracing, 'Mode');
    violations.oneOf(mode, 'tracingConfig.mode', ['Active', 'PassThrough']);
    if (mode !== undefined) changes.tracingMode = mode;
  }

  const storage = obj(input, 'EphemeralStorage');
  if (storage) {
    const size = int(storage, 'Size');
    violations.required(size, 'ephemeralStorage.size');
    violations.range(size, 'ephemeralStorage.size', EPHEMERAL_STORAGE_RANGE);
    if (size !== undefined) changes.ephemeralStorage = size;
  }

  const kmsKeyArn = str(input, 'KMSKeyArn');
  violations.pattern(kmsKeyArn, 'kMSKeyArn', '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()');
  // An empty string goes back to Lambda's own key (the API reference: "KMSKeyArn … default").
  if (kmsKeyArn !== undefined) changes.kmsKeyArn = kmsKeyArn || undefined;

  const logging = obj(input, 'LoggingConfig');
  if (logging) {
    const format = str(logging, 'LogFormat');
    violations.oneOf(format, 'loggingConfig.logFormat', ['JSON', 'Text']);
    const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
    const applicationLogLevel = str(logging, 'ApplicationLogLevel');
    violations.oneOf(applicationLogLevel, 'loggingConfig.applicationLogLevel', levels);
    const systemLogLevel = str(logging, 'SystemLogLevel');
    violations.oneOf(systemLogLevel, 'loggingConfig.systemLogLevel', ['DEBUG', 'INFO', 'WARN']);
    const logGroup = str(logging, 'LogGroup');
    violations.maxLength(logGroup, 'loggingConfig.logGroup', 512);
    violations.pattern(logGroup, 'loggingConfig.logGroup', '[\\.\\-_/#A-Za-z0-9]+');
    changes.logging = {
      ...(format !== undefined ? { logFormat: format } : {}),
      ...(applicationLogLevel !== undefined ? { applicationLogLevel } : {}),
      ...(systemLogLevel !== undefined ? { systemLogLevel } : {}),
      ...(logGroup !== undefined ? { logGroup } : {}),
    };
  }

  if (options.architectures) {
    const architectures = readArchitectures(input, violations);
    if (architectures) changes.architectures = architectures;
  }
  return changes;
}

/** The request members each write emulates (the service model's, less the ones below). */
const CONFIGURATION_MEMBERS = [
  'Role', 'Handler', 'Description', 'Timeout', 'MemorySize', 'VpcConfig', 'Environment', 'Runtime', 'DeadLetterConfig', 'KMSKeyArn',
  'TracingConfig', 'Layers', 'EphemeralStorage', 'SnapStart', 'LoggingConfig',
];
const CREATE_MEMBERS = new Set([...CONFIGURATION_MEMBERS, 'FunctionName', 'Code', 'Publish', 'PackageType', 'Tags', 'Architectures']);
const UPDATE_CONFIGURATION_MEMBERS = new Set([...CONFIGURATION_MEMBERS, 'RevisionId']);

/**
 * A member the sandbox does not emulate (FileSystemConfigs, ImageConfig, CodeSigningConfigArn,
 * members newer than this code) is refused, saying so, rather than dropped: a client that sent
 * it would otherwise read back a function without it and believe it was kept.
 */
function refuseUnemulated(input: Json, members: ReadonlySet<string>, operation: string): void {
  const unknown = Object.keys(input).filter((key) => !members.has(key) && input[key] !== undefined && input[key] !== null);
  if (unknown.length) {
    throw invalidParameter(`The sandbox does not emulate ${unknown.join(', ')} for ${operation}; leave ${unknown.length === 1 ? 'it' : 'them'} out, or use an AWS account.`);
  }
}

function readArchitectures(input: Json, violations: Violations): string[] | undefined {
  const architectures = strList(input, 'Architectures');
  if (!architectures) return undefined;
  if (architectures.length !== 1) {
    violations.add(architectures, 'architectures', `Member must have length ${architectures.length === 0 ? 'greater' : 'less'} than or equal to 1`);
  }
  for (const architecture of architectures) violations.oneOf(architecture, 'architectures', ['x86_64', 'arm64']);
  return [...architectures];
}

/**
 * The deployment package: `ZipFile` (base64 in JSON). The sandbox has no S3 and no ECR, so
 * a package in S3 is a bucket that does not exist, and container images are refused.
 */
function readZip(code: Json): Buffer {
  const zip = blob(code, 'ZipFile');
  const bucket = str(code, 'S3Bucket');
  const imageUri = str(code, 'ImageUri');
  if (imageUri !== undefined) {
    throw invalidParameter('Please don\'t provide ImageUri when creating or updating a function with packageType Zip.');
  }
  if (zip !== undefined && bucket !== undefined) {
    throw invalidParameter('Please do not provide other FunctionCode parameters when providing a ZipFile.');
  }
  if (bucket !== undefined) {
    throw invalidParameter('Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist');
  }
  if (zip === undefined) throw invalidParameter('Please provide a source for function code.');
  checkDeploymentPackage(zip);
  return zip;
}

/** Keeps the zip under its CodeSha256 (base64 of its SHA-256), which Code.Location serves. */
function storeCode(world: World, zip: Buffer): { codeSha256: string; codeSize: number } {
  const codeSha256 = createHash('sha256').update(zip).digest('base64');
  world.data.lambda.code[codeSha256] = zip.toString('base64');
  return { codeSha256, codeSize: zip.length };
}

/** Drops zips no version of any function refers to any more. */
function collectUnusedCode(world: World): void {
  const used = new Set<string>();
  for (const fn of world.data.lambda.functions) {
    used.add(fn.latest.codeSha256);
    for (const version of fn.versions) used.add(version.codeSha256);
  }
  for (const sha of Object.keys(world.data.lambda.code)) if (!used.has(sha)) delete world.data.lambda.code[sha];
}

function checkTags(tags: Record<string, string>, violations: Violations): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) violations.add(key, 'tags', 'Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]');
    if (value.length > 256) violations.add(value, 'tags', 'Map values must satisfy constraint: [Member must have length less than or equal to 256]');
  }
}

// ---- Versions ------------------------------------------------------------------------------

/**
 * Publishes $LATEST as the next version number (numbers are never reused), or returns the
 * newest version when code and configuration have not changed since it was published.
 */
function publish(world: World, fn: FunctionRecord, description: string | undefined): FunctionVersionRecord {
  const newest = fn.versions.at(-1);
  if (newest && unchangedSinceVersion(fn.latest, newest)) return newest;
  fn.lastPublished += 1;
  const version: FunctionVersionRecord = {
    version: String(fn.lastPublished),
    config: structuredClone({ ...fn.latest.config, description: description ?? fn.latest.config.description }),
    codeSha256: fn.latest.codeSha256,
    codeSize: fn.latest.codeSize,
    lastModified: world.now(),
    revisionId: uuid(),
  };
  fn.versions.push(version);
  return version;
}

/** Marks $LATEST changed: new RevisionId and LastModified, LastUpdateStatus InProgress for a while. */
function touch(world: World, fn: FunctionRecord): void {
  const now = world.now();
  fn.latest.lastModified = now;
  fn.latest.revisionId = uuid();
  fn.updateDoneAt = now + world.delays.lambdaStateMs;
}

// ---- Pagination ----------------------------------------------------------------------------

function pageSize(req: SandboxRequest): number {
  const raw = queryValue(req, 'MaxItems');
  if (raw === undefined) return MAX_PAGE_SIZE;
  const value = Number(raw);
  const violations = new Violations();
  if (!Number.isInteger(value)) violations.add(raw, 'maxItems', 'Member must be an integer');
  else violations.range(value, 'maxItems', MAX_ITEMS_RANGE);
  violations.throwIfAny();
  return Math.min(value, MAX_PAGE_SIZE);
}

/** Sorted by key; the opaque marker is the key of the last item returned. */
function paginate<T>(items: T[], keyOf: (item: T) => string, req: SandboxRequest): { page: T[]; nextMarker?: string } {
  const size = pageSize(req);
  const marker = queryValue(req, 'Marker');
  const sorted = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const after = marker === undefined ? undefined : Buffer.from(marker, 'base64url').toString('utf8');
  let start = after === undefined ? 0 : sorted.findIndex((entry) => entry.key > after);
  if (start < 0) start = sorted.length;
  const page = sorted.slice(start, start + size);
  const last = page.at(-1);
  return start + size < sorted.length && last
    ? { page: page.map((entry) => entry.item), nextMarker: Buffer.from(last.key, 'utf8').toString('base64url') }
    : { page: page.map((entry) => entry.item) };
}

/** $LATEST first, then versions in numeric order. */
function versionKey(version: string): string {
  return version === LATEST ? '' : version.padStart(12, '0');
}

// ---- Operations ----------------------------------------------------------------------------

export function createFunction(req: SandboxRequest, world: World): SandboxReply {
  if (req.body.length > CREATE_FUNCTION_MAX_REQUEST_BYTES) {
    throw new AwsError(
      'RequestEntityTooLargeException',
      413,
      `Request must be smaller than ${CREATE_FUNCTION_MAX_REQUEST_BYTES} bytes for the CreateFunction operation`,
    );
  }
  const input = body(req);
  refuseUnemulated(input, CREATE_MEMBERS, 'CreateFunction');
  const violations = new Violations();
  const rawName = str(input, 'FunctionName');
  violations.required(rawName, 'functionName');
  const ref = rawName === undefined ? undefined : parseFunctionName(rawName);
  if (rawName !== undefined) {
    if (!ref || ref.qualifier !== undefined) violations.mismatch(rawName, 'functionName', UNQUALIFIED_FUNCTION_NAME_PATTERN);
    else if (ref.name.length > MAX_NAME_LENGTH) violations.maxLength(ref.name, 'functionName', MAX_NAME_LENGTH);
    violations.maxLength(rawName, 'functionName', MAX_FUNCTION_ARN_LENGTH);
  }
  const role = str(input, 'Role');
  violations.required(role, 'role');
  violations.pattern(role, 'role', ROLE_PATTERN);
  const code = obj(input, 'Code');
  violations.required(code, 'code');
  const packageType = str(input, 'PackageType');
  violations.oneOf(packageType, 'packageType', ['Zip', 'Image']);
  const changes = readConfiguration(input, violations, { architectures: true });
  const tags = strMap(input, 'Tags') ?? {};
  checkTags(tags, violations);
  violations.throwIfAny();

  const { name, region, account } = ref!;
  checkSameRegion(region, req.region);
  checkSameAccount(world, account, 'CreateFunction', functionArn(world, req.region, name));
  if (packageType === 'Image') {
    throw invalidParameter('The sandbox emulates .zip deployment packages only (PackageType Zip).');
  }
  const config: FunctionConfig = {
    role: role!,
    description: '',
    timeout: DEFAULTS.timeout,
    memorySize: DEFAULTS.memorySize,
    layers: [],
    vpcSubnetIds: [],
    architectures: [...DEFAULTS.architectures],
    packageType: DEFAULTS.packageType,
    ephemeralStorage: DEFAULTS.ephemeralStorage,
    tracingMode: DEFAULTS.tracingMode,
    ...changes,
  };
  checkRuntimeAndHandler(config);
  checkRuntimeSupported(config.runtime, world.now(), 'create');
  checkSnapStart(config);
  checkEnvironmentLimits(config.environment);
  const zip = readZip(code!);
  if (findFunction(world, req.region, name)) throw resourceConflict(`Function already exist: ${name}`);
  checkRoleAssumable(world, role!);

  const now = world.now();
  const fn: FunctionRecord = {
    region: req.region,
    name,
    latest: { version: LATEST, config, ...storeCode(world, zip), lastModified: now, revisionId: uuid() },
    versions: [],
    lastPublished: 0,
    tags: { ...tags },
    activeAt: now + world.delays.lambdaStateMs,
    updateDoneAt: now + world.delays.lambdaStateMs,
  };
  world.data.lambda.functions.push(fn);
  // With Publish, Lambda answers with version 1 (Version "1") under the unqualified ARN.
  const shown = bool(input, 'Publish') ? publish(world, fn, undefined) : fn.latest;
  return jsonReply(renderConfiguration(world, fn, shown, { qualifiedArn: false }), 201);
}

export function getFunction(req: SandboxRequest, world: World): SandboxReply {
  const { fn, qualifier } = locate(world, req, 'GetFunction', true);
  const record = versionOf(world, fn, qualifier);
  const reply: Record<string, unknown> = {
    Configuration: renderConfiguration(world, fn, record, { qualifiedArn: qualifier !== undefined }),
    Code: { RepositoryType: 'S3', Location: codeUrl(req.baseUrl, record.codeSha256) },
  };
  if (Object.keys(fn.tags).length > 0) reply.Tags = { ...fn.tags };
  return jsonReply(reply);
}

export function getFunctionConfiguration(req: SandboxRequest, world: World): SandboxReply {
  const { fn, qualifier } = locate(world, req, 'GetFunctionConfiguration', true);
  const record = versionOf(world, fn, qualifier);
  return jsonReply(renderConfiguration(world, fn, record, { qualifiedArn: qualifier !== undefined }));
}

export function deleteFunction(req: SandboxRequest, world: World): SandboxReply {
  const { fn, qualifier } = locate(world, req, 'DeleteFunction', true);
  const lambda = world.data.lambda;
  if (qualifier !== undefined) {
    checkNotLatest(qualifier);
    const version = versionOf(world, fn, qualifier);
    const arn = functionArn(world, fn.region, fn.name, version.version);
    checkNotReplicated(world, arn);
    fn.versions = fn.versions.filter((v) => v !== version);
    delete lambda.replicas[arn];
  } else {
    const arns = fn.versions.map((v) => functionArn(world, fn.region, fn.name, v.version));
    for (const arn of arns) checkNotReplicated(world, arn);
    lambda.functions = lambda.functions.filter((f) => f !== fn);
    for (const arn of arns) delete lambda.replicas[arn];
  }
  collectUnusedCode(world);
  return jsonReply(undefined, 204);
}

export function updateFunctionCode(req: SandboxRequest, world: World): SandboxReply {
  const { fn } = locate(world, req, 'UpdateFunctionCode', false);
  const input = body(req);
  const violations = new Violations();
  const architectures = readArchitectures(input, violations);
  const revisionId = str(input, 'RevisionId');
  const shouldPublish = bool(input, 'Publish') ?? false;
  const dryRun = bool(input, 'DryRun') ?? false;
  violations.throwIfAny();
  const zip = readZip(input);
  // An update of code is an update: a runtime past its update block refuses it too.
  checkRuntimeSupported(fn.latest.config.runtime, world.now(), 'update');
  checkNoChangeInProgress(world, fn);
  checkRevisionId(revisionId, fn.latest);

  const codeSha256 = createHash('sha256').update(zip).digest('base64');
  if (dryRun) {
    const preview: FunctionVersionRecord = {
      ...structuredClone(fn.latest),
      codeSha256,
      codeSize: zip.length,
      ...(architectures ? { config: { ...structuredClone(fn.latest.config), architectures } } : {}),
    };
    return jsonReply(renderConfiguration(world, fn, preview, { qualifiedArn: false }));
  }
  Object.assign(fn.latest, storeCode(world, zip));
  if (architectures) fn.latest.config.architectures = architectures;
  touch(world, fn);
  const published = shouldPublish ? publish(world, fn, undefined) : undefined;
  collectUnusedCode(world);
  return jsonReply(
    published
      ? renderConfiguration(world, fn, published, { qualifiedArn: true })
      : renderConfiguration(world, fn, fn.latest, { qualifiedArn: false }),
  );
}

export function updateFunctionConfiguration(req: SandboxRequest, world: World): SandboxReply {
  const { fn } = locate(world, req, 'UpdateFunctionConfiguration', false);
  const input = body(req);
  refuseUnemulated(input, UPDATE_CONFIGURATION_MEMBERS, 'UpdateFunctionConfiguration');
  const violations = new Violations();
  const role = str(input, 'Role');
  violations.pattern(role, 'role', ROLE_PATTERN);
  const revisionId = str(input, 'RevisionId');
  const changes = readConfiguration(input, violations, { architectures: false });
  violations.throwIfAny();
  // A function on a runtime past its update block cannot be changed, except off that runtime.
  checkRuntimeSupported(changes.runtime ?? fn.latest.config.runtime, world.now(), 'update');
  if ('environment' in changes) checkEnvironmentLimits(changes.environment);
  checkNoChangeInProgress(world, fn);
  checkRevisionId(revisionId, fn.latest);
  if (role !== undefined) checkRoleAssumable(world, role);

  const config: FunctionConfig = { ...fn.latest.config, ...changes, ...(role !== undefined ? { role } : {}) };
  checkSnapStart(config);
  checkRuntimeAndHandler(config);
  fn.latest.config = config;
  touch(world, fn);
  return jsonReply(renderConfiguration(world, fn, fn.latest, { qualifiedArn: false }));
}

export function publishVersion(req: SandboxRequest, world: World): SandboxReply {
  const { fn } = locate(world, req, 'PublishVersion', false);
  const input = body(req);
  const violations = new Violations();
  const codeSha256 = str(input, 'CodeSha256');
  const description = str(input, 'Description');
  violations.maxLength(description, 'description', MAX_DESCRIPTION_LENGTH);
  const revisionId = str(input, 'RevisionId');
  violations.throwIfAny();
  checkNoChangeInProgress(world, fn);
  checkRevisionId(revisionId, fn.latest);
  checkCodeSha256(codeSha256, fn.latest);
  const version = publish(world, fn, description);
  return jsonReply(renderConfiguration(world, fn, version, { qualifiedArn: true }), 201);
}

export function listVersionsByFunction(req: SandboxRequest, world: World): SandboxReply {
  const { fn } = locate(world, req, 'ListVersionsByFunction', false);
  const { page, nextMarker } = paginate([fn.latest, ...fn.versions], (v) => versionKey(v.version), req);
  return jsonReply({
    ...(nextMarker ? { NextMarker: nextMarker } : {}),
    Versions: page.map((v) => renderConfiguration(world, fn, v, { qualifiedArn: true })),
  });
}

/**
 * The region's functions ($LATEST, or every version with FunctionVersion=ALL); with
 * MasterRegion, the Lambda@Edge replicas of us-east-1 function versions instead.
 */
export function listFunctions(req: SandboxRequest, world: World): SandboxReply {
  const masterRegion = queryValue(req, 'MasterRegion');
  const functionVersion = queryValue(req, 'FunctionVersion');
  const violations = new Violations();
  violations.pattern(masterRegion, 'masterRegion', MASTER_REGION_PATTERN);
  violations.oneOf(functionVersion, 'functionVersion', ['ALL']);
  violations.throwIfAny();
  checkMasterRegionCombination(masterRegion, functionVersion);

  interface Entry {
    fn: FunctionRecord;
    record: FunctionVersionRecord;
  }
  const entries: Entry[] = [];
  if (masterRegion !== undefined) {
    if (masterRegion === 'ALL' || masterRegion === EDGE_MASTER_REGION) {
      for (const fn of world.data.lambda.functions.filter((f) => f.region === EDGE_MASTER_REGION)) {
        for (const record of fn.versions) {
          if (isReplicated(world, functionArn(world, fn.region, fn.name, record.version))) entries.push({ fn, record });
        }
      }
    }
  } else {
    for (const fn of world.data.lambda.functions.filter((f) => f.region === req.region)) {
      entries.push({ fn, record: fn.latest });
      if (functionVersion === 'ALL') for (const record of fn.versions) entries.push({ fn, record });
    }
  }
  const { page, nextMarker } = paginate(entries, (e) => `${e.fn.name}\u0001${versionKey(e.record.version)}`, req);
  return jsonReply({
    ...(nextMarker ? { NextMarker: nextMarker } : {}),
    Functions: page.map(({ fn, record }) =>
      renderConfiguration(world, fn, record, {
        qualifiedArn: functionVersion === 'ALL',
        listing: true,
        ...(masterRegion !== undefined ? { replicaRegion: req.region } : {}),
      }),
    ),
  });
}

// ---- Tags ----------------------------------------------------------------------------------

/** The `{Resource}` of the tag operations: a full, unqualified function ARN. */
function taggedFunction(world: World, req: SandboxRequest, action: string): FunctionRecord {
  const resource = req.params.Resource ?? '';
  const ref = parseFunctionName(resource);
  if (!ref || ref.region === undefined) {
    const violations = new Violations();
    violations.mismatch(resource, 'resource', FUNCTION_ARN_PATTERN);
    throw violations.toError();
  }
  checkSameRegion(ref.region, req.region);
  checkSameAccount(world, ref.account, action, resource);
  checkTaggableArn(ref.qualifier);
  const fn = findFunction(world, req.region, ref.name);
  if (!fn) throw functionNotFound(functionArn(world, req.region, ref.name));
  return fn;
}

export function tagResource(req: SandboxRequest, world: World): SandboxReply {
  const fn = taggedFunction(world, req, 'TagResource');
  const input = body(req);
  const violations = new Violations();
  const tags = strMap(input, 'Tags');
  violations.required(tags, 'tags');
  if (tags) checkTags(tags, violations);
  violations.throwIfAny();
  Object.assign(fn.tags, tags);
  return jsonReply(undefined, 204);
}

export function untagResource(req: SandboxRequest, world: World): SandboxReply {
  const fn = taggedFunction(world, req, 'UntagResource');
  const keys = req.query.getAll('tagKeys');
  const violations = new Violations();
  if (keys.length === 0) violations.required(undefined, 'tagKeys');
  violations.throwIfAny();
  for (const key of keys) delete fn.tags[key];
  return jsonReply(undefined, 204);
}

export function listTags(req: SandboxRequest, world: World): SandboxReply {
  const fn = taggedFunction(world, req, 'ListTags');
  return jsonReply({ Tags: { ...fn.tags } });
}
