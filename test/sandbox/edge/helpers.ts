/**
 * Test helpers for the local edge: an origin server the test controls, and installing a
 * Lambda@Edge function on a behavior of a sandbox distribution through the real SDK
 * (CreateRole, CreateFunction, PublishVersion, UpdateDistribution), as any client would.
 */
import { GetDistributionConfigCommand, UpdateDistributionCommand, type CacheBehavior, type DefaultCacheBehavior } from '@aws-sdk/client-cloudfront';
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipOf } from '../../helpers/zip.js';
import type { TestSandbox } from '../../helpers/sandbox.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export interface TestOrigin {
  url: string;
  seen: SeenRequest[];
  /** What the next requests are answered with (default 200 "origin says hi"). */
  answer: (req: SeenRequest) => { status?: number; headers?: Record<string, string>; body?: string };
  close(): Promise<void>;
}

export async function startOrigin(): Promise<TestOrigin> {
  const origin: TestOrigin = {
    url: '',
    seen: [],
    answer: () => ({}),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString('utf8') };
      origin.seen.push(seen);
      const answer = origin.answer(seen);
      res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? 'origin says hi');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return origin;
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
});

async function edgeRole(sb: TestSandbox): Promise<string> {
  try {
    return (await sb.iam.send(new GetRoleCommand({ RoleName: 'edge-test' }))).Role!.Arn!;
  } catch {
    return (await sb.iam.send(new CreateRoleCommand({ RoleName: 'edge-test', AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
  }
}

/** Creates a function from `code` (index.js, CommonJS) and publishes it: its qualified ARN. */
export async function publishFunction(sb: TestSandbox, name: string, code: string, options: { timeout?: number; memorySize?: number; runtime?: string } = {}): Promise<string> {
  const role = await edgeRole(sb);
  await sb.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: (options.runtime ?? 'nodejs22.x') as never, Role: role, Handler: 'index.handler', Code: { ZipFile: zipOf(code) }, Timeout: options.timeout ?? 5, MemorySize: options.memorySize ?? 128 }));
  return (await sb.lambda.send(new PublishVersionCommand({ FunctionName: name }))).FunctionArn!;
}

type AnyBehavior = CacheBehavior | DefaultCacheBehavior;

/** Changes the distribution's config through the real API (ETag-pinned). */
export async function updateConfig(sb: TestSandbox, id: string, change: (behaviors: { pattern: string; behavior: AnyBehavior }[]) => void): Promise<void> {
  const got = await sb.cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
  const config = got.DistributionConfig!;
  const behaviors = [{ pattern: '*', behavior: config.DefaultCacheBehavior! as AnyBehavior }, ...(config.CacheBehaviors?.Items ?? []).map((b) => ({ pattern: b.PathPattern!, behavior: b as AnyBehavior }))];
  change(behaviors);
  await sb.cloudfront.send(new UpdateDistributionCommand({ Id: id, IfMatch: got.ETag, DistributionConfig: config }));
}

/** Associates a published version with a behavior's event (replacing any association of that event). */
export async function associate(sb: TestSandbox, id: string, pattern: string, eventType: string, arn: string, includeBody = false): Promise<void> {
  await updateConfig(sb, id, (behaviors) => {
    const target = behaviors.find((b) => b.pattern === pattern)!.behavior;
    const others = (target.LambdaFunctionAssociations?.Items ?? []).filter((a) => a.EventType !== eventType);
    const items = [...others, { LambdaFunctionARN: arn, EventType: eventType as never, IncludeBody: includeBody }];
    target.LambdaFunctionAssociations = { Quantity: items.length, Items: items };
  });
}

/** A request with headers fetch() will not send (Host): node:http, body read as text. */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
