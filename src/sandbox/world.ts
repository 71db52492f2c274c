/**
 * Everything the sandbox knows, as plain JSON-serialisable data (so `--state-file` and
 * `GET /_sandbox/state` are a JSON.stringify away), plus the options that shape its rules.
 * Time-based facts are absolute due times on the sandbox clock (see clock.ts).
 */
import { Clock } from './clock.js';
import { ACCOUNT_ID as DEFAULT_ACCOUNT_ID } from './ids.js';
import type { XmlNode } from './xml.js';

export interface Quotas {
  cacheBehaviorsPerDistribution: number;
  originsPerDistribution: number;
  /** Lambda@Edge function associations ("triggers") per distribution. */
  lambdaAssociationsPerDistribution: number;
  customHeadersPerOrigin: number;
  customCachePoliciesPerAccount: number;
  /** Continuous deployment: staging distributions per account (CopyDistribution, Staging=true). */
  stagingDistributionsPerAccount: number;
  /** Continuous deployment policies per account. */
  continuousDeploymentPoliciesPerAccount: number;
}

export interface Delays {
  /** UpdateDistribution/CreateDistribution: InProgress → Deployed. */
  deployMs: number;
  /** Lambda CreateFunction: Pending → Active; updates: LastUpdateStatus InProgress → Successful. */
  lambdaStateMs: number;
  /** After CreateRole/UpdateAssumeRolePolicy, Lambda cannot assume the role yet. */
  iamPropagationMs: number;
  /** After the last association of a version is removed, its replicas linger this long. */
  replicaDeletionMs: number;
}

/**
 * CloudFront's current defaults (CloudFront Developer Guide, "Quotas"): 75 cache behaviors and
 * 100 origins per distribution, 100 Lambda@Edge functions per distribution (all adjustable), 10
 * custom headers per origin, 20 custom cache policies per account. The Service Quotas service
 * serves them (servicequotas/service.ts); a sandbox started with other quotas is an account
 * that was granted an increase.
 */
export const DEFAULT_QUOTAS: Quotas = {
  cacheBehaviorsPerDistribution: 75,
  originsPerDistribution: 100,
  lambdaAssociationsPerDistribution: 100,
  customHeadersPerOrigin: 10,
  customCachePoliciesPerAccount: 20,
  // "Quotas and other considerations for continuous deployment": 20 staging distributions and
  // 20 continuous deployment policies per AWS account.
  stagingDistributionsPerAccount: 20,
  continuousDeploymentPoliciesPerAccount: 20,
};

export const DEFAULT_DELAYS: Delays = {
  deployMs: 3_000,
  lambdaStateMs: 500,
  iamPropagationMs: 2_000,
  replicaDeletionMs: 60_000,
};

// ---- CloudFront ------------------------------------------------------------------------

export interface DistributionRecord {
  id: string;
  arn: string;
  domainName: string;
  etag: string;
  /** The DistributionConfig element exactly as last written (lists normalised). */
  config: XmlNode;
  lastModified: number;
  deployedAt: number;
  tags: Record<string, string>;
  invalidations: InvalidationRecord[];
}

/**
 * A continuous deployment policy (CloudFront API, CreateContinuousDeploymentPolicy): the
 * ContinuousDeploymentPolicyConfig element as the client sent it (lists normalised).
 */
export interface ContinuousDeploymentPolicyRecord {
  id: string;
  etag: string;
  lastModified: number;
  /** ContinuousDeploymentPolicyConfig element. */
  config: XmlNode;
}

export interface InvalidationRecord {
  id: string;
  createTime: number;
  completedAt: number;
  batch: XmlNode;
}

export interface PolicyRecord {
  id: string;
  type: 'managed' | 'custom';
  etag: string;
  lastModified: number;
  /** CachePolicyConfig or OriginRequestPolicyConfig element. */
  config: XmlNode;
}

// ---- Lambda ----------------------------------------------------------------------------

/** The configuration fields Lambda returns; versions snapshot them. */
export interface FunctionConfig {
  runtime?: string;
  role: string;
  handler?: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment?: Record<string, string>;
  layers: string[];
  vpcSubnetIds: string[];
  deadLetterTargetArn?: string;
  architectures: string[];
  packageType: string;
  ephemeralStorage: number;
  tracingMode: string;
  /** SnapStart's ApplyOn when set to PublishedVersions (absent: None). */
  snapStart?: 'PublishedVersions';
  /** A customer managed key for the environment (absent: Lambda's own key). */
  kmsKeyArn?: string;
  /** LoggingConfig as set (absent members: Text, the function's own log group). */
  logging?: { logFormat?: string; applicationLogLevel?: string; systemLogLevel?: string; logGroup?: string };
}

export interface FunctionVersionRecord {
  version: string; // "$LATEST" or "1", "2", …
  config: FunctionConfig;
  codeSha256: string;
  codeSize: number;
  lastModified: number;
  revisionId: string;
}

export interface FunctionRecord {
  region: string;
  name: string;
  latest: FunctionVersionRecord;
  versions: FunctionVersionRecord[];
  lastPublished: number;
  tags: Record<string, string>;
  /** Pending until this time, then Active. */
  activeAt: number;
  /** LastUpdateStatus InProgress until this time, then Successful. */
  updateDoneAt: number;
}

export interface ReplicaRecord {
  /** null while the version is attached to some distribution. */
  detachedAt: number | null;
}

// ---- IAM -------------------------------------------------------------------------------

export interface RoleRecord {
  name: string;
  id: string;
  arn: string;
  path: string;
  description?: string;
  maxSessionDuration: number;
  assumeRolePolicyDocument: string;
  created: number;
  /** Lambda cannot assume the role before this time (IAM eventual consistency). */
  propagatedAt: number;
  inlinePolicies: Record<string, string>;
  attachedPolicyArns: string[];
  tags: Record<string, string>;
}

// ---- Secrets Manager -------------------------------------------------------------------

export interface SecretVersionRecord {
  versionId: string;
  secretString?: string;
  secretBinary?: string; // base64
  stages: string[];
  created: number;
}

export interface SecretRecord {
  arn: string;
  name: string;
  region: string;
  description?: string;
  kmsKeyId?: string;
  replicaRegions: string[];
  tags: { Key: string; Value: string }[];
  versions: SecretVersionRecord[];
  created: number;
  lastChanged: number;
  /** Set when DeleteSecret scheduled the deletion; the secret is purged at this time. */
  deletionDate?: number;
}

// ---- CloudFront Functions ---------------------------------------------------------------

/** One stage (DEVELOPMENT or LIVE) of a CloudFront Function. */
export interface CloudFrontFunctionStageRecord {
  /** cloudfront-js-1.0 or cloudfront-js-2.0. */
  runtime: string;
  comment: string;
  /** The function's source, base64 (FunctionCode is a blob). */
  code: string;
  keyValueStoreArns: string[];
  etag: string;
  lastModified: number;
}

export interface CloudFrontFunctionRecord {
  name: string;
  arn: string;
  created: number;
  development: CloudFrontFunctionStageRecord;
  /** Absent until PublishFunction. */
  live?: CloudFrontFunctionStageRecord;
  /** CreateFunction's Tags, when it had any. */
  tags?: Record<string, string>;
}

// ---- CloudWatch Logs -------------------------------------------------------------------

export interface LogEventRecord {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /**
   * Unique in its log group: 56 decimal digits, as AWS's event ids look (logs/groups.ts makes
   * them: timestamp, ingestion time, ingestion sequence), so their order is the events' order.
   */
  eventId: string;
}

export interface LogStreamRecord {
  name: string;
  created: number;
  events: LogEventRecord[];
}

export interface LogGroupRecord {
  region: string;
  name: string;
  created: number;
  retentionInDays?: number;
  streams: LogStreamRecord[];
  /** STANDARD unless CreateLogGroup asked for INFREQUENT_ACCESS or DELIVERY. */
  logGroupClass?: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
  /** Events ingested so far (the last part of each event id). */
  eventSequence?: number;
}

// ---- CloudWatch metrics ----------------------------------------------------------------

/** One minute of one metric series (metrics/store.ts): exact aggregates plus the values' histogram for percentiles. */
export interface MetricBucketRecord {
  /** Start of the minute, epoch ms. */
  t: number;
  /** SampleCount. */
  n: number;
  sum: number;
  min: number;
  max: number;
  /** The distinct values, ascending (at most metrics/store.ts MAX_VALUES_PER_BUCKET; merged past that). */
  values: number[];
  /** How many times each value was recorded (counts[i] for values[i]). */
  counts: number[];
}

/** One metric (region, namespace, name, dimension set) in one unit, minute buckets oldest first. */
export interface MetricSeriesRecord {
  region: string;
  namespace: string;
  metricName: string;
  /** In the order first published (the metric's identity ignores the order). */
  dimensions: { name: string; value: string }[];
  unit: string;
  buckets: MetricBucketRecord[];
}

// ---- S3 --------------------------------------------------------------------------------

/** One object (s3/store.ts): the bytes of a single-part upload and what S3 keeps with them. */
export interface S3ObjectRecord {
  key: string;
  /** The object's bytes, base64, so state files stay JSON. */
  body: string;
  size: number;
  /** The quoted hex MD5 of the bytes: S3's ETag for a single-part upload. */
  etag: string;
  /** Epoch ms in whole seconds: S3's Last-Modified has second precision. */
  lastModified: number;
  /** Content-Type as sent (binary/octet-stream when the upload had none). */
  contentType: string;
  /** User metadata: x-amz-meta-* names, lower case and without the prefix, and their values. */
  metadata: Record<string, string>;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires as sent (lower-case names). */
  headers: Record<string, string>;
  /** The full-object checksum: the one the upload sent, or the CRC64NVME S3 adds when it sent none. */
  checksum: { algorithm: string; value: string };
}

export interface S3BucketRecord {
  name: string;
  /** The Region the bucket was created in (its LocationConstraint; us-east-1 without one). */
  region: string;
  created: number;
  /** In UTF-8 binary order of their keys, the order S3 lists them in. */
  objects: S3ObjectRecord[];
}

export interface SandboxData {
  clockOffsetMs: number;
  /**
   * The account the sandbox stands for (ARNs, ownership checks). 123456789012 unless a
   * rehearsal copied a real account's distributions, whose ARNs keep their account.
   */
  accountId?: string;
  cloudfront: {
    distributions: DistributionRecord[];
    cachePolicies: PolicyRecord[];
    originRequestPolicies: PolicyRecord[];
    /** CloudFront Functions (older state files lack the member). */
    functions?: CloudFrontFunctionRecord[];
    /** Continuous deployment policies (older state files lack the member). */
    continuousDeploymentPolicies?: ContinuousDeploymentPolicyRecord[];
  };
  lambda: {
    functions: FunctionRecord[];
    /** Zip bytes by CodeSha256, base64. */
    code: Record<string, string>;
    /** Keyed by the qualified version ARN. */
    replicas: Record<string, ReplicaRecord>;
  };
  iam: { roles: RoleRecord[] };
  secretsmanager: { secrets: SecretRecord[] };
  /** CloudWatch Logs, every region (older state files lack the member). */
  logs?: { groups: LogGroupRecord[] };
  /** CloudWatch metrics, every region (older state files lack the member). */
  metrics?: { series: MetricSeriesRecord[] };
  /** S3 buckets of every region, by name (older state files lack the member). */
  s3?: { buckets: S3BucketRecord[] };
}

export function emptyData(): SandboxData {
  return {
    clockOffsetMs: 0,
    cloudfront: { distributions: [], cachePolicies: [], originRequestPolicies: [], functions: [], continuousDeploymentPolicies: [] },
    lambda: { functions: [], code: {}, replicas: {} },
    iam: { roles: [] },
    secretsmanager: { secrets: [] },
    logs: { groups: [] },
    metrics: { series: [] },
    s3: { buckets: [] },
  };
}

/** State plus the rules' parameters: what every service handler receives. */
export class World {
  readonly clock: Clock;

  constructor(
    public data: SandboxData,
    readonly delays: Delays = DEFAULT_DELAYS,
    readonly quotas: Quotas = DEFAULT_QUOTAS,
  ) {
    this.clock = new Clock(data.clockOffsetMs);
  }

  now(): number {
    return this.clock.now();
  }

  /** The account in every ARN the sandbox hands out or accepts as its own. */
  get accountId(): string {
    return this.data.accountId ?? DEFAULT_ACCOUNT_ID;
  }

  /** CloudFront Functions (created on first use for state files older than them). */
  get cloudFrontFunctions(): CloudFrontFunctionRecord[] {
    return (this.data.cloudfront.functions ??= []);
  }

  /** Continuous deployment policies (created on first use for state files older than them). */
  get continuousDeploymentPolicies(): ContinuousDeploymentPolicyRecord[] {
    return (this.data.cloudfront.continuousDeploymentPolicies ??= []);
  }

  /** CloudWatch Logs groups of every region (created on first use for older state files). */
  get logGroups(): LogGroupRecord[] {
    return (this.data.logs ??= { groups: [] }).groups;
  }

  /** CloudWatch metric series of every region (created on first use for older state files). */
  get metricSeries(): MetricSeriesRecord[] {
    return (this.data.metrics ??= { series: [] }).series;
  }

  /** S3 buckets, sorted by name (created on first use for older state files). */
  get s3Buckets(): S3BucketRecord[] {
    return (this.data.s3 ??= { buckets: [] }).buckets;
  }

  /** Replace all state (reset, or a state file loaded after start). */
  replace(data: SandboxData): void {
    this.data = data;
    this.clock.offsetMs = data.clockOffsetMs;
  }

  snapshot(): SandboxData {
    this.data.clockOffsetMs = this.clock.offsetMs;
    return this.data;
  }
}
