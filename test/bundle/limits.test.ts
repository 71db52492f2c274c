/** Lambda@Edge code-size quotas, enforced before anything is uploaded. */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, CodeSizeError, codeSizeLimit, formatBytes, ORIGIN_CODE_SIZE_LIMIT, VIEWER_CODE_SIZE_LIMIT, type BundleRequest } from '../../src/bundle/index.js';
import { assertCodeSize } from '../../src/bundle/limits.js';
import { indexJs, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

describe('codeSizeLimit', () => {
  it('is 1 MiB when any attached event is a viewer event, else 50 MB', () => {
    expect(VIEWER_CODE_SIZE_LIMIT).toBe(1_048_576);
    expect(ORIGIN_CODE_SIZE_LIMIT).toBe(52_428_800);
    expect(codeSizeLimit(['viewer-request'])).toEqual({ bytes: 1_048_576, events: ['viewer-request'] });
    expect(codeSizeLimit(['origin-request', 'viewer-response', 'viewer-response'])).toEqual({ bytes: 1_048_576, events: ['viewer-response'] });
    expect(codeSizeLimit(['origin-request', 'origin-response'])).toEqual({ bytes: 52_428_800, events: ['origin-request', 'origin-response'] });
    expect(codeSizeLimit([])).toEqual({ bytes: 52_428_800, events: [] });
  });

  it('formats sizes with thousands separators, whatever the locale', () => {
    expect(formatBytes(1_203_114)).toBe('1,203,114');
    expect(formatBytes(999)).toBe('999');
    expect(formatBytes(52_428_800)).toBe('52,428,800');
  });

  it('accepts a zip of exactly the limit and refuses one byte more', () => {
    const check = { functionKey: 'enforcer', file: '/p/edge/enforcer.ts', shownFile: 'edge/enforcer.ts', eventTypes: ['viewer-request' as const] };
    expect(() => assertCodeSize({ ...check, zipBytes: 1_048_576 })).not.toThrow();
    expect(() => assertCodeSize({ ...check, zipBytes: 1_048_577 })).toThrow(CodeSizeError);
    expect(() => assertCodeSize({ ...check, zipBytes: 52_428_801, eventTypes: ['origin-request'] })).toThrow(
      /the zipped bundle of edge\/enforcer\.ts is 52,428,801 bytes; origin-request functions may be at most 52,428,800 bytes\./,
    );
  });
});

describe('bundleFunction size budget', () => {
  let baseDir: string;
  beforeAll(() => {
    // > 1 MiB of incompressible data (random base64 keeps ~6 bits of entropy per character),
    // embedded as a string literal the handler uses, so it survives tree shaking.
    baseDir = tempDir('ei-big-');
    const blob = randomBytes(1_150_000).toString('base64');
    writeFileSync(join(baseDir, 'big.ts'), `const BLOB = ${JSON.stringify(blob)};\nexport const handler = async () => ({ status: '200', body: String(BLOB.length) });\n`);
  });

  const request = (eventTypes: BundleRequest['eventTypes']): BundleRequest => ({ functionKey: 'enforcer', handler: './big.ts', runtime: 'nodejs20.x', config: {}, eventTypes, baseDir });

  it('refuses a viewer function whose zip is over 1,048,576 bytes, with both sizes, the key and a fix', async () => {
    const error = await bundleFunction(request(['viewer-request', 'origin-response'])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CodeSizeError);
    const sizeError = error as CodeSizeError;
    expect(sizeError.actualBytes).toBeGreaterThan(1_048_576);
    expect(sizeError.limitBytes).toBe(1_048_576);
    expect(sizeError.functionKey).toBe('enforcer');
    expect(sizeError.file).toBe(join(baseDir, 'big.ts'));
    expect(sizeError.message).toContain(`functions.enforcer: the zipped bundle of big.ts is ${formatBytes(sizeError.actualBytes)} bytes; viewer-request functions may be at most 1,048,576 bytes.`);
    expect(sizeError.fix).toMatch(/^make the bundle smaller .*or attach this function to origin-request\/origin-response only, where the limit is 52,428,800 bytes\.$/);
  });

  it('accepts the same bundle for origin events', async () => {
    const bundle = await bundleFunction(request(['origin-request']));
    expect(bundle.codeSize).toBeGreaterThan(1_048_576);
    expect(bundle.codeSize).toBeLessThan(52_428_800);
    expect(indexJs(bundle.zip).length).toBe(bundle.scriptBytes);
  });
});
