/**
 * esbuild: a handler and everything it imports → one minified CommonJS `index.js`, whose
 * `handler` export Lambda calls (Handler `index.handler`).
 *
 * The output must depend only on the sources, the config and the esbuild version, never on
 * the machine: no source maps, no comments (`legalComments: 'none'`; minify drops the rest,
 * including the `// path/to/file.ts` markers esbuild writes between modules), and module
 * paths — which esbuild prints relative to `absWorkingDir` — never reach minified output.
 * test/bundle asserts that no absolute path appears in a bundle and that the same project
 * bundled from two different directories gives the same bytes.
 *
 * Two passes run side by side: an ESM build whose metafile lists the entry's exports (to refuse
 * a module without `handler` before upload, see handler-export.ts), and the real CJS build.
 */
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { build, transform, type BuildFailure, type BuildOptions, type BuildResult, type Message, type Metafile, type Plugin } from 'esbuild';
import { RUNTIME_IDS, runtimeDates } from '../manifest/runtimes.js';
import type { Runtime } from '../manifest/schema.js';
import { CONFIG_IDENTIFIER } from './config-define.js';
import { BundleError } from './errors.js';
import { checkHandlerExport, type EntryFormat } from './handler-export.js';
import { emptyImportMetaInProject, importMetaOptions } from './import-meta.js';
import { displayPath } from './resolve-handler.js';
import { RUNTIME_SPECIFIER, runtimeFile } from './runtime-module.js';

/** The esbuild target of a Lambda runtime (runtimes.ts): syntax the runtime lacks is lowered. */
export function esbuildTarget(runtime: Runtime): string {
  const target = runtimeDates(runtime)?.target;
  if (target === undefined) throw new Error(`no esbuild target for runtime ${JSON.stringify(runtime)}; expected one of ${RUNTIME_IDS.join(', ')}`);
  return target;
}

export interface ScriptRequest {
  functionKey: string;
  /** Absolute path of the handler's entry file. */
  entry: string;
  /** The manifest's directory: the user's project, where packages are resolved first. */
  baseDir: string;
  /** `<packageRoot>/handlers` when the entry is a built-in handler. */
  handlersDir?: string;
  runtime: Runtime;
  /** JSON value of CONFIG_IDENTIFIER (config-define.ts). */
  configJson: string;
  /** The edge-install package whose runtime `edge-install/runtime` resolves to (runtime-module.ts); this one by default. */
  packageRoot?: string;
}

const isInside = (file: string, dir: string) => {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

const SKIP = 'edge-install:project-first';

/**
 * Packages resolve from the user's project first. esbuild resolves a bare import by walking up
 * `node_modules` from the importing file; for the user's own handler files that walk starts in
 * their project already. A built-in handler lives in edge-install's package — in an npx cache
 * far from the project, or in the project's node_modules/edge-install, where the walk would
 * try edge-install's own node_modules first — so imports made by built-in handler files (the
 * enforcer wrappers importing the vendor SDK the user installed) are resolved from `baseDir`
 * first, then the usual way. The same goes for handler files outside the project. Imports
 * made by packages themselves keep Node's nearest-first rule, so nested dependency versions
 * are honoured. (`nodePaths` would not do: esbuild consults it only after the walk.)
 */
function projectFirst(baseDir: string, handlersDir: string | undefined): Plugin {
  const applies = (importer: string) =>
    (handlersDir !== undefined && isInside(importer, handlersDir)) || (!isInside(importer, baseDir) && !importer.split(sep).includes('node_modules'));
  return {
    name: 'edge-install-project-first',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^[^./]/, namespace: 'file' }, async (args) => {
        if ((args.pluginData as Record<string, unknown> | undefined)?.[SKIP] || args.kind === 'entry-point') return undefined;
        if (isAbsolute(args.path) || isBuiltin(args.path) || args.importer === '' || !applies(args.importer)) return undefined;
        const found = await esbuild.resolve(args.path, { kind: args.kind, resolveDir: baseDir, pluginData: { [SKIP]: true } });
        if (found.errors.length > 0) return undefined;
        return { path: found.path, external: found.external, namespace: found.namespace, sideEffects: found.sideEffects, suffix: found.suffix };
      });
    },
  };
}

/**
 * `import … from 'edge-install/runtime'` (and the bare `edge-install`, whose main entry is the
 * same module) always bundles the runtime of the edge-install that is bundling — never a copy
 * found in the project's node_modules, and whether there is one or not (run with npx, the
 * project need not install edge-install at all). The config baked into the bundle
 * (`secretName`, …) and the code that reads it then come from the same release.
 */
function runtimeAlias(packageRoot: string | undefined): Plugin {
  return {
    name: 'edge-install-runtime',
    setup(esbuild) {
      // Located when imported: most handlers never import it.
      esbuild.onResolve({ filter: RUNTIME_SPECIFIER }, () => ({ path: runtimeFile(packageRoot) }));
    },
  };
}

/**
 * The esbuild options of each pass: `analysis` (ESM, with a metafile listing the entry's
 * exports) and `final` (the minified CommonJS index.js that is zipped).
 */
export function esbuildOptions(request: ScriptRequest, pass: 'analysis' | 'final'): BuildOptions {
  const common: BuildOptions = {
    entryPoints: [request.entry],
    absWorkingDir: request.baseDir,
    outfile: 'index.js', // never written (write: false); names the output in the metafile
    write: false,
    bundle: true,
    platform: 'node',
    target: esbuildTarget(request.runtime),
    define: { [CONFIG_IDENTIFIER]: request.configJson },
    sourcemap: false,
    legalComments: 'none',
    charset: 'ascii',
    logLevel: 'silent',
    plugins: [runtimeAlias(request.packageRoot), projectFirst(request.baseDir, request.handlersDir)],
  };
  if (pass === 'analysis') return { ...common, format: 'esm', metafile: true };
  const meta = importMetaOptions();
  return {
    ...common,
    format: 'cjs',
    minify: true,
    metafile: false,
    define: { ...common.define, ...meta.define },
    inject: meta.inject,
    plugins: [...(meta.plugins ?? []), ...(common.plugins ?? [])],
  };
}

const isBuildFailure = (error: unknown): error is BuildFailure =>
  error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);

/** `file:line:col: text`, the file as the manifest would name it. */
function formatMessage(message: Message, baseDir: string): string {
  const loc = message.location;
  if (!loc) return message.text;
  const where = `${displayPath(resolve(baseDir, loc.file), baseDir)}:${loc.line}:${loc.column + 1}`;
  const excerpt = loc.lineText.trim() === '' ? '' : `\n      ${loc.lineText.trim()}`;
  return `${where}: ${message.text}${excerpt}`;
}

const UNRESOLVED = /^Could not resolve "([^"]+)"/;

/** `@scope/pkg/sub/path` → `@scope/pkg`; `pkg/sub` → `pkg`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const MAX_MESSAGES = 5;

function failureToError(failure: BuildFailure, request: ScriptRequest): BundleError {
  const { functionKey, baseDir, entry } = request;
  const errors = failure.errors;
  const fileOf = (message: Message | undefined) => (message?.location ? resolve(baseDir, message.location.file) : entry);
  const shownEntry = displayPath(entry, baseDir);

  const missing = errors.flatMap((message) => {
    const specifier = UNRESOLVED.exec(message.text)?.[1];
    return specifier !== undefined && !specifier.startsWith('.') && !isAbsolute(specifier) ? [{ message, pkg: packageNameOf(specifier) }] : [];
  });
  if (missing.length > 0 && missing.length === errors.length) {
    const packages = [...new Set(missing.map((m) => m.pkg))].sort();
    const where = missing.slice(0, MAX_MESSAGES).map((m) => `  ${formatMessage(m.message, baseDir)}`);
    return new BundleError({
      functionKey,
      file: fileOf(missing[0]?.message),
      problem: `${shownEntry} imports ${packages.map((p) => `"${p}"`).join(', ')}, which ${packages.length > 1 ? 'are' : 'is'} not installed in your project (${baseDir}):\n${where.join('\n')}`,
      fix: `run \`npm install ${packages.join(' ')}\` in ${baseDir} (the directory of the manifest), then run edge-install again.`,
    });
  }

  const shown = errors.slice(0, MAX_MESSAGES).map((message) => `  ${formatMessage(message, baseDir)}`);
  if (errors.length > MAX_MESSAGES) shown.push(`  …and ${errors.length - MAX_MESSAGES} more`);
  const first = errors[0];
  const firstFile = displayPath(fileOf(first), baseDir);
  return new BundleError({
    functionKey,
    file: fileOf(first),
    problem: `${shownEntry} does not compile (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${shown.join('\n')}`,
    fix:
      first && UNRESOLVED.test(first.text)
        ? `correct the import path at ${firstFile}:${first.location?.line ?? 1} (the file it names does not exist).`
        : `fix the error${errors.length === 1 ? '' : 's'} above in ${firstFile}, then run edge-install again.`,
  });
}

async function run(options: BuildOptions, request: ScriptRequest): Promise<BuildResult> {
  try {
    return await build(options);
  } catch (error) {
    if (isBuildFailure(error)) throw failureToError(error, request);
    throw error;
  }
}

/** The source without comments, for the CommonJS export check. */
async function codeWithoutComments(file: string): Promise<string> {
  const source = await readFile(file, 'utf8');
  const ext = extname(file);
  const loader = ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : 'js';
  try {
    return (await transform(source, { loader, logLevel: 'silent' })).code;
  } catch {
    return source;
  }
}

async function assertExportsHandler(metafile: Metafile | undefined, request: ScriptRequest): Promise<void> {
  if (!metafile) throw new Error(`esbuild produced no metafile for ${request.entry}`);
  const output = Object.values(metafile.outputs)[0];
  const entryKey = output?.entryPoint;
  const format: EntryFormat = entryKey !== undefined ? metafile.inputs[entryKey]?.format : undefined;
  const code = format === 'cjs' ? await codeWithoutComments(request.entry) : '';
  const shown = displayPath(request.entry, request.baseDir);
  const check = checkHandlerExport(output?.exports ?? [], format, code, shown);
  if (!check.ok) throw new BundleError({ functionKey: request.functionKey, file: request.entry, problem: check.problem, fix: check.fix });
}

/** The bundled `index.js` of a handler. Throws BundleError with the file and the fix. */
export async function bundleScript(request: ScriptRequest): Promise<Buffer> {
  const [analysis, final] = await Promise.allSettled([run(esbuildOptions(request, 'analysis'), request), run(esbuildOptions(request, 'final'), request)]);
  // The analysis pass reports first: its errors are the same, and it knows about `handler`.
  if (analysis.status === 'rejected') throw analysis.reason;
  await assertExportsHandler(analysis.value.metafile, request);
  if (final.status === 'rejected') throw final.reason; // e.g. top-level await, which CommonJS cannot express
  const emptyMeta = emptyImportMetaInProject(final.value.warnings);
  if (emptyMeta) {
    throw new BundleError({
      functionKey: request.functionKey,
      file: resolve(request.baseDir, emptyMeta.location?.file ?? request.entry),
      problem: `${formatMessage(emptyMeta, request.baseDir)}\n  Lambda@Edge runs the bundle as CommonJS, where only import.meta.url, import.meta.filename and import.meta.dirname can be provided; this use would be empty at run time.`,
      fix: 'use import.meta.url (or __filename/__dirname), or require.resolve instead of import.meta.resolve.',
    });
  }
  const output = final.value.outputFiles?.[0];
  if (!output) throw new Error(`esbuild produced no output for ${request.entry}`);
  return Buffer.from(output.contents);
}
