/**
 * Test harness: a sandbox on a random loopback port and real AWS SDK clients pointed at it.
 * Retries use the SDK's own strategy with short delays so throttling tests stay quick.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import type { CallRecord } from '../../src/sandbox/calls.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index.js';

export interface TestSandbox extends RunningSandbox {
  cloudfront: CloudFrontClient;
  lambda: LambdaClient;
  iam: IAMClient;
  secrets: SecretsManagerClient;
  sts: STSClient;
  /** Client config for building other clients (region, endpoint, dummy credentials). */
  clientConfig(region?: string): ClientConfig;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  advance(ms: number): Promise<void>;
  calls(): Promise<CallRecord[]>;
}


interface ClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({ port: 0, ...options });
  const clientConfig = (region = 'us-east-1'): ClientConfig => ({
    region,
    endpoint: sandbox.endpoint,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' },
    maxAttempts: 3,
  });
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sandbox.endpoint}/_sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const clients = {
    cloudfront: new CloudFrontClient(clientConfig()),
    lambda: new LambdaClient(clientConfig()),
    iam: new IAMClient(clientConfig()),
    secrets: new SecretsManagerClient(clientConfig()),
    sts: new STSClient(clientConfig()),
  };
  return {
    ...sandbox,
    ...clients,
    clientConfig,
    admin,
    advance: async (ms) => {
      await admin('POST', 'advance', { ms });
    },
    calls: () => admin<CallRecord[]>('GET', 'calls'),
    close: async () => {
      for (const client of Object.values(clients)) client.destroy();
      await sandbox.close();
    },
  };
}
