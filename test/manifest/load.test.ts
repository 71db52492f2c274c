import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestError, loadManifest } from '../../src/manifest/index.js';
import { validManifest } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-install-manifest-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function failure(path: string): Promise<ManifestError> {
  const error = await loadManifest(path).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ManifestError);
  return error as ManifestError;
}

describe('loadManifest', () => {
  it('reads, interpolates and validates a manifest, and says where it is', async () => {
    const file = await write('site/edge-install.json', JSON.stringify(validManifest(), null, 2));
    const loaded = await loadManifest(file);
    expect(loaded.path).toBe(file);
    expect(loaded.baseDir).toBe(join(dir, 'site'));
    expect(loaded.manifest.behaviors[0]!.pathPattern).toBe('fpjs-7x9/*');
    expect(loaded.manifest.functions.enforcer!.runtime).toBe('nodejs24.x');
  });

  it('resolves a relative path against the working directory', async () => {
    const file = await write('relative/edge-install.json', JSON.stringify(validManifest()));
    const loaded = await loadManifest(relative(process.cwd(), file));
    expect(loaded.path).toBe(file);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const file = await write('bom.json', `\uFEFF${JSON.stringify(validManifest())}`);
    await expect(loadManifest(file)).resolves.toBeDefined();
  });

  it('explains a missing file: run init or pass --config', async () => {
    const missing = join(dir, 'nope', 'edge-install.json');
    const error = await failure(missing);
    expect(error.exitCode).toBe(2);
    expect(error.issues).toHaveLength(1);
    expect(error.message).toBe(`${missing}: not found (looked for ${missing}). Fix: run \`edge-install init\` to create it, or pass --config <path> to use another manifest`);
  });

  it('explains a directory given as the manifest', async () => {
    const error = await failure(dir);
    expect(error.message).toContain('is a directory');
  });

  it('reports a JSON syntax error with its line and column', async () => {
    const file = await write('trailing-comma.json', '{\n  "name": "fp-proxy",\n  "functions": {},\n}\n');
    const error = await failure(file);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: '', line: 4, column: 1 });
    expect(error.message).toBe(
      `${file}: is not valid JSON: trailing comma before } at line 4, column 1. Fix: correct the JSON at line 4, column 1 (a trailing comma, a missing comma or quote, or a comment are the usual causes)`,
    );
  });

  it('reports a bad token where Node gives no position', async () => {
    const file = await write('bad-token.json', '{\n  "name": "fp-proxy",\n  "recipe": tru\n}');
    const error = await failure(file);
    expect(error.issues[0]).toMatchObject({ line: 3, column: 13 });
    expect(error.issues[0]!.message).toContain('unexpected t where a value was expected');
  });

  it('reports a missing comma, a comment and single quotes where they are', async () => {
    const missingComma = await failure(await write('comma.json', '{\n  "name": "x"\n  "functions": {}\n}'));
    expect(missingComma.issues[0]).toMatchObject({ line: 3, column: 3 });
    expect(missingComma.issues[0]!.message).toContain('where , or } was expected');
    const comment = await failure(await write('comment.json', '{\n  // the name\n  "name": "x"\n}'));
    expect(comment.issues[0]).toMatchObject({ line: 2, column: 3 });
    expect(comment.issues[0]!.message).toContain('JSON has no comments');
    const quotes = await failure(await write('quotes.json', "{ 'name': 'x' }"));
    expect(quotes.issues[0]).toMatchObject({ line: 1, column: 3 });
    expect(quotes.issues[0]!.message).toContain('JSON strings use double quotes');
  });

  it('reports an empty file and a truncated one at their end', async () => {
    expect((await failure(await write('empty.json', ''))).issues[0]).toMatchObject({ line: 1, column: 1 });
    const truncated = await failure(await write('truncated.json', '{\n  "name": "x",\n  "functions": {'));
    expect(truncated.issues[0]).toMatchObject({ line: 3, column: 17 });
    expect(truncated.issues[0]!.message).toContain('unexpected end of file');
  });

  it('reports a key given twice in one object (JSON would silently keep the last)', async () => {
    const raw = validManifest();
    const text = JSON.stringify(raw, null, 2).replace('"enforcer": {', '"proxy": { "handler": "./other.ts" },\n    "enforcer": {');
    const file = await write('duplicate.json', text);
    const error = await failure(file);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'functions.proxy' });
    expect(error.issues[0]!.message).toMatch(/^appears twice in the same object \(again at line \d+, column 5\)/);
  });

  it('collects every issue of the file, under the path the user gave', async () => {
    const raw = validManifest();
    raw.functions.enforcer.memorySize = 1024;
    raw.origins.vendor.httpsPort = 444;
    raw.cachePolicies.proxy.maxTtl = 60;
    const file = await write('three.json', JSON.stringify(raw));
    const error = await failure(file);
    expect(error.issues.map((i) => i.path)).toEqual(['functions.enforcer.memorySize', 'origins.vendor.httpsPort', 'cachePolicies.proxy.defaultTtl']);
    expect(error.message.split('\n').every((line) => line.startsWith(`${file}: `))).toBe(true);
  });
});
