/**
 * The set-up many CLI tests share: a sandbox (useSandbox: started once per file, reset before
 * each test, closed after them all), a fresh first-party-proxy project (integration fp-proxy)
 * on the demo distribution for each test, removed after it, and — when `secret` is given —
 * the integration's secret stored with those values, as `init` would have left it.
 * Read it as `box.sb` and `box.project` inside hooks and tests.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach } from 'vitest';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import { DEMO_DISTRIBUTION_ID } from '../../src/sandbox/seeds/demo.js';
import { fpProxyProject, type Project } from './cli.js';
import { INSTANT, type TestSandbox, useSandbox } from './sandbox.js';

/** The secret the first-party-proxy recipe names for integration fp-proxy. */
export const FP_PROXY_SECRET_NAME = 'edge-install/fp-proxy';

export interface FpProxyBox {
  readonly sb: TestSandbox;
  readonly project: Project;
}

export function useFpProxyProject(options: { secret?: Record<string, string>; sandbox?: SandboxOptions } = {}): FpProxyBox {
  const sandbox = useSandbox(options.sandbox ?? INSTANT);
  let project: Project | undefined;
  // Registered after useSandbox's reset, so each test's secret goes into the fresh world.
  beforeEach(async () => {
    project = fpProxyProject([DEMO_DISTRIBUTION_ID]);
    if (options.secret) await sandbox.sb.secrets.send(new CreateSecretCommand({ Name: FP_PROXY_SECRET_NAME, SecretString: JSON.stringify(options.secret) }));
  });
  afterEach(() => {
    project?.remove();
    project = undefined;
  });
  return {
    get sb() {
      return sandbox.sb;
    },
    get project() {
      if (!project) throw new Error('useFpProxyProject: the project exists only inside a test (or its beforeEach/afterEach)');
      return project;
    },
  };
}
