/**
 * `edge-install/runtime`, the module a handler imports to read its config and secret
 * (handlers/shared/runtime.ts; its public types are runtime.d.ts at the package root). The
 * bundler resolves the import to the file of the package that bundles (esbuild.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPackageRoot } from './resolve-handler.js';

/** `edge-install/runtime`, and `edge-install` itself (package.json "exports" maps both to it). */
export const RUNTIME_SPECIFIER = /^edge-install(\/runtime)?$/;

const runtimeIn = (packageRoot: string) => join(packageRoot, 'handlers', 'shared', 'runtime.ts');

/**
 * The runtime of `packageRoot` when it has one (so a built-in handler and a custom one share
 * the module), else this package's own.
 */
export function runtimeFile(packageRoot?: string): string {
  if (packageRoot !== undefined && existsSync(runtimeIn(packageRoot))) return runtimeIn(packageRoot);
  return runtimeIn(defaultPackageRoot());
}
