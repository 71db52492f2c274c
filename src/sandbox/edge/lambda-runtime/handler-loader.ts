/**
 * Loads the function's handler the way Lambda's Node.js runtime does (runs inside the worker).
 *
 * "dir/file.export.nested": the module is `file` under the task root's `dir`, the handler the
 * (nested) export; Node 24 also searches the module's default export.
 * Sources: aws/aws-lambda-nodejs-runtime-interface-client, src/UserFunction.js (the client of
 * Node ≤ 22 runtimes) and src/function/{module-loader,handler-resolver,user-function-loader}.ts,
 * src/utils/handler-path.ts (Node 24).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntimeError } from './runtime-errors.js';

export type Handler = (...args: unknown[]) => unknown;

/**
 * @param legacy the runtime is older than nodejs24.x: its client tries `require` first for
 * CommonJS files (extensionless, `.js` outside a `"type": "module"` package, `.cjs`) and `import`
 * only for ES modules; Node 24's client `import()`s "", ".js", ".mjs", ".cjs" in that order.
 */
export async function loadHandler(taskRoot: string, handlerString: string, legacy: boolean): Promise<Handler> {
  if (handlerString.includes('..')) {
    throw new RuntimeError(
      'Runtime.MalformedHandlerName',
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.basename(handlerString);
  const moduleRoot = handlerString.slice(0, handlerString.indexOf(base));
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const moduleName = match[1] as string;
  const handlerPath = match[2] as string;

  const file = path.resolve(taskRoot, moduleRoot, moduleName);
  const require = createRequire(path.join(taskRoot, 'index.js'));
  let loaded: unknown;
  try {
    loaded = legacy ? await loadLegacy(file, require) : await loadModern(file);
    if (loaded === undefined) {
      // Neither file exists: Node's own resolution from the task root (node_modules), whose
      // failure is the familiar "Cannot find module 'index'".
      const resolved = resolveOrFail(require, moduleName, [taskRoot, path.join(taskRoot, moduleRoot)]);
      loaded = require(resolved);
    }
  } catch (error) {
    throw asLoadError(error);
  }

  const handler = findHandler(loaded, handlerPath, !legacy);
  if (!handler) throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  return handler as Handler;
}

async function loadModern(file: string): Promise<unknown> {
  for (const extension of ['', '.js', '.mjs', '.cjs']) {
    if (existsSync(file + extension)) return importFile(file + extension);
  }
  return undefined;
}

async function loadLegacy(file: string, require: NodeJS.Require): Promise<unknown> {
  if (existsSync(file)) return require(file);
  const esm = packageTypeIsModule(path.dirname(file));
  if (!esm && existsSync(`${file}.js`)) return require(`${file}.js`);
  if (esm && existsSync(`${file}.js`)) return importFile(`${file}.js`);
  if (existsSync(`${file}.mjs`)) return importFile(`${file}.mjs`);
  if (existsSync(`${file}.cjs`)) return require(`${file}.cjs`);
  return undefined;
}

function importFile(file: string): Promise<unknown> {
  // A file URL: an absolute path is not a valid ESM specifier on every platform.
  return import(pathToFileURL(file).href);
}

/** The nearest package.json says "type": "module" (a node_modules folder or the root ends the search). */
function packageTypeIsModule(folder: string): boolean {
  if (folder.endsWith(`${path.sep}node_modules`)) return false;
  const manifest = path.join(folder, 'package.json');
  if (existsSync(manifest)) {
    try {
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
    } catch {
      return false;
    }
  }
  const parent = path.dirname(folder);
  return parent === folder ? false : packageTypeIsModule(parent);
}

function resolveOrFail(require: NodeJS.Require, moduleName: string, paths: string[]): string {
  try {
    return require.resolve(moduleName, { paths });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') {
      // The runtime requires from its own bootstrap, so Node's message names it as the require
      // stack: "Error: Cannot find module 'index'\nRequire stack:\n- /var/runtime/index.mjs".
      throw Object.assign(new Error(`Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`), {
        code: 'MODULE_NOT_FOUND',
      });
    }
    throw error;
  }
}

/** A syntax error becomes Runtime.UserCodeSyntaxError and a missing CommonJS module
 * Runtime.ImportModuleError, both with String(error) as message; anything else stays as thrown. */
function asLoadError(error: unknown): unknown {
  if (error instanceof SyntaxError) {
    const wrapped = new RuntimeError('Runtime.UserCodeSyntaxError', String(error));
    wrapped.stack = error.stack;
    return wrapped;
  }
  if (error instanceof Error && (error as { code?: unknown }).code === 'MODULE_NOT_FOUND') {
    return new RuntimeError('Runtime.ImportModuleError', String(error));
  }
  return error;
}

/** The (nested) export; Node 24's client also looks in the module's default export. */
function findHandler(loaded: unknown, handlerPath: string, searchDefault: boolean): unknown {
  const walk = (root: unknown): unknown =>
    handlerPath.split('.').reduce<unknown>((at, key) => (at !== null && (typeof at === 'object' || typeof at === 'function') ? (at as Record<string, unknown>)[key] : undefined), root);
  const direct = walk(loaded);
  if (direct) return direct;
  if (searchDefault && loaded !== null && typeof loaded === 'object' && 'default' in loaded) return walk((loaded as { default: unknown }).default);
  return undefined;
}
