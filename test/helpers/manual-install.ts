/**
 * The two installs users make by hand, built in a sandbox by following the seeds literally,
 * one console step at a time, with the AWS SDK — what `edge-install import` takes over.
 *
 * - fingerprintByHand: /work/shared/seeds/fingerprint-cloudfront-integration.txt — the secret
 *   (step 3), what the CloudFormation application creates (step 4: an execution role, the
 *   Lambda@Edge function and a published version, the FingerprintProCDNCachePolicy-{id} cache
 *   policy; the sandbox has no CloudFormation, so they are made as the stack makes them), then
 *   three saves of the distribution: the origin (5.1), the behavior (5.2), the trigger (5.3).
 * - humanByHand: /work/shared/seeds/human-lambda-edge-enforcer.txt, "Deploy the Enforcer" on an
 *   existing distribution — a role, HumanEnforcer on the default behavior's viewer request,
 *   HumanActivities on its origin response, HumanFirstParty with the seed's cache policy on a
 *   new behavior /<app id without PX>/*; each function created, uploaded, published, and its
 *   ARN pasted into a distribution save.
 */
import {
  CreateCachePolicyCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
  type CacheBehavior,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { MANAGED_ORIGIN_REQUEST_POLICIES } from '../../src/manifest/managed-policies.js';
import type { TestSandbox } from './sandbox.js';
import { zipOf } from './zip.js';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
});

const HANDLER = 'exports.handler = async (event) => event.Records[0].cf.request;';

/** One console save: read the config, change it, write it with its ETag. */
export async function saveDistribution(sb: TestSandbox, id: string, change: (config: DistributionConfig) => void): Promise<void> {
  const got = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
  const config = got.DistributionConfig!;
  change(config);
  await sb.cloudfront.send(new UpdateDistributionCommand({ Id: id, IfMatch: got.ETag, DistributionConfig: config }));
}

async function publishedFunction(sb: TestSandbox, name: string, roleArn: string, runtime = 'nodejs20.x'): Promise<string> {
  await sb.lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: roleArn, Runtime: runtime, Handler: 'index.handler', Code: { ZipFile: zipOf(HANDLER) }, MemorySize: 128, Timeout: 5 }));
  return (await sb.lambda.send(new PublishVersionCommand({ FunctionName: name }))).FunctionArn!;
}

/** A new ordered behavior as the console's "Create behavior" makes it (cache policy and origin request policy chosen). */
function consoleBehavior(pattern: string, originId: string, viewer: 'redirect-to-https' | 'allow-all', cachePolicyId: string, originRequestPolicyId: string): CacheBehavior {
  const all = ['HEAD', 'DELETE', 'POST', 'GET', 'OPTIONS', 'PUT', 'PATCH'];
  return {
    PathPattern: pattern,
    TargetOriginId: originId,
    TrustedSigners: { Enabled: false, Quantity: 0 },
    TrustedKeyGroups: { Enabled: false, Quantity: 0 },
    ViewerProtocolPolicy: viewer,
    AllowedMethods: { Quantity: 7, Items: all as never, CachedMethods: { Quantity: 2, Items: ['HEAD', 'GET'] } },
    SmoothStreaming: false,
    Compress: true,
    LambdaFunctionAssociations: { Quantity: 0 },
    FunctionAssociations: { Quantity: 0 },
    FieldLevelEncryptionId: '',
    CachePolicyId: cachePolicyId,
    OriginRequestPolicyId: originRequestPolicyId,
  };
}

/** Puts a new behavior first (the console adds it with precedence 0 when it is the most specific). */
function addBehavior(config: DistributionConfig, behavior: CacheBehavior): void {
  const items = [behavior, ...(config.CacheBehaviors?.Items ?? [])];
  config.CacheBehaviors = { Quantity: items.length, Items: items };
}

function addTrigger(behavior: Pick<CacheBehavior, 'LambdaFunctionAssociations'>, event: string, arn: string, includeBody = false): void {
  const items = [...(behavior.LambdaFunctionAssociations?.Items ?? []), { EventType: event as never, LambdaFunctionARN: arn, IncludeBody: includeBody }];
  behavior.LambdaFunctionAssociations = { Quantity: items.length, Items: items };
}

export interface FingerprintInstall {
  secretName: string;
  behaviorPath: string;
  functionName: string;
  functionArn: string;
  roleName: string;
  cachePolicyId: string;
  cachePolicyName: string;
  originId: string;
}

export interface FingerprintOptions {
  /** The Proxy Pre-Shared Secret (step 2). */
  preSharedSecret: string;
  behaviorPath?: string;
  agentDownloadPath?: string;
  getResultPath?: string;
  secretName?: string;
  /** The stack's cache policy settings (default: the vendor template's, as the recipe has them). */
  cachePolicy?: { defaultTtl?: number; maxTtl?: number };
  /** Stop after this step (to build a half-done install). */
  until?: '5.1' | '5.2' | '5.3';
}

export async function fingerprintByHand(sb: TestSandbox, distributionId: string, options: FingerprintOptions): Promise<FingerprintInstall> {
  const behaviorPath = options.behaviorPath ?? 'x7k2q9fp';
  const secretName = options.secretName ?? 'fingerprint-proxy-settings';
  // Step 3: a new secret, "Other type of secret", the four key/value pairs.
  await sb.secrets.send(
    new CreateSecretCommand({
      Name: secretName,
      SecretString: JSON.stringify({
        FPJS_PRE_SHARED_SECRET: options.preSharedSecret,
        FPJS_BEHAVIOR_PATH: behaviorPath,
        FPJS_AGENT_DOWNLOAD_PATH: options.agentDownloadPath ?? 'agent9z',
        FPJS_GET_RESULT_PATH: options.getResultPath ?? 'result4q',
      }),
    }),
  );
  // Step 4: the CloudFormation application's resources (execution role, function + version, cache policy).
  const stackId = 'A1B2C3D4E5';
  const roleName = `fingerprint-pro-cloudfront-FpLambdaRole-${stackId}`;
  const role = await sb.iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: TRUST }));
  const functionName = `fingerprint-pro-cloudfront-lambda-${stackId}`;
  const functionArn = await publishedFunction(sb, functionName, role.Role!.Arn!);
  const cachePolicyName = `FingerprintProCDNCachePolicy-${stackId}`;
  const policy = await sb.cloudfront.send(
    new CreateCachePolicyCommand({
      CachePolicyConfig: {
        Name: cachePolicyName,
        Comment: 'Fingerprint Pro CDN cache policy',
        MinTTL: 0,
        DefaultTTL: options.cachePolicy?.defaultTtl ?? 180,
        MaxTTL: options.cachePolicy?.maxTtl ?? 180,
        ParametersInCacheKeyAndForwardedToOrigin: {
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
          HeadersConfig: { HeaderBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: { Quantity: 3, Items: ['apiKey', 'version', 'loaderVersion'] } },
        },
      },
    }),
  );
  const cachePolicyId = policy.CachePolicy!.Id!;
  const originId = 'fpcdn.io';
  // Step 5.1: Create origin — fpcdn.io, HTTPS only, TLSv1.2, the two custom headers.
  await saveDistribution(sb, distributionId, (config) => {
    const items = [
      ...(config.Origins?.Items ?? []),
      {
        Id: originId,
        DomainName: 'fpcdn.io',
        OriginPath: '',
        CustomHeaders: { Quantity: 2, Items: [{ HeaderName: 'FPJS_SECRET_NAME', HeaderValue: secretName }, { HeaderName: 'FPJS_SECRET_REGION', HeaderValue: 'us-east-1' }] },
        CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only', OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] }, OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 },
        ConnectionAttempts: 3,
        ConnectionTimeout: 10,
        OriginShield: { Enabled: false },
        OriginAccessControlId: '',
      },
    ];
    config.Origins = { Quantity: items.length, Items: items as never };
  });
  const install = { secretName, behaviorPath, functionName, functionArn, roleName, cachePolicyId, cachePolicyName, originId };
  if (options.until === '5.1') return install;
  // Step 5.2: Create behavior — <behavior path>/*, that origin, redirect to HTTPS, all methods, the stack's cache policy, AllViewer.
  await saveDistribution(sb, distributionId, (config) => addBehavior(config, consoleBehavior(`${behaviorPath}/*`, originId, 'redirect-to-https', cachePolicyId, MANAGED_ORIGIN_REQUEST_POLICIES.AllViewer)));
  if (options.until === '5.2') return install;
  // Step 5.3: Add trigger — that behavior, Origin Request, Include body.
  await saveDistribution(sb, distributionId, (config) => {
    const behavior = config.CacheBehaviors!.Items!.find((b) => b.PathPattern === `${behaviorPath}/*`)!;
    addTrigger(behavior, 'origin-request', functionArn, true);
  });
  return install;
}

export interface HumanInstall {
  roleName: string;
  enforcerArn: string;
  activitiesArn?: string;
  firstPartyArn?: string;
  cachePolicyId?: string;
  firstPartyPattern?: string;
}

export interface HumanOptions {
  appId?: string;
  /** The function names the user typed ("Function name: Enter the name for your function"). */
  names?: { enforcer?: string; activities?: string; firstParty?: string };
  activities?: boolean;
  firstParty?: boolean;
}

export async function humanByHand(sb: TestSandbox, distributionId: string, options: HumanOptions = {}): Promise<HumanInstall> {
  const appId = options.appId ?? 'PX12345678';
  const names = { enforcer: 'HumanEnforcer', activities: 'HumanActivities', firstParty: 'HumanFirstParty', ...options.names };
  // "Use an existing role" / create one: the organisation's Lambda@Edge role.
  const roleName = 'human-enforcer-edge-role';
  const role = await sb.iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: TRUST }));
  const roleArn = role.Role!.Arn!;
  // Upload the HumanEnforcer Lambda: create, upload the zip, publish, paste the ARN into the default behavior's viewer request.
  const enforcerArn = await publishedFunction(sb, names.enforcer, roleArn);
  await saveDistribution(sb, distributionId, (config) => addTrigger(config.DefaultCacheBehavior!, 'viewer-request', enforcerArn));
  const install: HumanInstall = { roleName, enforcerArn };
  if (options.activities !== false) {
    // Upload the HumanActivities Lambda: the default behavior's origin response.
    install.activitiesArn = await publishedFunction(sb, names.activities, roleArn);
    await saveDistribution(sb, distributionId, (config) => addTrigger(config.DefaultCacheBehavior!, 'origin-response', install.activitiesArn!));
  }
  if (options.firstParty !== false) {
    // Upload the HumanFirstParty Lambda: its cache policy (step 13), then a behavior /<app id without PX>/*.
    install.firstPartyArn = await publishedFunction(sb, names.firstParty, roleArn);
    const policy = await sb.cloudfront.send(
      new CreateCachePolicyCommand({
        CachePolicyConfig: {
          Name: 'human-first-party',
          MinTTL: 0,
          MaxTTL: 10,
          DefaultTTL: 5,
          ParametersInCacheKeyAndForwardedToOrigin: {
            EnableAcceptEncodingGzip: true,
            EnableAcceptEncodingBrotli: true,
            HeadersConfig: { HeaderBehavior: 'whitelist', Headers: { Quantity: 2, Items: ['Host', 'User-agent'] } },
            CookiesConfig: { CookieBehavior: 'whitelist', Cookies: { Quantity: 2, Items: ['*_px*', 'px**'] } },
            QueryStringsConfig: { QueryStringBehavior: 'all' },
          },
        },
      }),
    );
    install.cachePolicyId = policy.CachePolicy!.Id!;
    install.firstPartyPattern = `/${appId.slice(2)}/*`;
    await saveDistribution(sb, distributionId, (config) => {
      const behavior = consoleBehavior(install.firstPartyPattern!, config.DefaultCacheBehavior!.TargetOriginId!, 'allow-all', install.cachePolicyId!, MANAGED_ORIGIN_REQUEST_POLICIES.AllViewerExceptHostHeader);
      addTrigger(behavior, 'origin-request', install.firstPartyArn!);
      addBehavior(config, behavior);
    });
  }
  return install;
}
