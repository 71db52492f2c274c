/**
 * Reads what a rehearsal copies of real distributions (`edge-install sandbox
 * --from-distribution E…`), READ-ONLY: Get*, List* and Describe* calls and nothing else.
 *
 * For each distribution: its config as the XML body AWS sent (GetDistributionConfig, captured
 * before the SDK parses it, so members the SDK does not know survive and nothing is
 * re-serialised), its id, domain name, ARN and status (GetDistribution) and its tags
 * (ListTagsForResource). Then what the config refers to: the policies that are not AWS-managed
 * (GetCachePolicyConfig / GetOriginRequestPolicyConfig, raw too), the configuration and tags
 * of every associated Lambda@Edge version (GetFunctionConfiguration, ListTags) and the LIVE
 * code of every associated CloudFront Function (GetFunction, DescribeFunction).
 *
 * The distribution itself must be readable; the rest is best effort: what cannot be read is
 * replaced by a stub or left out, and listed in `gaps` with AWS's reason. The result is the
 * plain description src/sandbox/seeds/copy.ts builds the sandbox from.
 */
import {
  DescribeFunctionCommand,
  GetCachePolicyConfigCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetFunctionCommand as GetCloudFrontFunctionCommand,
  GetOriginRequestPolicyConfigCommand,
  ListTagsForResourceCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { GetFunctionConfigurationCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { Readable } from 'node:stream';
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES } from '../../manifest/managed-policies.js';
import type {
  CopiedCloudFrontFunction,
  CopiedDistribution,
  CopiedPolicy,
  DistributionCopy,
  LambdaStub,
} from '../../sandbox/seeds/copy.js';
import type { AwsClients } from '../clients.js';
import { classifyAwsError } from '../errors.js';

/** What was copied of one distribution, for the CLI to say. */
export interface CopiedDistributionSummary {
  id: string;
  domainName: string;
  origins: number;
  /** The default behavior included. */
  behaviors: number;
  /** Policies copied under their ids (AWS-managed ones are in every sandbox and not counted). */
  cachePolicies: string[];
  originRequestPolicies: string[];
  /** Kept in the config; the sandbox has no response headers policies to copy them into. */
  responseHeadersPolicies: string[];
  /** Qualified ARNs of the Lambda@Edge versions that became pass-through stubs. */
  lambdaStubs: string[];
  /** Names of the associated CloudFront Functions, and whether their code was copied or stubbed. */
  cloudFrontFunctions: { name: string; copied: boolean }[];
}

/** Something that could not be read and was stubbed or left out instead. */
export interface CopyGap {
  what: 'tags' | 'lambda-configuration' | 'lambda-tags' | 'cloudfront-function' | 'cloudfront-function-configuration';
  /** The distribution, function ARN or CloudFront Function name. */
  resource: string;
  /** The IAM action that was refused or failed, e.g. `lambda:GetFunctionConfiguration`. */
  action: string;
  /** AWS's error name and message. */
  reason: string;
}

export interface DistributionCopyRead {
  copy: DistributionCopy;
  distributions: CopiedDistributionSummary[];
  gaps: CopyGap[];
}

interface RawCapturable {
  middlewareStack: { addRelativeTo(middleware: never, options: { relation: 'after'; toMiddleware: string; name: string }): void };
}

/**
 * Sends `command` keeping the HTTP response body as AWS sent it. The middleware sits inside
 * the deserializer, so it sees the response first; it reads the body and hands it on as a
 * fresh stream, so the SDK parses exactly the same bytes.
 */
async function sendKeepingBody<C extends RawCapturable, O>(send: (command: C) => Promise<O>, command: C): Promise<{ output: O; body: string }> {
  let body = '';
  const keepBody = (next: (args: unknown) => Promise<{ response: { body: unknown } }>) => async (args: unknown) => {
    const result = await next(args);
    const chunks: Buffer[] = [];
    for await (const chunk of result.response.body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
    const bytes = Buffer.concat(chunks);
    body = bytes.toString('utf8');
    result.response.body = Readable.from([bytes]);
    return result;
  };
  command.middlewareStack.addRelativeTo(keepBody as never, { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'edgeInstallKeepBody' });
  const output = await send(command);
  return { output, body };
}

/** Errors a stub cannot stand in for: no credentials, or AWS not answering. They end the copy. */
function mustStop(error: unknown): boolean {
  const kind = classifyAwsError(error);
  return kind === undefined || kind.startsWith('credentials-') || kind === 'network' || kind === 'throttled' || kind === 'server';
}

/** Runs an optional read: its failure is a gap, unless nothing could be read at all. */
async function optional<T>(gaps: CopyGap[], gap: Omit<CopyGap, 'reason'>, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (mustStop(error)) throw error;
    const e = error as Error;
    gaps.push({ ...gap, reason: `${e.name}: ${e.message.split('\n')[0]}` });
    return undefined;
  }
}

const MANAGED_IDS = new Set<string>([...Object.values(MANAGED_CACHE_POLICIES), ...Object.values(MANAGED_ORIGIN_REQUEST_POLICIES)]);

interface References {
  behaviors: number;
  origins: number;
  cachePolicies: Set<string>;
  originRequestPolicies: Set<string>;
  responseHeadersPolicies: Set<string>;
  lambdaArns: Set<string>;
  cloudFrontFunctionArns: Set<string>;
}

/** What a config refers to (from the SDK's parse: these members are all in its model). */
function referencesOf(config: DistributionConfig): References {
  const behaviors = [config.DefaultCacheBehavior, ...(config.CacheBehaviors?.Items ?? [])].filter((b) => b !== undefined);
  const refs: References = {
    behaviors: behaviors.length,
    origins: config.Origins?.Items?.length ?? 0,
    cachePolicies: new Set(),
    originRequestPolicies: new Set(),
    responseHeadersPolicies: new Set(),
    lambdaArns: new Set(),
    cloudFrontFunctionArns: new Set(),
  };
  for (const b of behaviors) {
    if (b.CachePolicyId) refs.cachePolicies.add(b.CachePolicyId);
    if (b.OriginRequestPolicyId) refs.originRequestPolicies.add(b.OriginRequestPolicyId);
    if (b.ResponseHeadersPolicyId) refs.responseHeadersPolicies.add(b.ResponseHeadersPolicyId);
    for (const a of b.LambdaFunctionAssociations?.Items ?? []) if (a.LambdaFunctionARN) refs.lambdaArns.add(a.LambdaFunctionARN);
    for (const a of b.FunctionAssociations?.Items ?? []) if (a.FunctionARN) refs.cloudFrontFunctionArns.add(a.FunctionARN);
  }
  return refs;
}

const unqualified = (arn: string): string => arn.replace(/:[^:]+$/, '');
const cloudFrontFunctionName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

async function readDistribution(clients: AwsClients, id: string, gaps: CopyGap[]): Promise<{ copied: CopiedDistribution; refs: References }> {
  const cloudfront = clients.cloudfront;
  // The config first: a missing distribution or a refused read ends here, before anything else is asked.
  const { output, body } = await sendKeepingBody((c) => cloudfront.send(c), new GetDistributionConfigCommand({ Id: id }));
  const distribution = (await cloudfront.send(new GetDistributionCommand({ Id: id }))).Distribution!;
  const arn = distribution.ARN!;
  const tags = await optional(gaps, { what: 'tags', resource: id, action: 'cloudfront:ListTagsForResource' }, () =>
    cloudfront.send(new ListTagsForResourceCommand({ Resource: arn })),
  );
  return {
    copied: {
      id,
      arn,
      domainName: distribution.DomainName!,
      status: distribution.Status,
      lastModified: distribution.LastModifiedTime?.toISOString(),
      configXml: body,
      tags: Object.fromEntries((tags?.Tags?.Items ?? []).map((t) => [t.Key!, t.Value ?? ''])),
    },
    refs: referencesOf(output.DistributionConfig!),
  };
}

async function readCachePolicy(clients: AwsClients, id: string): Promise<{ policy: CopiedPolicy; custom: boolean }> {
  const { output, body } = await sendKeepingBody((c) => clients.cloudfront.send(c), new GetCachePolicyConfigCommand({ Id: id }));
  return { policy: { id, configXml: body }, custom: !(output.CachePolicyConfig?.Name ?? '').startsWith('Managed-') };
}

async function readOriginRequestPolicy(clients: AwsClients, id: string): Promise<{ policy: CopiedPolicy; custom: boolean }> {
  const { output, body } = await sendKeepingBody((c) => clients.cloudfront.send(c), new GetOriginRequestPolicyConfigCommand({ Id: id }));
  return { policy: { id, configXml: body }, custom: !(output.OriginRequestPolicyConfig?.Name ?? '').startsWith('Managed-') };
}

async function readLambdaStub(clients: AwsClients, qualifiedArn: string, gaps: CopyGap[]): Promise<LambdaStub> {
  const [configuration, tags] = await Promise.all([
    optional(gaps, { what: 'lambda-configuration', resource: qualifiedArn, action: 'lambda:GetFunctionConfiguration' }, () =>
      clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: qualifiedArn })),
    ),
    optional(gaps, { what: 'lambda-tags', resource: unqualified(qualifiedArn), action: 'lambda:ListTags' }, () =>
      clients.lambda.send(new ListTagsCommand({ Resource: unqualified(qualifiedArn) })),
    ),
  ]);
  const stub: LambdaStub = { qualifiedArn };
  if (configuration) {
    stub.config = {
      ...(configuration.Runtime ? { runtime: configuration.Runtime } : {}),
      ...(configuration.MemorySize !== undefined ? { memorySize: configuration.MemorySize } : {}),
      ...(configuration.Timeout !== undefined ? { timeout: configuration.Timeout } : {}),
      ...(configuration.Role ? { role: configuration.Role } : {}),
      ...(configuration.Architectures?.length ? { architectures: [...configuration.Architectures] } : {}),
    };
  }
  if (tags?.Tags) stub.tags = { ...tags.Tags };
  return stub;
}

async function readCloudFrontFunction(clients: AwsClients, arn: string, gaps: CopyGap[]): Promise<CopiedCloudFrontFunction> {
  const name = cloudFrontFunctionName(arn);
  const code = await optional(gaps, { what: 'cloudfront-function', resource: name, action: 'cloudfront:GetFunction' }, () =>
    clients.cloudfront.send(new GetCloudFrontFunctionCommand({ Name: name, Stage: 'LIVE' })),
  );
  if (!code?.FunctionCode) return { name, arn };
  const described = await optional(gaps, { what: 'cloudfront-function-configuration', resource: name, action: 'cloudfront:DescribeFunction' }, () =>
    clients.cloudfront.send(new DescribeFunctionCommand({ Name: name, Stage: 'LIVE' })),
  );
  const config = described?.FunctionSummary?.FunctionConfig;
  const copied: CopiedCloudFrontFunction = { name, arn, code: Buffer.from(code.FunctionCode).toString('base64') };
  if (config?.Runtime) copied.runtime = config.Runtime;
  if (config?.Comment !== undefined) copied.comment = config.Comment;
  const stores = (config?.KeyValueStoreAssociations?.Items ?? []).map((a) => a.KeyValueStoreARN!).filter(Boolean);
  if (stores.length) copied.keyValueStoreArns = stores;
  return copied;
}

/**
 * Reads `ids` (and what they refer to) from the account the clients reach. `accountId` is
 * that account's (sts:GetCallerIdentity): the copy's ARNs are its.
 */
export async function readDistributionCopy(clients: AwsClients, ids: string[], accountId: string): Promise<DistributionCopyRead> {
  const gaps: CopyGap[] = [];
  const read: { copied: CopiedDistribution; refs: References }[] = [];
  for (const id of [...new Set(ids)]) read.push(await readDistribution(clients, id, gaps));

  const all = <K extends keyof References>(key: K) => [...new Set(read.flatMap((r) => [...(r.refs[key] as Set<string>)]))];
  const notManaged = (policyIds: string[]) => policyIds.filter((id) => !MANAGED_IDS.has(id));
  const [cachePolicies, originRequestPolicies, lambdaStubs, cloudFrontFunctions] = await Promise.all([
    Promise.all(notManaged(all('cachePolicies')).map((id) => readCachePolicy(clients, id))),
    Promise.all(notManaged(all('originRequestPolicies')).map((id) => readOriginRequestPolicy(clients, id))),
    Promise.all(all('lambdaArns').map((arn) => readLambdaStub(clients, arn, gaps))),
    Promise.all(all('cloudFrontFunctionArns').map((arn) => readCloudFrontFunction(clients, arn, gaps))),
  ]);
  const customCache = new Set(cachePolicies.filter((p) => p.custom).map((p) => p.policy.id));
  const customOriginRequest = new Set(originRequestPolicies.filter((p) => p.custom).map((p) => p.policy.id));
  const codeCopied = new Set(cloudFrontFunctions.filter((f) => f.code !== undefined).map((f) => f.arn));

  return {
    copy: {
      accountId,
      distributions: read.map((r) => r.copied),
      cachePolicies: cachePolicies.map((p) => p.policy),
      originRequestPolicies: originRequestPolicies.map((p) => p.policy),
      lambdaStubs,
      cloudFrontFunctions,
    },
    distributions: read.map(({ copied, refs }) => ({
      id: copied.id,
      domainName: copied.domainName,
      origins: refs.origins,
      behaviors: refs.behaviors,
      cachePolicies: [...refs.cachePolicies].filter((id) => customCache.has(id)),
      originRequestPolicies: [...refs.originRequestPolicies].filter((id) => customOriginRequest.has(id)),
      responseHeadersPolicies: [...refs.responseHeadersPolicies],
      lambdaStubs: [...refs.lambdaArns],
      cloudFrontFunctions: [...refs.cloudFrontFunctionArns].map((arn) => ({ name: cloudFrontFunctionName(arn), copied: codeCopied.has(arn) })),
    })),
    gaps,
  };
}
