/**
 * The full-object checksums S3 computes and checks (S3 User Guide, "Checking object
 * integrity"): CRC32, CRC32C, CRC64NVME, SHA1 and SHA256, each sent and returned as the
 * base64 of its big-endian bytes in `x-amz-checksum-<algorithm>`. The CRCs are the reflected,
 * table-driven forms (CRC-32/ISO-HDLC, CRC-32/ISCSI, CRC-64/NVME); their check values for the
 * bytes "123456789" are cbf43926, e3069283 and ae8b14860a799888.
 */
import { createHash } from 'node:crypto';

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** The header (or trailer) that carries an algorithm's value. */
export const checksumHeader = (algorithm: string): string => `x-amz-checksum-${algorithm.toLowerCase()}`;

/** The digest length in bytes, to tell a malformed value from a wrong one. */
export const CHECKSUM_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

function crc32Table(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32_TABLE = crc32Table(0xedb88320);
const CRC32C_TABLE = crc32Table(0x82f63b78);

function crc32(table: Uint32Array, bytes: Buffer): Buffer {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out;
}

/** CRC-64/NVME's table as high and low 32-bit halves, so the per-byte loop needs no BigInt. */
const CRC64_TABLE = (() => {
  const polynomial = 0x9a6c9329ac4bc9b5n;
  const high = new Uint32Array(256);
  const low = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? polynomial ^ (c >> 1n) : c >> 1n;
    high[n] = Number(c >> 32n);
    low[n] = Number(c & 0xffffffffn);
  }
  return { high, low };
})();

function crc64nvme(bytes: Buffer): Buffer {
  let high = 0xffffffff;
  let low = 0xffffffff;
  for (const byte of bytes) {
    const index = (low ^ byte) & 0xff;
    // crc = table[index] ^ (crc >>> 8), on the two halves.
    low = (((low >>> 8) | (high << 24)) ^ CRC64_TABLE.low[index]!) >>> 0;
    high = ((high >>> 8) ^ CRC64_TABLE.high[index]!) >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32BE((high ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((low ^ 0xffffffff) >>> 0, 4);
  return out;
}

/** The base64 checksum of `bytes` with `algorithm`. */
export function checksumOf(algorithm: ChecksumAlgorithm, bytes: Buffer): string {
  switch (algorithm) {
    case 'CRC32':
      return crc32(CRC32_TABLE, bytes).toString('base64');
    case 'CRC32C':
      return crc32(CRC32C_TABLE, bytes).toString('base64');
    case 'CRC64NVME':
      return crc64nvme(bytes).toString('base64');
    case 'SHA1':
      return createHash('sha1').update(bytes).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(bytes).digest('base64');
  }
}
