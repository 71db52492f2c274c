/**
 * The runtime's private scratch directory: each deployment package unpacked once (by CodeSha256)
 * as a task root, and, when the runtime runs from its TypeScript sources, the worker's bundle.
 * Created on first use under os.tmpdir(), removed by `dispose`.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { zipEntries } from '../../lambda/zip.js';

export interface PackageSource {
  codeSha256: string;
  zip(): Buffer;
}

export class CodeStore {
  private root: Promise<string> | undefined;
  private readonly roots = new Map<string, Promise<string>>();
  private script: Promise<URL> | undefined;
  private count = 0;

  private disposed = false;

  private scratch(): Promise<string> {
    if (this.disposed) return Promise.reject(new Error('the Lambda runtime is closed'));
    return (this.root ??= mkdtemp(path.join(tmpdir(), 'edge-install-lambda-')));
  }

  /** The task root of this package, unpacked on first request (the zip is read only then). */
  taskRoot(source: PackageSource): Promise<string> {
    let root = this.roots.get(source.codeSha256);
    if (!root) {
      root = this.unpack(source);
      this.roots.set(source.codeSha256, root);
      // A failed unpack is not cached: the next invocation tries again (and reports again).
      root.catch(() => this.roots.delete(source.codeSha256));
    }
    return root;
  }

  private async unpack(source: PackageSource): Promise<string> {
    const dir = path.join(await this.scratch(), `task-${++this.count}`);
    await mkdir(dir);
    for (const entry of zipEntries(source.zip())) {
      const target = safeJoin(dir, entry.name);
      if (entry.name.endsWith('/')) {
        await mkdir(target, { recursive: true });
      } else {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, entry.data);
      }
    }
    return dir;
  }

  /**
   * The worker's entry point. Built (`tsc`) it is worker.js beside this file; run from the
   * TypeScript sources (vitest), there is only worker.ts, which a worker thread cannot load, so
   * it is bundled once with esbuild into the scratch directory.
   */
  workerScript(): Promise<URL> {
    return (this.script ??= this.locateWorker());
  }

  private async locateWorker(): Promise<URL> {
    const compiled = new URL('./worker.js', import.meta.url);
    if (existsSync(fileURLToPath(compiled))) return compiled;
    const source = fileURLToPath(new URL('./worker.ts', import.meta.url));
    if (!existsSync(source)) throw new Error(`the Lambda runtime's worker is missing: neither ${fileURLToPath(compiled)} nor ${source} exists`);
    const { build } = await import('esbuild');
    const outfile = path.join(await this.scratch(), 'worker.mjs');
    await build({ entryPoints: [source], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' });
    return pathToFileURL(outfile);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const root = this.root;
    this.root = undefined;
    this.roots.clear();
    this.script = undefined;
    const dir = await root?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** An entry's path inside `dir`; names that would land outside it (absolute, "..") are refused. */
function safeJoin(dir: string, name: string): string {
  const target = path.resolve(dir, name.replace(/\\/g, '/'));
  if (target !== dir && !target.startsWith(dir + path.sep)) throw new Error(`zip entry ${name} points outside the package`);
  return target;
}
