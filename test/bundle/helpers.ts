/**
 * Helpers for the bundle tests: fixture projects in temp directories, a small zip reader
 * (independent of the writer under test) and a loader that runs a bundled index.js as Lambda
 * would (`require('./index.js').handler`).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

export const FIXTURES = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const tempDirs: string[] = [];

export function tempDir(prefix = 'ei-bundle-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A copy of `fixtures/handlers/project` with the fake vendor SDK installed in its
 * node_modules (see the fixtures' README for why it is installed at test time), and a copy of
 * `fixtures/handlers/package-root` with its own, different copy of the SDK.
 */
export function fixtureWorkspace(): { baseDir: string; packageRoot: string; root: string } {
  const root = tempDir();
  const baseDir = join(root, 'my-site');
  const packageRoot = join(root, 'npx-cache', 'edge-install');
  cpSync(join(FIXTURES, 'project'), baseDir, { recursive: true });
  cpSync(join(FIXTURES, 'vendor', 'project', 'fake-edge-sdk'), join(baseDir, 'node_modules', 'fake-edge-sdk'), { recursive: true });
  cpSync(join(FIXTURES, 'package-root'), packageRoot, { recursive: true });
  cpSync(join(FIXTURES, 'vendor', 'package-root', 'fake-edge-sdk'), join(packageRoot, 'node_modules', 'fake-edge-sdk'), { recursive: true });
  return { baseDir, packageRoot, root };
}

export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** DOS date and time words, as stored. */
  dosDate: number;
  dosTime: number;
  versionMadeBy: number;
  /** Unix mode from the high 16 bits of the external attributes. */
  unixMode: number;
  centralExtraLength: number;
  localExtraLength: number;
  commentLength: number;
  data: Buffer;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Reads a (non-ZIP64) zip through its central directory, inflating and CRC-checking every entry. */
export function readZip(zip: Buffer): { entries: ZipEntry[]; comment: string } {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  const commentLength = zip.readUInt16LE(eocd + 20);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory header at ${p}`);
    const nameLength = zip.readUInt16LE(p + 28);
    const centralExtraLength = zip.readUInt16LE(p + 30);
    const entryCommentLength = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const entry = {
      versionMadeBy: zip.readUInt16LE(p + 4),
      method: zip.readUInt16LE(p + 10),
      dosTime: zip.readUInt16LE(p + 12),
      dosDate: zip.readUInt16LE(p + 14),
      crc32: zip.readUInt32LE(p + 16),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      unixMode: zip.readUInt32LE(p + 38) >>> 16,
      name: zip.toString('utf8', p + 46, p + 46 + nameLength),
      centralExtraLength,
      commentLength: entryCommentLength,
    };
    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
    const localNameLength = zip.readUInt16LE(localOffset + 26);
    const localExtraLength = zip.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const raw = zip.subarray(start, start + entry.compressedSize);
    const data = entry.method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    if (data.length !== entry.size) throw new Error(`${entry.name}: size ${data.length} != ${entry.size}`);
    if (crc32(data) !== entry.crc32) throw new Error(`${entry.name}: CRC mismatch`);
    entries.push({ ...entry, localExtraLength, data });
    p += 46 + nameLength + centralExtraLength + entryCommentLength;
  }
  return { entries, comment: zip.toString('utf8', eocd + 22, eocd + 22 + commentLength) };
}

/** The one index.js of a bundle zip. */
export function indexJs(zip: Buffer): string {
  const { entries } = readZip(zip);
  if (entries.length !== 1 || entries[0]!.name !== 'index.js') throw new Error(`expected only index.js, got ${entries.map((e) => e.name).join(', ')}`);
  return entries[0]!.data.toString('utf8');
}

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;

/** Unpacks the zip into a fresh directory and loads `index.handler` the way Lambda's Node runtime does. */
export function loadHandler(zip: Buffer): Handler {
  const dir = tempDir('ei-lambda-task-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), indexJs(zip));
  writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}\n');
  const module = createRequire(import.meta.url)(join(dir, 'index.js')) as { handler?: Handler };
  if (typeof module.handler !== 'function') throw new Error('index.js does not export a handler function');
  return module.handler;
}

/** A viewer-request event in the shape AWS documents for Lambda@Edge. */
export function cloudFrontEvent(uri = '/', eventType = 'viewer-request') {
  return {
    Records: [
      {
        cf: {
          config: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType, requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==' },
          request: {
            clientIp: '203.0.113.178',
            headers: { host: [{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }], 'user-agent': [{ key: 'User-Agent', value: 'curl/8.4.0' }] },
            method: 'GET',
            querystring: '',
            uri,
          },
        },
      },
    ],
  };
}
