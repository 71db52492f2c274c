/**
 * Test harness: a sandbox on a random loopback port and real AWS SDK clients pointed at it.
 * Retries use the SDK's own strategy with short delays so throttling tests stay quick.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { CallRecord } from '../../src/sandbox/calls.js';
import type { FaultSpec, HeldCall, ReleaseFilter } from '../../src/sandbox/faults.js';
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
  /** Hold matching calls until `release`: before they run, or (`when: 'after'`) their answers after they ran. */
  hold(spec: HoldSpec & { when?: 'before' | 'after' }): Promise<void>;
  /** The calls being held now, oldest first. */
  held(): Promise<HeldCall[]>;
  /** Release the held calls matching the filter (all without one); how many were released. */
  release(filter?: ReleaseFilter): Promise<number>;
  /** Resolves, with those calls, once a call of this operation is held (the sandbox answers on the event: no polling, no clock). */
  waitUntilHeld(operation: string): Promise<HeldCall[]>;
  /** Resolves once no call is held (a dropped client's hold is gone). */
  waitUntilNoneHeld(): Promise<void>;
}

export type HoldSpec = Pick<FaultSpec, 'operation' | 'service' | 'after' | 'times' | 'mutatingOnly'>;


interface ClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

/** No waiting on the sandbox clock: deployments, Lambda states and IAM propagation are instant. */
export const INSTANT: SandboxOptions = { delays: { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0 } };

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
  const held = () => admin<HeldCall[]>('GET', 'held');
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
    hold: async ({ when, ...spec }) => {
      await admin('POST', 'faults', { ...spec, hold: when === 'after' ? 'after' : true });
    },
    held,
    release: async (filter = {}) => (await admin<{ released: number }>('POST', 'release', filter)).released,
    waitUntilHeld: (operation) => admin<HeldCall[]>('GET', `held?wait=${encodeURIComponent(operation)}`),
    waitUntilNoneHeld: async () => {
      await admin('GET', 'held?wait=none');
    },
    close: async () => {
      for (const client of Object.values(clients)) client.destroy();
      await sandbox.close();
    },
  };
}

/**
 * A test file's sandbox: started before its tests, reset before each, closed after them all.
 * Read it as `box.sb` inside hooks and tests.
 */
export function useSandbox(options: SandboxOptions = INSTANT): { readonly sb: TestSandbox } {
  const box = {} as { sb: TestSandbox };
  beforeAll(async () => {
    box.sb = await startTestSandbox(options);
  });
  afterAll(() => box.sb.close());
  beforeEach(() => box.sb.admin('POST', 'reset'));
  return box;
}
