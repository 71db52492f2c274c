/**
 * A rehearsal's start state: exact copies of real distributions (`edge-install sandbox
 * --from-distribution E…`), built from a plain description of what was read from the real
 * account (the CLI reads it, read-only, in src/aws/observe/distribution-copy.ts).
 *
 * - The configs are the XML bodies AWS answered with, parsed as they came: kept element for
 *   element in AWS's order, with no sandbox defaults filled in, so GetDistributionConfig on
 *   the copy answers what AWS answered. Same ids, domain names, ARNs and tags; the sandbox's
 *   account becomes the real one, so the copied ARNs are the sandbox's own.
 * - The custom cache and origin request policies referenced are copied under their ids (the
 *   AWS-managed ones are in every sandbox already).
 * - Lambda@Edge functions become stubs that pass requests through, under the same name and
 *   version number (the association ARNs resolve), with the real configuration when it could
 *   be read; their execution roles exist with the trust Lambda@Edge needs.
 * - CloudFront Functions keep their LIVE code when it could be read, else are stubs too.
 *
 * Nothing here talks to AWS: the description is all there is.
 */
import { createHash } from 'node:crypto';
import { validateDistributionConfig, addDistribution } from '../cloudfront/distributions.js';
import { AwsError } from '../errors.js';
import { createRole } from '../iam/roles.js';
import { etag as newEtag, uuid } from '../ids.js';
import { DEFAULTS } from '../lambda/rules.js';
import { World, type CloudFrontFunctionRecord, type CloudFrontFunctionStageRecord, type FunctionConfig, type FunctionRecord, type FunctionVersionRecord, type PolicyRecord, type SandboxData } from '../world.js';
import { clone, parseXml, text, type XmlNode } from '../xml.js';
import { seedData } from './index.js';

// ---- the description ------------------------------------------------------------------------

export interface CopiedDistribution {
  id: string;
  /** As GetDistribution gave it; absent: the sandbox's form for the account. */
  arn?: string;
  domainName: string;
  /** GetDistribution's Status: a copy of an InProgress distribution is InProgress for the sandbox's deploy delay. */
  status?: string;
  /** GetDistribution's LastModifiedTime (ISO 8601). */
  lastModified?: string;
  /** The body of GetDistributionConfig, as AWS sent it. */
  configXml: string;
  tags: Record<string, string>;
}

export interface CopiedPolicy {
  id: string;
  /** The body of GetCachePolicyConfig / GetOriginRequestPolicyConfig, as AWS sent it. */
  configXml: string;
  /** ISO 8601, when known. */
  lastModified?: string;
}

/** What the real function's GetFunctionConfiguration said (absent members: Lambda@Edge-safe defaults). */
export interface StubConfig {
  runtime?: string;
  memorySize?: number;
  timeout?: number;
  role?: string;
  architectures?: string[];
}

export interface LambdaStub {
  /** The associated version: `arn:aws:lambda:us-east-1:ACCOUNT:function:NAME:N`. */
  qualifiedArn: string;
  /** Absent when the real configuration could not be read. */
  config?: StubConfig;
  /** The function's tags (ownership markers included), when they could be read. */
  tags?: Record<string, string>;
}

export interface CopiedCloudFrontFunction {
  name: string;
  arn: string;
  /** The LIVE stage's code, base64; absent when it could not be read (the copy is a pass-through stub). */
  code?: string;
  runtime?: string;
  comment?: string;
  keyValueStoreArns?: string[];
}

export interface DistributionCopy {
  /** The real account: the sandbox answers GetCallerIdentity with it and accepts its ARNs as its own. */
  accountId: string;
  distributions: CopiedDistribution[];
  cachePolicies: CopiedPolicy[];
  originRequestPolicies: CopiedPolicy[];
  lambdaStubs: LambdaStub[];
  cloudFrontFunctions: CopiedCloudFrontFunction[];
}

// ---- stubs ----------------------------------------------------------------------------------

/** The role stubs run as when the real function's role is not known. */
export const STUB_ROLE_NAME = 'edge-install-rehearsal-stub';
/** Every edge runtime accepts these for every event type (viewer events: at most 128 MB and 5 s). */
export const STUB_DEFAULTS = { runtime: 'nodejs24.x', memorySize: 128, timeout: 5 } as const;

const EDGE_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
});

export const stubDescription = (qualifiedArn: string): string => `edge-install rehearsal stub of ${qualifiedArn}: passes requests through`.slice(0, 256);

/** The stub's source: returns the response on response events, the request on request events. */
export function stubSource(qualifiedArn: string, runtime: string): { file: string; source: string } {
  if (runtime.startsWith('python')) {
    return {
      file: 'index.py',
      source: `# ${stubDescription(qualifiedArn)}.\ndef handler(event, context):\n    cf = event["Records"][0]["cf"]\n    return cf.get("response") or cf["request"]\n`,
    };
  }
  return {
    file: 'index.js',
    source: `// ${stubDescription(qualifiedArn)}.\n'use strict';\nexports.handler = async (event) => {\n  const cf = event.Records[0].cf;\n  return cf.response ?? cf.request;\n};\n`,
  };
}

export const CLOUDFRONT_FUNCTION_STUB = 'function handler(event) {\n  // edge-install rehearsal stub: passes requests (and responses) through.\n  return event.response || event.request;\n}\n';

// ---- a stored zip (no compression), enough for one small file -------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A one-entry zip archive, stored, with a fixed timestamp (1980-01-01): the same bytes every time. */
export function storedZip(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name, 'utf8');
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0, 6); // flags
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt16LE(0, 10); // time
  local.writeUInt16LE(0x21, 12); // date: 1980-01-01
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
  central.writeUInt32LE(0, 42); // offset of the local header
  const localSize = local.length + fileName.length + content.length;
  const centralSize = central.length + fileName.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

// ---- building the state ---------------------------------------------------------------------

/** The XML body AWS sent, as the sandbox stores it: the root element without its namespace. */
function parseBody(xml: string, root: string): XmlNode {
  const node = parseXml(xml);
  if (node.name !== root) throw new Error(`expected a ${root} document, got ${node.name}`);
  delete node.attrs;
  return node;
}

const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role(\/(?:[^/]+\/)*)([\w+=,.@-]+)$/;
const VERSION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+):([1-9]\d*)$/;

const isoOr = (value: string | undefined, fallback: number): number => {
  const ms = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(ms) ? fallback : ms;
};

/** The role a stub runs as: the real one when it is in the copied account, else the stub role; created once. */
function ensureRole(world: World, wanted: string | undefined): string {
  const match = wanted === undefined ? null : ROLE_ARN.exec(wanted);
  const [path, name] = match && match[1] === world.accountId ? [match[2]!, match[3]!] : ['/', STUB_ROLE_NAME];
  const existing = world.data.iam.roles.find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (existing) return existing.arn;
  const role = createRole(world, {
    name,
    path,
    assumeRolePolicyDocument: EDGE_TRUST_POLICY,
    description: name === STUB_ROLE_NAME ? 'edge-install rehearsal: the role of Lambda@Edge stubs' : 'edge-install rehearsal: stands in for the real role (trust only, no permissions)',
    maxSessionDuration: 3600,
    tags: {},
  });
  // A copy is not a new role: Lambda can assume it from the start.
  role.propagatedAt = role.created;
  return role.arn;
}

function stubVersion(world: World, stub: LambdaStub, version: string, now: number): FunctionVersionRecord {
  const given = stub.config ?? {};
  const runtime = given.runtime ?? STUB_DEFAULTS.runtime;
  const { file, source } = stubSource(stub.qualifiedArn, runtime);
  const zip = storedZip(file, Buffer.from(source, 'utf8'));
  const codeSha256 = createHash('sha256').update(zip).digest('base64');
  world.data.lambda.code[codeSha256] = zip.toString('base64');
  const config: FunctionConfig = {
    runtime,
    role: ensureRole(world, given.role),
    handler: 'index.handler',
    description: stubDescription(stub.qualifiedArn),
    timeout: given.timeout ?? STUB_DEFAULTS.timeout,
    memorySize: given.memorySize ?? STUB_DEFAULTS.memorySize,
    layers: [],
    vpcSubnetIds: [],
    architectures: given.architectures?.length ? [...given.architectures] : [...DEFAULTS.architectures],
    packageType: DEFAULTS.packageType,
    ephemeralStorage: DEFAULTS.ephemeralStorage,
    tracingMode: DEFAULTS.tracingMode,
  };
  return { version, config, codeSha256, codeSize: zip.length, lastModified: now, revisionId: uuid() };
}

function addLambdaStubs(world: World, stubs: LambdaStub[]): void {
  const now = world.now();
  const byFunction = new Map<string, { region: string; name: string; versions: [number, LambdaStub][] }>();
  for (const stub of stubs) {
    const match = VERSION_ARN.exec(stub.qualifiedArn);
    // Not a numbered version of this account: CloudFront would refuse the association anyway (rehearsalProblems says so).
    if (!match || match[2] !== world.accountId) continue;
    const [, region, , name, number] = match as unknown as [string, string, string, string, string];
    const key = `${region}\u0001${name}`;
    const entry = byFunction.get(key) ?? { region, name, versions: [] };
    if (!entry.versions.some(([n]) => n === Number(number))) entry.versions.push([Number(number), stub]);
    byFunction.set(key, entry);
  }
  for (const { region, name, versions } of byFunction.values()) {
    versions.sort(([a], [b]) => a - b);
    const records = versions.map(([n, stub]) => stubVersion(world, stub, String(n), now));
    const newest = records.at(-1)!;
    const tags = Object.assign({}, ...versions.map(([, stub]) => stub.tags ?? {})) as Record<string, string>;
    const fn: FunctionRecord = {
      region,
      name,
      latest: { ...structuredClone(newest), version: '$LATEST', revisionId: uuid() },
      versions: records,
      // The next PublishVersion continues after the newest copied version, as it would in the real account.
      lastPublished: versions.at(-1)![0],
      tags,
      activeAt: now,
      updateDoneAt: now,
    };
    world.data.lambda.functions.push(fn);
  }
}

function addPolicies(world: World, into: PolicyRecord[], copied: CopiedPolicy[], root: string): void {
  const now = world.now();
  for (const policy of copied) {
    // AWS-managed policies are in every sandbox, under the same ids and contents.
    if (into.some((p) => p.id === policy.id)) continue;
    const config = parseBody(policy.configXml, root);
    into.push({
      id: policy.id,
      type: (text(config, 'Name') ?? '').startsWith('Managed-') ? 'managed' : 'custom',
      etag: newEtag(),
      lastModified: isoOr(policy.lastModified, now),
      config,
    });
  }
}

function addCloudFrontFunctions(world: World, copied: CopiedCloudFrontFunction[]): void {
  const now = world.now();
  for (const fn of copied) {
    if (world.cloudFrontFunctions.some((f) => f.name === fn.name)) continue;
    const stage = (): CloudFrontFunctionStageRecord => ({
      runtime: fn.runtime ?? 'cloudfront-js-2.0',
      comment: fn.code === undefined ? `edge-install rehearsal stub of ${fn.name}: passes requests through`.slice(0, 128) : (fn.comment ?? ''),
      code: fn.code ?? Buffer.from(CLOUDFRONT_FUNCTION_STUB, 'utf8').toString('base64'),
      keyValueStoreArns: fn.code === undefined ? [] : [...(fn.keyValueStoreArns ?? [])],
      etag: newEtag(),
      lastModified: now,
    });
    const record: CloudFrontFunctionRecord = { name: fn.name, arn: fn.arn, created: now, development: stage(), live: stage() };
    world.cloudFrontFunctions.push(record);
  }
}

/** The sandbox state for a rehearsal: the managed policies, then everything the copy describes. */
export function copyData(copy: DistributionCopy): SandboxData {
  const world = new World(seedData('empty'));
  world.data.accountId = copy.accountId;
  const cf = world.data.cloudfront;
  addLambdaStubs(world, copy.lambdaStubs);
  addPolicies(world, cf.cachePolicies, copy.cachePolicies, 'CachePolicyConfig');
  addPolicies(world, cf.originRequestPolicies, copy.originRequestPolicies, 'OriginRequestPolicyConfig');
  addCloudFrontFunctions(world, copy.cloudFrontFunctions);
  for (const d of copy.distributions) {
    const config = parseBody(d.configXml, 'DistributionConfig');
    const deployed = d.status !== 'InProgress';
    const record = addDistribution(world, clone(config), { id: d.id, arn: d.arn, domainName: d.domainName, deployed, tags: { ...d.tags } });
    // Exactly as AWS answered: no defaults filled in, no members reordered.
    record.config = config;
    if (deployed) {
      record.lastModified = isoOr(d.lastModified, record.lastModified);
      record.deployedAt = record.lastModified;
    }
  }
  return world.snapshot();
}

/**
 * What CloudFront would refuse in the copied state: one line per distribution whose config
 * the sandbox would not accept back unchanged (so a rehearsal's UpdateDistribution would fail
 * for a reason that is not the change). Empty when every copy can be written back as it is.
 */
export function rehearsalProblems(data: SandboxData): string[] {
  const world = new World(structuredClone(data));
  const problems: string[] = [];
  for (const d of world.data.cloudfront.distributions) {
    try {
      validateDistributionConfig(world, d.config, d.id);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      problems.push(`${d.id}: ${error.code}: ${error.message}`);
    }
  }
  return problems;
}
