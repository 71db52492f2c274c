/**
 * What Lambda checks of an uploaded deployment package before it stores it (AWS's answers, as
 * quoted from real responses, all 400 InvalidParameterValueException):
 * - not a zip archive: "Could not unzip uploaded file. Please check your file, then try to
 *   upload again.";
 * - a zip with no entries: "Uploaded file must be a non-empty zip";
 * - more than 262,144,000 bytes unzipped (Lambda's deployment package quota): "Unzipped size
 *   must be smaller than 262144000 bytes".
 * The archive is read from its central directory (the ZIP format's end-of-central-directory
 * record and file headers); nothing is decompressed.
 */
import { invalidParameter } from './rules.js';

export const MAX_UNZIPPED_BYTES = 262_144_000;

const EOCD = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const NOT_A_ZIP = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

/** The entries' uncompressed sizes, or undefined when `zip` is not a readable zip archive. */
export function unzippedSizes(zip: Buffer): number[] | undefined {
  // The end-of-central-directory record: 22 bytes, then a comment of up to 65,535 bytes.
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = zip.length - 22; i >= earliest; i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
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
