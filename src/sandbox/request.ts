import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from './errors.js';
import type { World } from './world.js';

export type ServiceName = 'cloudfront' | 'lambda' | 'iam' | 'secretsmanager' | 'sts' | 'servicequotas' | 'logs' | 'monitoring' | 's3';

export interface SandboxRequest {
  method: string;
  /** Path without the query string, percent-decoded per segment by the router. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  service: ServiceName;
  /** From the SigV4 credential scope; us-east-1 when absent. */
  region: string;
  /** http://host:port as the client reached us, for URLs we hand out (Code.Location). */
  baseUrl: string;
  requestId: string;
  /** Path parameters filled in by a REST route ({Id}, {FunctionName}, …). */
  params: Record<string, string>;
}

export interface SandboxReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Operation {
  name: string;
  handle(req: SandboxRequest, world: World): SandboxReply;
}

/** One emulated AWS service: how to find an operation and how to speak its error format. */
export interface Service {
  name: ServiceName;
  /** Larger request bodies are refused before they are parsed. */
  maxBodyBytes: number;
  /** The operation a request asks for; throws the protocol's AwsError when there is none. */
  resolve(req: SandboxRequest): Operation;
  renderError(error: AwsError, requestId: string): SandboxReply;
  /** What this service answers when it throttles (the SDK retries these). */
  throttleError(): AwsError;
}

/** Get*, List*, Describe*, Filter* (CloudWatch Logs' FilterLogEvents) and Head* (S3's HeadBucket, HeadObject) read; everything else writes. */
export function isMutating(operation: string): boolean {
  return !/^(Get|List|Describe|Filter|Head)/.test(operation);
}
