/**
 * The AWS a locally run function sees: an in-process sandbox (src/sandbox) holding the
 * manifest's secret with the values given for this run, so a handler's GetSecretValue works
 * as it will at the edge, without any account. `invoke` and `dev` start one; nothing in it
 * outlives the command.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSandbox, type EdgeOptions, type RunningSandbox } from '../sandbox/index.js';
import type { SandboxData } from '../sandbox/world.js';

export interface LocalSecret {
  name: string;
  region: string;
  replicaRegions: string[];
  /** Every key's value (plain ones from the manifest, sensitive ones as given). Never printed. */
  values: Record<string, string>;
}

export interface LocalAwsOptions {
  secret?: LocalSecret;
  /** Start from this state (a copy of real distributions); else the empty seed. */
  initialData?: SandboxData;
  edge?: EdgeOptions;
  log?: (line: string) => void;
}

/** No waiting: the local AWS deploys, activates and propagates at once. */
const INSTANT = { deployMs: 0, lambdaStateMs: 0, iamPropagationMs: 0, replicaDeletionMs: 0 };

export async function startLocalAws(options: LocalAwsOptions): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ port: 0, seed: 'empty', initialData: options.initialData, delays: INSTANT, edge: options.edge, log: options.log });
  try {
    if (options.secret) await storeSecret(sandbox.endpoint, options.secret);
    return sandbox;
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

async function storeSecret(endpoint: string, secret: LocalSecret): Promise<void> {
  // The secret where the functions read it: its home Region and each replica's.
  for (const region of [secret.region, ...secret.replicaRegions]) {
    const client = new SecretsManagerClient({ region, endpoint, credentials: { accessKeyId: 'AKIDEDGEINSTALLLOCAL', secretAccessKey: 'edge-install-local' } });
    try {
      await client.send(new CreateSecretCommand({ Name: secret.name, SecretString: JSON.stringify(secret.values) }));
    } finally {
      client.destroy();
    }
  }
}
