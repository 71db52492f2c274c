/**
 * The shape of `edge-install.json` (RECIPES.md): what edge-install owns on a distribution.
 * zod checks the shape and fills defaults; rules that relate fields to each other (a trigger
 * names a function, limits per event type, …) live in validate.ts, so that every error can
 * name its manifest path and the fix.
 */
import { z } from 'zod';
import { AWS_REGIONS, isAwsRegion, isOtherPartitionRegion, regionGuess } from '../aws/regions.js';
import { DEFAULT_RUNTIME, RUNTIME_IDS } from './runtimes.js';
import { DISTRIBUTION_ID, DISTRIBUTION_ID_EXAMPLE } from './distribution-id.js';
import { bucketNameProblem, prefixProblem } from '../state/s3/location.js';

export const EVENT_TYPES = ['viewer-request', 'viewer-response', 'origin-request', 'origin-response'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Node.js runtimes Lambda@Edge accepts (runtimes.ts: AWS's table and dates). */
export const RUNTIMES = RUNTIME_IDS;
export type Runtime = string;

// A known Node.js runtime; Python is refused with the reason (the bundler is esbuild).
const runtime = z
  .string()
  .refine((value) => RUNTIME_IDS.includes(value), {
    error: (issue) =>
      typeof issue.input === 'string' && issue.input.startsWith('python')
        ? `is a Python runtime (got ${JSON.stringify(issue.input)}): edge-install bundles JavaScript and TypeScript handlers with esbuild, so Lambda@Edge functions it deploys run on Node.js`
        : `must be one of ${RUNTIME_IDS.map((r) => JSON.stringify(r)).join(', ')} (got ${JSON.stringify(issue.input)})`,
    params: { fix: `use "${DEFAULT_RUNTIME}" (the newest Node.js runtime Lambda@Edge runs), or leave "runtime" out` },
  })
  .meta({ enum: [...RUNTIME_IDS] });

/** Prefixes every owned name (`<name>-<key>` functions, `<name>-edge` role, `ei-<name>-<key>` origins). */
export const INTEGRATION_NAME = /^[a-z0-9-]{1,32}$/;
/** Keys of functions, origins and cache policies: they end up inside AWS resource names. */
export const RESOURCE_KEY = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** Secret key names as the seeds use them: FPJS_PRE_SHARED_SECRET, PX_AUTH_TOKEN. */
export const SECRET_KEY_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const integrationName = z.string().regex(INTEGRATION_NAME, 'must be 1-32 lowercase letters, digits or hyphens');
const resourceKey = z.string().regex(RESOURCE_KEY, 'must be 1-32 lowercase letters, digits or hyphens, starting with a letter or digit');
// One of the regions of the partition Lambda@Edge runs in (aws/regions.ts), a typo named.
const region = z.string().refine(isAwsRegion, {
  error: (issue) => {
    const input = typeof issue.input === 'string' ? issue.input : '';
    if (isOtherPartitionRegion(input)) return `is a region of another AWS partition (got ${JSON.stringify(input)}): Lambda@Edge runs in the aws partition, and its functions cannot read a secret there`;
    const guess = regionGuess(input);
    return `is not an AWS region (got ${JSON.stringify(issue.input)}${guess ? `; did you mean "${guess}"?` : ''})`;
  },
  params: { fix: 'use a region code such as us-east-1 or eu-west-1' },
}).meta({ enum: [...AWS_REGIONS] }); // editors offer the list (edge-install.schema.json)
const integer = (min: number, max: number) => z.number().int().min(min).max(max);

export const SecretKeySchema = z
  .object({
    /** A sensitive value is never written to the manifest, a diff, a revision or a log. */
    sensitive: z.boolean().default(false),
    /** Non-sensitive values may be given here (with ${values.*}); sensitive ones never. */
    value: z.string().optional(),
    description: z.string().optional(),
    /**
     * A sensitive value nobody else issues (your handler's own signing key, say): `secret
     * rotate` may replace it with a random one. Never true of a vendor's token or a third
     * party's API key, which only `secret set` changes.
     */
    generated: z.boolean().optional(),
  })
  .strict();

export const SecretSchema = z
  .object({
    name: z.string().min(1).max(512).regex(/^[A-Za-z0-9/_+=.@-]+$/, 'may only contain letters, digits and /_+=.@-'),
    region: region.default('us-east-1'),
    replicaRegions: z.array(region).default([]),
    keys: z.record(z.string().regex(SECRET_KEY_NAME, 'must be a letter or _ followed by letters, digits or _'), SecretKeySchema),
  })
  .strict();

export const FunctionSchema = z
  .object({
    /** `builtin:<name>` for a handler shipped with edge-install, or a path relative to the manifest. */
    handler: z.string().min(1),
    runtime: runtime.default(DEFAULT_RUNTIME),
    memorySize: integer(128, 10_240).default(128),
    timeout: integer(1, 30).default(5),
    description: z.string().max(256).optional(),
    /**
     * Lambda's LoggingConfig.LogGroup: the log group the function writes to in every Region it
     * runs in (Lambda@Edge honours a custom group as named, with no "us-east-1." prefix).
     * Absent: Lambda@Edge's own, /aws/lambda/us-east-1.<function>. The role's policy, the plan
     * and `logs` follow it.
     */
    logGroup: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[.\-_/#A-Za-z0-9]+$/, 'must be a CloudWatch Logs group name: letters, digits and . - _ / #')
      .optional(),
    /** Non-secret settings baked into the bundle (Lambda@Edge has no environment variables). */
    config: z.record(z.string(), z.json()).default({}),
  })
  .strict();

export const ORIGIN_PROTOCOLS = ['https-only', 'http-only', 'match-viewer'] as const;
export const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3'] as const;

export const OriginSchema = z
  .object({
    domainName: z.string().min(1).max(253),
    originPath: z.string().default(''),
    protocol: z.enum(ORIGIN_PROTOCOLS).default('https-only'),
    minTlsVersion: z.enum(TLS_VERSIONS).default('TLSv1.2'),
    httpPort: integer(1, 65_535).default(80),
    httpsPort: integer(1, 65_535).default(443),
    readTimeout: integer(1, 120).default(30),
    keepaliveTimeout: integer(1, 120).default(5),
    customHeaders: z.record(z.string().min(1), z.string()).default({}),
  })
  .strict();

/** `all`, or the names to include. */
const keyNames = z.union([z.literal('all'), z.array(z.string().min(1))]);

export const CachePolicySchema = z
  .object({
    comment: z.string().max(128).optional(),
    minTtl: integer(0, 31_536_000).default(0),
    defaultTtl: integer(0, 31_536_000).default(86_400),
    maxTtl: integer(0, 31_536_000).default(31_536_000),
    headers: z.array(z.string().min(1)).default([]),
    cookies: keyNames.default([]),
    queryStrings: keyNames.default([]),
    gzip: z.boolean().default(true),
    brotli: z.boolean().default(true),
  })
  .strict();

export const VIEWER_PROTOCOL_POLICIES = ['allow-all', 'https-only', 'redirect-to-https'] as const;
/** CloudFront's three allowed-method sets. */
export const ALLOWED_METHODS = {
  'get-head': ['GET', 'HEAD'],
  'get-head-options': ['GET', 'HEAD', 'OPTIONS'],
  all: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
} as const;

export const TriggerSchema = z
  .object({
    function: resourceKey,
    includeBody: z.boolean().default(false),
  })
  .strict();

export const BehaviorSchema = z
  .object({
    /** `*` is the distribution's default behavior, which only ever gets triggers. */
    pathPattern: z.string().min(1),
    /** A key of `origins`, or `default`: the origin of the distribution's default behavior. */
    origin: z.string().optional(),
    viewerProtocolPolicy: z.enum(VIEWER_PROTOCOL_POLICIES).optional(),
    allowedMethods: z.enum(['get-head', 'get-head-options', 'all']).optional(),
    /** A key of `cachePolicies`, a managed policy name (CachingOptimized, …) or a policy id. */
    cachePolicy: z.string().optional(),
    /** A managed origin request policy name (AllViewer, …) or a policy id. */
    originRequestPolicy: z.string().optional(),
    compress: z.boolean().optional(),
    /** Take over an existing, not owned behavior with this pattern: only its triggers are set. */
    adopt: z.boolean().default(false),
    /**
     * Its paths serve nothing on the site before the integration exists, so `attach --canary`
     * may add the behavior (and its origin) to the primary without its triggers first: CloudFront
     * stages only path patterns the primary already has (README, "Canary changes").
     */
    addBeforeCanary: z.boolean().optional(),
    triggers: z.partialRecord(z.enum(EVENT_TYPES), TriggerSchema).default({}),
  })
  .strict();

/**
 * Where the integration's state is kept for everyone who runs it (README, "State in S3"):
 * `s3` puts revisions, the journal and the lock under s3://<bucket>/<prefix>/<name>/; without
 * it they are in the state dir. --state / --state-dir win over this.
 */
export const StateSchema = z
  .object({
    s3: z
      .object({
        bucket: z.string().refine((b) => !bucketNameProblem(b), {
          error: (issue) => `is not an S3 bucket name (got ${JSON.stringify(issue.input)}): it ${bucketNameProblem(String(issue.input))}`,
          params: { fix: 'use the bucket name as S3 shows it, e.g. "acme-edge-state"' },
        }),
        prefix: z
          .string()
          .refine((p) => !prefixProblem(p), {
            error: (issue) => `is not a usable key prefix (got ${JSON.stringify(issue.input)}): it ${prefixProblem(String(issue.input))}`,
            params: { fix: 'use a path such as "edge-install/prod"' },
          })
          .default(''),
        /** The bucket's Region (else the SDK follows S3's redirect to it). */
        region: region.optional(),
      })
      .strict()
      .optional(),
    /** A lock held longer than this is reported as probably stale: never taken over without force-unlock. */
    staleLockAfterMinutes: integer(1, 10_080).optional(),
  })
  .strict();

export const ManifestSchema = z
  .object({
    $schema: z.string().optional(),
    name: integrationName,
    /** Provenance only: which recipe wrote this manifest. */
    recipe: z.string().optional(),
    distributions: z.array(z.string().regex(DISTRIBUTION_ID, `must be a CloudFront distribution id such as ${DISTRIBUTION_ID_EXAMPLE}`)).default([]),
    /** Non-secret answers to recipe questions, for ${values.*}. */
    values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    secret: SecretSchema.optional(),
    functions: z.record(resourceKey, FunctionSchema),
    origins: z.record(resourceKey, OriginSchema).default({}),
    cachePolicies: z.record(resourceKey, CachePolicySchema).default({}),
    behaviors: z.array(BehaviorSchema).min(1),
    state: StateSchema.optional(),
  })
  .strict();

/** A manifest after defaults (what the pipeline works with). */
export type Manifest = z.output<typeof ManifestSchema>;
/** A manifest as written in edge-install.json. */
export type ManifestInput = z.input<typeof ManifestSchema>;
export type ManifestFunction = Manifest['functions'][string];
export type ManifestOrigin = Manifest['origins'][string];
export type ManifestCachePolicy = Manifest['cachePolicies'][string];
export type ManifestBehavior = Manifest['behaviors'][number];
export type ManifestSecret = NonNullable<Manifest['secret']>;
