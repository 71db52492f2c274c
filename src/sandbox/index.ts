/**
 * Start the sandbox in this process: `const sb = await startSandbox({ port: 0 })`, then point
 * any AWS client at `sb.endpoint`. Used by `edge-install sandbox`, `demo` and the tests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog } from './calls.js';
import { FaultInjector } from './faults.js';
import { readStateFile, writeStateFile } from './persistence.js';
import { seedData } from './seeds/index.js';
import { createSandboxServer } from './server.js';
import { DataPlane, type ServedRequest } from './edge/data-plane.js';
import { EdgeServers } from './edge/edge-server.js';
import { DEFAULT_DELAYS, DEFAULT_QUOTAS, World, type Delays, type Quotas, type SandboxData } from './world.js';

export interface SandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** `demo` (default), `empty`, or a path to a JSON state file to start from. */
  seed?: string;
  /** Start from this state instead of the seed (a rehearsal's copy of real distributions); `reset` goes back to it. */
  initialData?: SandboxData;
  delays?: Partial<Delays>;
  quotas?: Partial<Quotas>;
  /** Load state from here when it exists; rewrite it after every write. */
  stateFile?: string;
  /** Receives one line per request (and internal errors). */
  log?: (line: string) => void;
  /** The local edge (edge/): what it may reach and where it serves from. */
  edge?: EdgeOptions;
}

export interface EdgeOptions {
  /** Origin map: host (or host:port) → base URL, e.g. { 'api.example.com': 'http://127.0.0.1:9000' }. */
  origins?: Record<string, string>;
  /** S3 bucket → local directory serving its objects. */
  s3Dirs?: Record<string, string>;
  /** Serve every request from this Region (default: round-robin over the regional edge cache Regions). */
  region?: string;
  /** Told about every request served, with its trace. */
  onServed?: (served: ServedRequest) => void;
  /** Seeds weight-based continuous deployment routing, so the same requests go to the same sides run after run (default: unseeded). */
  seed?: number;
}

export interface RunningSandbox {
  endpoint: string;
  port: number;
  distributionIds: string[];
  world: World;
  /** Distribution id → the URL its local edge listener serves it at. */
  edgeUrls(): Record<string, string>;
  /** The local edge: its cache, its Lambda runtime, its origin map. */
  dataPlane: DataPlane;
  /** Serves a request through a distribution's local edge (a listener of the caller's own: `dev`). */
  serveEdge(req: IncomingMessage, res: ServerResponse, distributionId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const seed = options.seed ?? 'demo';
  const stored = options.stateFile ? readStateFile(options.stateFile) : undefined;
  const initial = (): SandboxData => (options.initialData ? structuredClone(options.initialData) : seedData(seed));
  const world = new World(stored ?? initial(), { ...DEFAULT_DELAYS, ...options.delays }, { ...DEFAULT_QUOTAS, ...options.quotas });
  const calls = new CallLog();
  const faults = new FaultInjector();
  const persist = (): void => {
    if (options.stateFile) writeStateFile(options.stateFile, world.snapshot());
  };
  const distributionIds = (): string[] => world.data.cloudfront.distributions.map((d) => d.id);
  // Log events arrive with traffic: the state file is rewritten at most once per 200 ms of it,
  // and once more on close, so none is lost.
  let persistTimer: ReturnType<typeof setTimeout> | undefined;
  const persistQueued = (): void => {
    persistTimer = undefined;
    try {
      persist();
    } catch (error) {
      options.log?.(`sandbox: the state file could not be written: ${(error as Error).message}`);
    }
  };
  const persistSoon = (): void => {
    if (!options.stateFile || persistTimer) return;
    persistTimer = setTimeout(persistQueued, 200);
    persistTimer.unref();
  };
  const host = options.host ?? '127.0.0.1';
  const log = options.log;
  const dataPlane = new DataPlane(
    world,
    faults,
    { origins: lowerCaseKeys(options.edge?.origins ?? {}), s3Dirs: options.edge?.s3Dirs ?? {}, region: options.edge?.region, seed: options.edge?.seed, onServed: options.edge?.onServed, onLogsWritten: persistSoon },
    log,
  );
  const edge = new EdgeServers(world, dataPlane, host, log);
  const syncEdge = (): void => {
    edge.sync().catch((error: Error) => log?.(`edge: a distribution's listener did not start: ${error.message}`));
  };

  const server = createSandboxServer({
    world,
    calls,
    faults,
    onWrite: () => {
      persist();
      // A created or deleted distribution gains or loses its edge listener.
      syncEdge();
    },
    edge,
    edgeFailures: dataPlane.edgeFailures,
    loopbackOnly: /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host),
    log,
    reset(name) {
      world.replace(name === undefined ? initial() : seedData(name));
      calls.clear();
      faults.clear();
      persist();
      dataPlane.cache.clear();
      dataPlane.deployment.clear();
      syncEdge();
      return distributionIds();
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  persist();
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const endpoint = `http://${shownHost}:${port}`;
  // Functions' AWS calls (a secret read) go to this sandbox.
  dataPlane.configure({ awsEndpoint: endpoint });
  await edge.sync();
  return {
    endpoint,
    port,
    distributionIds: distributionIds(),
    world,
    edgeUrls: () => edge.urls(),
    serveEdge: (req, res, distributionId) => edge.handle(req, res, distributionId),
    dataPlane,
    close: async () => {
      // A held call would keep its connection open; let it answer before the server goes.
      await faults.release({}, { untilAnswered: true });
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await edge.close();
      await dataPlane.close();
      if (persistTimer) {
        clearTimeout(persistTimer);
        persistQueued();
      }
    },
  };
}

const lowerCaseKeys = (map: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
