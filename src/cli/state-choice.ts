/**
 * Which state store a run uses, and why — said by `status`, and in every message that names
 * the state. A flag wins over the manifest, as terraform's -backend-config wins over the
 * backend block:
 *
 * 1. `--state s3://bucket/prefix`: S3 (s3/s3-store.ts);
 * 2. `--state-dir <dir>`: that directory;
 * 3. the manifest's `state.s3`: S3;
 * 4. `.edge-install` next to the manifest (under --endpoint-url, a directory of that endpoint's
 *    own, so a sandbox's revisions never mix with the real account's).
 *
 * `--state` and `--state-dir` together are refused: one run keeps its state in one place.
 */
import { dirname, join } from 'node:path';
import type { AwsClients } from '../aws/clients.js';
import { EDGE_REGION } from '../aws/regions.js';
import { UsageError } from '../errors.js';
import type { Manifest } from '../manifest/schema.js';
import { DEFAULT_STALE_LOCK_MINUTES, type LockSettings } from '../state/lock-holder.js';
import { localStore } from '../state/local-store.js';
import { formatS3Url, normalPrefix, parseS3Url, type S3Location } from '../state/s3/location.js';
import { s3Store } from '../state/s3/s3-store.js';
import type { StateStore } from '../state/store.js';
import { DEFAULT_STATE_DIR } from './context.js';

export type StateChosenBy = '--state' | '--state-dir' | "the manifest's state.s3" | 'the default';

export interface StateChoice {
  store: StateStore;
  chosenBy: StateChosenBy;
  /** The manifest's state.s3, when a flag chose another place: `status` shows both. */
  manifestNames?: string;
}

export interface StateInputs {
  state?: string;
  stateDir?: string;
  /** Under --endpoint-url, the endpoint's own directory name (context.ts). */
  endpointDirName?: string;
  manifestPath: string;
  manifest: Manifest;
  env: NodeJS.ProcessEnv;
  path(p: string): string;
  clients(): Promise<AwsClients>;
}

/** The manifest's S3 location, if it names one. */
export function manifestS3(manifest: Manifest): S3Location | undefined {
  const s3 = manifest.state?.s3;
  return s3 ? { bucket: s3.bucket, prefix: normalPrefix(s3.prefix, 'state.s3.prefix'), ...(s3.region ? { region: s3.region } : {}) } : undefined;
}

/** The store at an S3 location; the client is made for the bucket's Region on first use. */
export function s3StoreAt(location: S3Location, chosenBy: string, inputs: Pick<StateInputs, 'env' | 'clients' | 'endpointDirName'>, lock: LockSettings): StateStore {
  // The bucket's Region if known; else the one the environment names, and S3's redirect from there.
  const region = location.region ?? (inputs.env.AWS_REGION || inputs.env.AWS_DEFAULT_REGION || EDGE_REGION);
  return s3Store(location, { client: async () => (await inputs.clients()).s3(region), chosenBy, lock, endpoint: inputs.endpointDirName !== undefined });
}

export function lockSettings(manifest: Manifest, env: NodeJS.ProcessEnv): LockSettings {
  return { env, staleAfterMinutes: manifest.state?.staleLockAfterMinutes ?? DEFAULT_STALE_LOCK_MINUTES };
}

/**
 * The state dir a run would use: `--state-dir`, else `.edge-install` next to the manifest (under
 * --endpoint-url, a directory of that endpoint's own). `state push` and `state pull` move
 * revisions between it and S3, whatever the manifest's state.s3 says.
 */
export function stateDirOf(inputs: Pick<StateInputs, 'stateDir' | 'manifestPath' | 'endpointDirName' | 'path'>): string {
  if (inputs.stateDir !== undefined) return inputs.path(inputs.stateDir);
  const base = join(dirname(inputs.manifestPath), DEFAULT_STATE_DIR);
  return inputs.endpointDirName ? join(base, 'endpoints', inputs.endpointDirName) : base;
}

export function chooseState(inputs: StateInputs): StateChoice {
  const lock = lockSettings(inputs.manifest, inputs.env);
  const fromManifest = manifestS3(inputs.manifest);
  const overridden = fromManifest ? { manifestNames: formatS3Url(fromManifest) } : {};
  if (inputs.state !== undefined && inputs.stateDir !== undefined) {
    throw new UsageError(`--state ${inputs.state} and --state-dir ${inputs.stateDir} name two places for the state: a run keeps it in one. Fix: leave one out.`);
  }
  if (inputs.state !== undefined) {
    return { store: s3StoreAt(parseS3Url(inputs.state, '--state'), '--state', inputs, lock), chosenBy: '--state', ...overridden };
  }
  if (inputs.stateDir !== undefined) return { store: localStore(stateDirOf(inputs), lock), chosenBy: '--state-dir', ...overridden };
  if (fromManifest) return { store: s3StoreAt(fromManifest, "the manifest's state.s3", inputs, lock), chosenBy: "the manifest's state.s3" };
  return { store: localStore(stateDirOf(inputs), lock), chosenBy: 'the default' };
}
