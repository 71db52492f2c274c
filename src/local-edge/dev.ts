/**
 * `edge-install dev`: the manifest's integration served locally, rebuilt on every change.
 *
 * A local AWS (an in-process sandbox) starts with the distribution to serve on — a copy of the
 * manifest's real one (read-only, as `sandbox --from-distribution` reads it) or, with an
 * origin URL, a plain one in front of that URL — and the secret with this run's values. The
 * integration is installed there by the real pipeline (gather → assemble → apply), so what
 * dev serves is exactly what attach would make; every change to a file of the project
 * installs it again (a new function version, one more UpdateDistribution) and the local edge
 * drops its cache and warm containers so the next request runs the new code.
 */
import { mkdtempSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { applyAttach } from '../apply/attach.js';
import { createClients, type AwsClients } from '../aws/clients.js';
import type { Timing } from '../aws/polling.js';
import { RuntimeError, UsageError } from '../errors.js';
import { gatherAttach } from '../gather/attach.js';
import type { LoadedManifest } from '../manifest/load.js';
import { functionName } from '../manifest/naming.js';
import { assembleAttach } from '../plan/attach.js';
import { blockedReasons } from '../plan/plan.js';
import type { ServedRequest } from '../sandbox/edge/data-plane.js';
import type { RunningSandbox } from '../sandbox/index.js';
import { copyData, type DistributionCopy } from '../sandbox/seeds/copy.js';
import { localStore } from '../state/local-store.js';
import { startLocalAws, type LocalSecret } from './local-aws.js';

export interface DevOptions {
  /** Reloads the manifest (it may have changed). */
  load(): Promise<LoadedManifest>;
  distributionId: string;
  /** What to serve on: a copy of real distributions (read by the caller), or the plain one. */
  copy: DistributionCopy;
  secret?: LocalSecret;
  origins: Record<string, string>;
  s3Dirs: Record<string, string>;
  region?: string;
  host: string;
  port: number;
  timing: Timing;
  onServed(served: ServedRequest): void;
  onInstalled(installed: Installed): void;
  onError(error: Error): void;
}

export interface Installed {
  /** 1 for the first install, then one per rebuild. */
  generation: number;
  ms: number;
  /** `<function>:<version>` attached now. */
  versions: string[];
  /** The file change that started it (undefined for the first). */
  trigger?: string;
}

/**
 * What a change to is a change to the integration: the manifest and the handlers' source
 * (what esbuild bundles). Output directories and dot-directories (an app's .next/, build/)
 * are never its source, so an origin app building next to the manifest does not reinstall.
 */
const SOURCE = /\.(json|[cm]?[jt]sx?)$/;
const IGNORED = new Set(['node_modules', 'dist', 'build', 'out', 'coverage']);
/** Changes closer together than this are one rebuild (editors write a file in several steps). */
const SETTLE_MS = 25;

export class DevSession {
  private aws?: RunningSandbox;
  private clients?: AwsClients;
  private server?: Server;
  private watcher?: FSWatcher;
  private readonly stateDir = mkdtempSync(join(tmpdir(), 'edge-install-dev-'));
  private readonly state = localStore(this.stateDir);
  private generation = 0;
  private installing: Promise<void> = Promise.resolve();
  private pending?: ReturnType<typeof setTimeout>;
  url = '';
  endpoint = '';

  constructor(private readonly options: DevOptions) {}

  async start(): Promise<void> {
    const o = this.options;
    this.aws = await startLocalAws({
      secret: o.secret,
      initialData: copyData(o.copy),
      edge: { origins: o.origins, s3Dirs: o.s3Dirs, region: o.region, onServed: (served) => o.onServed(served) },
    });
    this.endpoint = this.aws.endpoint;
    // Any credentials do for the local AWS; the developer's profile is never consulted.
    this.clients = createClients({ endpointUrl: this.aws.endpoint, env: {} });
    await this.install();
    const aws = this.aws;
    this.server = createServer((req, res) => void aws.serveEdge(req, res, o.distributionId));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(o.port, o.host, () => resolve());
    });
    this.url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${(this.server.address() as AddressInfo).port}`;
  }

  /** Rebuild on every change under `dir` (the manifest's directory), one at a time. */
  watch(dir: string): void {
    this.watcher = watch(dir, { recursive: true }, (_event, file) => {
      const name = file ? String(file) : '';
      if (!name || !SOURCE.test(name) || name.split(sep).some((part) => IGNORED.has(part) || part.startsWith('.'))) return;
      clearTimeout(this.pending);
      // `name` is relative to the watched directory already.
      this.pending = setTimeout(() => this.rebuild(name), SETTLE_MS);
    });
  }

  /** Installs the current manifest and code again; the returned promise settles when it is served. */
  rebuild(trigger?: string): Promise<void> {
    this.installing = this.installing.then(() => this.install(trigger)).catch((error: Error) => this.options.onError(error));
    return this.installing;
  }

  private async install(trigger?: string): Promise<void> {
    const started = performance.now();
    const loaded = await this.options.load();
    // The secret's values for this run are the desired ones: the install writes what is missing, never drops a key.
    const secretValues = this.options.secret?.values;
    const planned = assembleAttach(await gatherAttach(this.clients!, loaded, { distributionIds: [this.options.distributionId], state: this.state, secretValues }), { replaceForeign: false, allowContinuousDeployment: false });
    if (planned.verdict.blocked.length) {
      const message = `the integration cannot be installed on ${this.options.distributionId}: ${blockedReasons(planned)}`;
      throw planned.verdict.blockedExitCode === 2 ? new UsageError(message) : new RuntimeError(message);
    }
    // A save that changes nothing the integration is made of (same bundles, same manifest) installs nothing.
    if (!planned.verdict.hasChanges && this.generation > 0) return;
    if (planned.verdict.hasChanges) {
      const result = await applyAttach(this.clients!, planned, { state: this.state, timing: this.options.timing, wait: true, waitTimeoutSeconds: 60, concurrency: 1 });
      const failed = result.distributions.find((d) => !d.ok);
      if (failed?.error) throw failed.error;
      // The next request runs the new code on a fresh cache, as after a real deployment and an invalidation.
      this.aws!.dataPlane.cache.clear();
      await this.aws!.dataPlane.runtime.retire();
    }
    this.generation++;
    this.options.onInstalled({ generation: this.generation, ms: performance.now() - started, versions: this.publishedVersions(loaded), trigger });
  }

  /** Each function of the manifest with its newest published version (the one attach attached). */
  private publishedVersions(loaded: LoadedManifest): string[] {
    const functions = this.aws!.world.data.lambda.functions;
    return Object.keys(loaded.manifest.functions).map((key) => {
      const name = functionName(loaded.manifest.name, key);
      return `${name}:${functions.find((f) => f.name === name)?.versions.at(-1)?.version ?? '?'}`;
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.pending);
    this.watcher?.close();
    await this.installing;
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
    this.clients?.destroy();
    await this.aws?.close();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
