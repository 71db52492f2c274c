/**
 * Builds dist/runtime.js: `edge-install/runtime` as Node can load it (package.json "exports").
 *
 * A handler edge-install bundles never uses this file — the bundler resolves the import to the
 * TypeScript source, handlers/shared/runtime.ts (src/bundle/runtime-module.ts), so the baked
 * config and the code reading it come from one release. This copy is for what runs a handler
 * outside the bundler: the user's own unit tests (vitest, node --test) importing their handler.
 * Node cannot load .ts from node_modules, so "exports" must point at JavaScript.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['handlers/shared/runtime.ts'],
  outfile: 'dist/runtime.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // node:* built-ins stay imports; nothing else is external (the runtime has no dependencies).
  packages: 'external',
  logLevel: 'warning',
});
