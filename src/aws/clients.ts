/**
 * The AWS clients edge-install uses. Lambda@Edge functions and CloudFront live in us-east-1
 * whatever the user's region; only the secret has a region of its own. An endpoint override
 * (--endpoint-url / EDGE_INSTALL_ENDPOINT_URL) sends every call to the sandbox.
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { createRequire } from 'node:module';
import { recordAwsCall, resourceOfInput } from './errors.js';

import { EDGE_REGION } from './regions.js';

export { EDGE_REGION };

export interface AwsOptions {
  profile?: string;
  endpointUrl?: string;
  /** The environment to read settings from (the CLI's, which tests may set apart from process.env). */
  env?: NodeJS.ProcessEnv;
  /** Receives one line per AWS call (service, operation, outcome, duration) — never parameters. */
  log?: (line: string) => void;
  maxAttempts?: number;
}

export interface AwsClients {
  cloudfront: CloudFrontClient;
  lambda: LambdaClient;
  iam: IAMClient;
  sts: STSClient;
  /** Secrets Manager in a region (the secret's home, or a replica's). */
  secrets(region: string): SecretsManagerClient;
  /** Service Quotas in us-east-1, where CloudFront's (global) quotas are; loaded on first use. */
  serviceQuotas(): Promise<ServiceQuotasClient>;
  /**
   * CloudWatch Logs in a region: Lambda@Edge logs where the function ran (`logs`). Loaded on
   * first use, so no other command loads the client.
   */
  logs(region: string): Promise<CloudWatchLogsClient>;
  /** CloudWatch (metrics) in a region: AWS/CloudFront in us-east-1, AWS/Lambda where replicas ran. Loaded on first use. */
  metrics(region: string): Promise<CloudWatchClient>;
  /**
   * S3 in a region, for state kept in S3 (`--state s3://…`). A bucket asked for in another
   * Region is followed there (the SDK's region redirects); an endpoint override (the sandbox)
   * is addressed path-style, as a loopback host has no bucket subdomains. Loaded on first use.
   */
  s3(region: string): Promise<S3Client>;
  destroy(): void;
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/** The endpoint override from the option or the environment, if any. */
export function endpointOverride(options: AwsOptions, env = process.env): string | undefined {
  return options.endpointUrl ?? (env.EDGE_INSTALL_ENDPOINT_URL || undefined);
}

/**
 * A loopback endpoint is the sandbox, which accepts any credentials: when none are configured
 * (no profile, no key in the environment) use dummy ones rather than fail on a fresh machine.
 */
function credentialsFor(endpoint: string | undefined, options: AwsOptions, env = process.env) {
  const configured = options.profile || env.AWS_PROFILE || env.AWS_ACCESS_KEY_ID;
  if (endpoint && LOOPBACK.test(endpoint) && !configured) {
    return { accessKeyId: 'AKIDEDGEINSTALLSANDBOX', secretAccessKey: 'edge-install-sandbox' };
  }
  return undefined;
}

interface ObservableClient {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}

/**
 * One middleware per client, outermost (so it sees the outcome after retries): it notes on any
 * error which call failed and on what resource (errors.ts reads it to say where and how to
 * fix), and with --verbose logs each call's service, operation, status and duration. Of the
 * input only resource identifiers are read (errors.ts, RESOURCE_MEMBERS), never values.
 */
function observeCalls(client: ObservableClient, service: string, options: AwsOptions, endpoint: string | undefined, region?: string): void {
  const log = options.log;
  const middleware =
    (next: (args: { input?: unknown }) => Promise<{ response: unknown }>, context: { commandName?: string }) =>
    async (args: { input?: unknown }) => {
      const started = Date.now();
      const operation = context.commandName?.replace(/Command$/, '') ?? 'call';
      try {
        const result = await next(args);
        log?.(`aws ${service}.${operation} ok ${Date.now() - started}ms`);
        return result;
      } catch (error) {
        recordAwsCall(error, { service, operation, resource: resourceOfInput(args.input), region, endpoint, profile: options.profile });
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? '-';
        log?.(`aws ${service}.${operation} ${(error as Error).name} ${status} ${Date.now() - started}ms`);
        throw error;
      }
    };
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'edgeInstallObserveCalls' });
}

/**
 * Each SDK client package loads when its client is first used, not with this module: together
 * they take some 400 ms to load, and a command needs few of them (`logs` none but CloudWatch
 * Logs). Synchronous, so `clients.cloudfront` stays a plain property; the packages are
 * CommonJS (their `main`), so this is the same module instance an `import` of them gets.
 */
const requireSdk = createRequire(import.meta.url);
const sdk = {
  cloudfront: () => requireSdk('@aws-sdk/client-cloudfront') as typeof import('@aws-sdk/client-cloudfront'),
  lambda: () => requireSdk('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda'),
  iam: () => requireSdk('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam'),
  sts: () => requireSdk('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts'),
  secrets: () => requireSdk('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager'),
};

/**
 * A client per Region of a package loaded on first use (CloudWatch Logs, CloudWatch): the
 * Region is named in its errors — which Region refused, or was not enabled.
 */
function regional<M, C>(load: () => Promise<M>, make: (module: M, region: string) => C): (region: string) => Promise<C> {
  let module: Promise<M> | undefined;
  const byRegion = new Map<string, Promise<C>>();
  return (region) => {
    let client = byRegion.get(region);
    if (!client) {
      module ??= load();
      client = module.then((m) => make(m, region));
      byRegion.set(region, client);
    }
    return client;
  };
}

export function createClients(options: AwsOptions = {}): AwsClients {
  const env = options.env ?? process.env;
  const endpoint = endpointOverride(options, env);
  const credentials = credentialsFor(endpoint, options, env);
  const maxAttempts = options.maxAttempts ?? (Number(env.AWS_MAX_ATTEMPTS) || 8);
  const base = {
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    // CloudFront's control plane throttles readily when several distributions are worked on;
    // the SDK's standard retry (backoff, retry quota) gets more room than its default 3 tries.
    // AWS_MAX_ATTEMPTS, the SDK's own setting, still wins when set.
    maxAttempts,
  };
  const made: { destroy(): void }[] = [];
  const track = <T extends { destroy(): void }>(client: T, service: string, region?: string): T => {
    observeCalls(client as unknown as ObservableClient, service, options, endpoint, region);
    made.push(client);
    return client;
  };
  const secretsByRegion = new Map<string, SecretsManagerClient>();
  let serviceQuotas: Promise<ServiceQuotasClient> | undefined;
  let cloudfront: CloudFrontClient | undefined;
  let lambda: LambdaClient | undefined;
  let iam: IAMClient | undefined;
  let sts: STSClient | undefined;
  return {
    get cloudfront() {
      return (cloudfront ??= track(new (sdk.cloudfront().CloudFrontClient)({ ...base, region: EDGE_REGION }), 'cloudfront'));
    },
    get lambda() {
      return (lambda ??= track(new (sdk.lambda().LambdaClient)({ ...base, region: EDGE_REGION }), 'lambda'));
    },
    get iam() {
      return (iam ??= track(new (sdk.iam().IAMClient)({ ...base, region: EDGE_REGION }), 'iam'));
    },
    get sts() {
      return (sts ??= track(new (sdk.sts().STSClient)({ ...base, region: EDGE_REGION }), 'sts'));
    },
    secrets(region) {
      let client = secretsByRegion.get(region);
      if (!client) {
        // The secret's region is named in its errors: a secret looked for in the wrong region reads as missing.
        client = track(new (sdk.secrets().SecretsManagerClient)({ ...base, region }), 'secretsmanager', region);
        secretsByRegion.set(region, client);
      }
      return client;
    },
    serviceQuotas() {
      serviceQuotas ??= import('@aws-sdk/client-service-quotas').then(({ ServiceQuotasClient }) => track(new ServiceQuotasClient({ ...base, region: EDGE_REGION }), 'servicequotas'));
      return serviceQuotas;
    },
    logs: regional(() => import('@aws-sdk/client-cloudwatch-logs'), (m, region) => track(new m.CloudWatchLogsClient({ ...base, region }), 'logs', region)),
    metrics: regional(() => import('@aws-sdk/client-cloudwatch'), (m, region) => track(new m.CloudWatchClient({ ...base, region }), 'cloudwatch', region)),
    s3: regional(() => import('@aws-sdk/client-s3'), (m, region) => track(new m.S3Client({ ...base, region, followRegionRedirects: true, forcePathStyle: !!endpoint }), 's3', region)),
    destroy() {
      for (const client of made) client.destroy();
    },
  };
}
