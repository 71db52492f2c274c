/**
 * `import.meta` in a CommonJS bundle. Lambda@Edge runs the bundle as CommonJS (index.js,
 * `index.handler`), where esbuild leaves `import.meta` an empty object — with only a warning —
 * so a handler doing `fileURLToPath(import.meta.url)` would deploy fine and then throw on its
 * first request at every edge location. That is worse than refusing it, and fixable:
 *
 * - `import.meta.url`, `.filename` and `.dirname` are given their CommonJS equivalents: the
 *   first through a tiny injected module (tree-shaken away when no file reads it, so bundles
 *   that never touch `import.meta` keep their bytes), the other two as `__filename`/`__dirname`.
 * - Any other use (`import.meta.resolve`, `import.meta` itself) has no equivalent: a handler
 *   file of the project using one is refused before upload, naming the line. Uses inside
 *   installed packages are left alone — packages commonly guard them for CommonJS.
 */
import type { BuildOptions, Message, Plugin } from 'esbuild';

const SHIM = 'edge-install-shim:import-meta-url';
const NAMESPACE = 'edge-install-shim';
const URL_IDENTIFIER = '__edge_install_import_meta_url';

/** Resolves the injected module from memory: nothing outside the package's code is read. */
const shimPlugin: Plugin = {
  name: 'edge-install-import-meta',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^edge-install-shim:import-meta-url$/ }, () => ({ path: 'import-meta-url', namespace: NAMESPACE, sideEffects: false }));
    esbuild.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => ({
      contents: `export const ${URL_IDENTIFIER} = require('node:url').pathToFileURL(__filename).href;`,
      loader: 'js',
    }));
  },
};

/** The esbuild options that give a CommonJS bundle a working `import.meta.url/filename/dirname`. */
export function importMetaOptions(): Pick<BuildOptions, 'define' | 'inject' | 'plugins'> {
  return {
    define: { 'import.meta.url': URL_IDENTIFIER, 'import.meta.filename': '__filename', 'import.meta.dirname': '__dirname' },
    inject: [SHIM],
    plugins: [shimPlugin],
  };
}

/** The first use of `import.meta` left empty in one of the project's own files, if any. */
export function emptyImportMetaInProject(warnings: readonly Message[]): Message | undefined {
  return warnings.find((w) => w.id === 'empty-import-meta' && w.location !== null && !w.location.file.split(/[\\/]/).includes('node_modules'));
}
