/**
 * A real, tiny zip archive (one stored file), built by hand from the ZIP format's three
 * records, for tests that upload code to the sandbox: Lambda refuses bytes that are not a zip.
 */
import { crc32 } from 'node:zlib';

export function zipOf(content: string | Uint8Array, name = 'index.js'): Buffer {
  const data = Buffer.from(content);
  const file = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); // local file header
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18); // compressed (stored)
  local.writeUInt32LE(data.length, 22); // uncompressed
  local.writeUInt16LE(file.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); // central directory file header
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(file.length, 28);
  const centralOffset = local.length + file.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + file.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, file, data, central, file, end]);
}

/** A zip of exactly `bytes` bytes (index.js stored; the records take 114 bytes). */
export function zipOfSize(bytes: number): Buffer {
  const zip = zipOf(new Uint8Array(Math.max(0, bytes - 114)).map((_, i) => i % 251));
  if (zip.length !== Math.max(bytes, 114)) throw new Error(`zipOfSize(${bytes}) made ${zip.length} bytes`);
  return zip;
}
