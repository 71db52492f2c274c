/**
 * Start the sandbox in this process: `const sb = await startSandbox({ port: 0 })`, then point
 * any AWS client at `sb.endpoint`. Used by `edge-install sandbox`, `demo` and the tests.
 */
import type { AddressInfo } from 'node:net';
import { CallLog } from './calls.js';
import { FaultInjector } from './faults.js';
import { readStateFile, writeStateFile } from './persistence.js';
import { seedData } from './seeds/index.js';
import { createSandboxServer } from './server.js';
import { DEFAULT_DELAYS, DEFAULT_QUOTAS, World, type Delays, type Quotas } from './world.js';

export interface SandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** `demo` (default), `empty`, or a path to a JSON state file to start from. */
  seed?: string;
  delays?: Partial<Delays>;
  quotas?: Partial<Quotas>;
  /** Load state from here when it exists; rewrite it after every write. */
  stateFile?: string;
  /** Receives one line per request (and internal errors). */
  log?: (line: string) => void;
}

export interface RunningSandbox {
  endpoint: string;
  port: number;
  distributionIds: string[];
  world: World;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const seed = options.seed ?? 'demo';
  const stored = options.stateFile ? readStateFile(options.stateFile) : undefined;
  const world = new World(stored ?? seedData(seed), { ...DEFAULT_DELAYS, ...options.delays }, { ...DEFAULT_QUOTAS, ...options.quotas });
  const calls = new CallLog();
  const faults = new FaultInjector();
  const persist = (): void => {
    if (options.stateFile) writeStateFile(options.stateFile, world.snapshot());
  };
  const distributionIds = (): string[] => world.data.cloudfront.distributions.map((d) => d.id);

  const server = createSandboxServer({
    world,
    calls,
    faults,
    onWrite: persist,
    log: options.log,
    reset(name) {
      world.replace(seedData(name ?? seed));
      calls.clear();
      faults.clear();
      persist();
      return distributionIds();
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  persist();
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${shownHost}:${port}`,
    port,
    distributionIds: distributionIds(),
    world,
    close: async () => {
      // A held call would keep its connection open; let it answer before the server goes.
      await faults.release({}, { untilAnswered: true });
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
