/**
 * A deterministic zip: the same files give the same bytes on any machine, in any time zone,
 * at any time, so the same source gives the same CodeSha256 and publishes no new version.
 *
 * Written with archiver (zip-stream → compress-commons), which is deterministic once every
 * input that is not the file content is pinned (verified in test/bundle/zip.test.ts, byte for
 * byte, across processes running under different TZ values):
 *   - time: each entry gets an explicit date, 1980-01-01 00:00:00 UTC, the earliest DOS time.
 *     Without one archiver uses `new Date()`. DOS times carry no zone: compress-commons
 *     encodes them from the UTC fields unless `forceLocalTime` is set (it is not), so the
 *     bytes do not depend on TZ.
 *   - permissions: explicit mode 0644 (archiver would otherwise stat files; we pass buffers),
 *     which also marks the entry as made on Unix so unzip restores -rw-r--r--.
 *   - order: entries are sorted by name and appended one by one (archiver's queue runs one
 *     task at a time, so the order of `append` calls is the order in the archive).
 *   - extra fields: compress-commons writes none (no extended-timestamp 0x5455 or Unix uid/gid
 *     fields, which is where most zip writers leak mtime/atime); ZIP64 extras appear only
 *     past 4 GiB, far beyond Lambda's 50 MB.
 *   - compression: deflate at a fixed level with node:zlib. Its output is a function of the
 *     input and the level, for a given zlib build; a Node.js upgrade that changed zlib's
 *     output would change the bytes once (one new version), never flip-flop.
 *   - no archive comment, no directory entries.
 */
import { createHash } from 'node:crypto';
import { ZipArchive } from 'archiver';

/** 1980-01-01T00:00:00Z: DOS dates start in 1980; a constant keeps the zip reproducible. */
export const ZIP_ENTRY_DATE = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
export const ZIP_FILE_MODE = 0o644;
const DEFLATE_LEVEL = 9;

export interface ZipFile {
  /** Path inside the archive, with `/` separators (e.g. `index.js`). */
  name: string;
  data: Buffer | string;
}

/** The zip of `files`, byte-for-byte reproducible. */
export async function deterministicZip(files: readonly ZipFile[]): Promise<Buffer> {
  const names = new Set<string>();
  for (const file of files) {
    if (file.name === '' || file.name.startsWith('/') || file.name.includes('\\') || file.name.endsWith('/')) {
      throw new Error(`invalid zip entry name: ${JSON.stringify(file.name)}`);
    }
    if (names.has(file.name)) throw new Error(`duplicate zip entry: ${file.name}`);
    names.add(file.name);
  }
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const archive = new ZipArchive({ zlib: { level: DEFLATE_LEVEL }, forceLocalTime: false, comment: '' });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.on('error', reject);
    archive.on('warning', reject);
    archive.on('end', () => resolve(Buffer.concat(chunks)));
  });
  for (const file of sorted) {
    const data = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data;
    archive.append(data, { name: file.name, date: ZIP_ENTRY_DATE, mode: ZIP_FILE_MODE });
  }
  const [zip] = await Promise.all([done, archive.finalize()]);
  return zip;
}

/** Lambda's CodeSha256 of a zip: base64 of its SHA-256. */
export function codeSha256(zip: Buffer): string {
  return createHash('sha256').update(zip).digest('base64');
}
