/**
 * What Lambda checks of an uploaded deployment package before it stores it (AWS's answers, as
 * quoted from real responses, all 400 InvalidParameterValueException):
 * - not a zip archive: "Could not unzip uploaded file. Please check your file, then try to
 *   upload again.";
 * - a zip with no entries: "Uploaded file must be a non-empty zip";
 * - more than 262,144,000 bytes unzipped (Lambda's deployment package quota): "Unzipped size
 *   must be smaller than 262144000 bytes".
 * The archive is read from its central directory (the ZIP format's end-of-central-directory
 * record and file headers); nothing is decompressed for these checks. `zipEntries` unpacks it
 * for the local edge, which runs the code.
 */
import * as zlib from 'node:zlib';
import { invalidParameter } from './rules.js';

// zlib.crc32 exists from Node 20.15 / 22.2; on older Node `zipEntries` skips the CRC check.
const zlibCrc32: ((data: Buffer) => number) | undefined = (zlib as { crc32?: (data: Buffer) => number }).crc32;

export const MAX_UNZIPPED_BYTES = 262_144_000;

const EOCD = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const NOT_A_ZIP = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

/** Where the end-of-central-directory record starts (22 bytes, then a comment of up to 65,535), or -1. */
function endOfCentralDirectory(zip: Buffer): number {
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= earliest; i--) if (zip.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** The entries' uncompressed sizes, or undefined when `zip` is not a readable zip archive. */
export function unzippedSizes(zip: Buffer): number[] | undefined {
  const eocd = endOfCentralDirectory(zip);
  if (eocd < 0) return undefined;
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  if (offset + size > eocd) return undefined;
  const sizes: number[] = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || zip.readUInt32LE(at) !== CENTRAL_HEADER) return undefined;
    sizes.push(zip.readUInt32LE(at + 24));
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return sizes;
}

export function checkDeploymentPackage(zip: Buffer): void {
  const sizes = zip.length < 22 ? undefined : unzippedSizes(zip);
  if (!sizes) throw invalidParameter(NOT_A_ZIP);
  if (sizes.length === 0) throw invalidParameter('Uploaded file must be a non-empty zip');
  const total = sizes.reduce((a, b) => a + b, 0);
  // "Must be smaller than": exactly the limit is refused too.
  if (total >= MAX_UNZIPPED_BYTES) throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
}

const LOCAL_HEADER = 0x04034b50;

export interface ZipEntry {
  /** The entry's path inside the archive, '/'-separated; directories end with '/'. */
  name: string;
  data: Buffer;
}

/**
 * The archive's entries, decompressed: what Lambda unpacks into the task root. Read from the
 * central directory (the ZIP format's authoritative list; local headers may carry zero sizes when
 * bit 3 is set), then each entry's data after its local header. Only "stored" (0) and "deflate"
 * (8) are supported, the two methods every zip tool writes for Lambda packages; anything else
 * (another method, encryption, ZIP64 sizes, a bad CRC) is refused with an Error saying which entry.
 */
export function zipEntries(zip: Buffer): ZipEntry[] {
  if (zip.length < 22) throw new Error('not a zip archive: too short for an end-of-central-directory record');
  const eocd = endOfCentralDirectory(zip);
  if (eocd < 0) throw new Error('not a zip archive: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new Error('ZIP64 archives are not supported');
  if (offset + size > eocd) throw new Error('not a zip archive: the central directory lies outside the file');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || zip.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`zip central directory entry ${n} is damaged`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const uncompressedSize = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    // Bit 11: the name is UTF-8; otherwise CP437, whose ASCII range (all real package paths) is the same.
    const name = zip.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) throw new Error(`zip entry ${name}: encrypted entries are not supported`);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) {
      throw new Error(`zip entry ${name}: ZIP64 sizes are not supported`);
    }
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL_HEADER) {
      throw new Error(`zip entry ${name}: local header missing`);
    }
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (start + compressedSize > zip.length) throw new Error(`zip entry ${name}: data runs past the end of the archive`);
    const raw = zip.subarray(start, start + compressedSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = zlib.inflateRawSync(raw);
    else throw new Error(`zip entry ${name}: compression method ${method} is not supported (only stored and deflate)`);
    if (data.length !== uncompressedSize) throw new Error(`zip entry ${name}: size ${data.length} does not match the directory's ${uncompressedSize}`);
    if (typeof zlibCrc32 === 'function' && zlibCrc32(data) !== crc) throw new Error(`zip entry ${name}: CRC mismatch`);
    entries.push({ name, data });
  }
  return entries;
}
