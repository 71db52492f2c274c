/**
 * The bundle step of the deploy pipeline (ARCHITECTURE.md, apply step 3): a manifest function
 * → a deterministic Lambda zip holding one `index.js` (Handler `index.handler`), with its
 * CodeSha256, refused before upload when it is over its events' code-size limit.
 *
 * Every failure is a BundleError naming the function, the file and the fix (exit code 2 in
 * the CLI). Nothing here calls AWS or writes files.
 */
import { resolve } from 'node:path';
import type { EventType, Runtime } from '../manifest/schema.js';
import { configDefineValue } from './config-define.js';
import { bundleScript } from './esbuild.js';
import { BundleError } from './errors.js';
import { assertCodeSize } from './limits.js';
import { displayPath, resolveHandlerFile } from './resolve-handler.js';
import { codeSha256, deterministicZip } from './zip.js';

export { BundleError, CodeSizeError } from './errors.js';
export { CONFIG_IDENTIFIER, canonicalJson, configDefineValue } from './config-define.js';
export { esbuildOptions, esbuildTarget, type ScriptRequest } from './esbuild.js';
export { assertCodeSize, codeSizeLimit, formatBytes, ORIGIN_CODE_SIZE_LIMIT, VIEWER_CODE_SIZE_LIMIT, type CodeSizeLimit } from './limits.js';
export { BUILTIN_PREFIX, defaultPackageRoot, resolveHandlerFile } from './resolve-handler.js';
export { RUNTIME_SPECIFIER, runtimeFile } from './runtime-module.js';
export { codeSha256, deterministicZip, ZIP_ENTRY_DATE, ZIP_FILE_MODE, type ZipFile } from './zip.js';

/** The file inside the zip, and the Handler setting of every function edge-install creates. */
export const SCRIPT_NAME = 'index.js';
export const LAMBDA_HANDLER = 'index.handler';

export interface BundleRequest {
  /** The manifest key (`functions.<key>`), for messages. */
  functionKey: string;
  /** `builtin:<name>` or a path relative to `baseDir`. */
  handler: string;
  runtime: Runtime;
  /** The function's non-secret `config` from the manifest, baked in as __EDGE_INSTALL_CONFIG__. */
  config: Record<string, unknown>;
  /** Every event the function is attached to: decides the code-size limit. */
  eventTypes: EventType[];
  /** The manifest's directory (the user's project): handler paths and packages resolve from here. */
  baseDir: string;
  /** The edge-install package directory holding `handlers/`; defaults to this package. */
  packageRoot?: string;
  /**
   * Non-secret settings edge-install adds to `config` in __EDGE_INSTALL_CONFIG__ (e.g. the
   * secret's ARN and region). A key may not also be in `config`. NEVER a secret value.
   */
  settings?: Record<string, unknown>;
}

export interface Bundle {
  zip: Buffer;
  /** base64 of the SHA-256 of `zip`, as Lambda reports CodeSha256. */
  codeSha256: string;
  /** Bytes of `zip`, as Lambda reports CodeSize. */
  codeSize: number;
  /** bytes of index.js */
  scriptBytes: number;
}

export async function bundleFunction(request: BundleRequest): Promise<Bundle> {
  const { functionKey } = request;
  const baseDir = resolve(request.baseDir);
  const { file, handlersDir } = resolveHandlerFile({ functionKey, handler: request.handler, baseDir, packageRoot: request.packageRoot });

  // Non-secret by contract (config-define.ts): no secret value ever reaches a bundle.
  const define = configDefineValue(request.config, request.settings);
  if ('problem' in define) throw new BundleError({ functionKey, file, problem: define.problem, fix: define.fix });

  const script = await bundleScript({ functionKey, entry: file, baseDir, handlersDir, runtime: request.runtime, configJson: define.json, packageRoot: request.packageRoot });
  const zip = await deterministicZip([{ name: SCRIPT_NAME, data: script }]);
  assertCodeSize({ functionKey, file, shownFile: displayPath(file, baseDir), zipBytes: zip.length, eventTypes: request.eventTypes });
  return { zip, codeSha256: codeSha256(zip), codeSize: zip.length, scriptBytes: script.length };
}
