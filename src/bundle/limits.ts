/**
 * Lambda@Edge code-size quotas: the zipped deployment package may be at most 1 MB for a
 * function attached to a viewer event and 50 MB for origin events (the same 50 MB as a direct
 * Lambda upload, which also covers a function not attached to anything yet). CloudFront only
 * checks at association time, after the function and its version exist; we refuse before
 * uploading anything.
 */
import type { EventType } from '../manifest/schema.js';
import { CodeSizeError } from './errors.js';

export const VIEWER_CODE_SIZE_LIMIT = 1_048_576;
export const ORIGIN_CODE_SIZE_LIMIT = 52_428_800;

export interface CodeSizeLimit {
  /** The largest zip, in bytes, that every attached event accepts. */
  bytes: number;
  /** The events that impose that limit (empty when the function is not attached yet). */
  events: EventType[];
}

const isViewerEvent = (event: EventType) => event.startsWith('viewer-');

/** The code-size limit of a function attached to `eventTypes`: the strictest one wins. */
export function codeSizeLimit(eventTypes: readonly EventType[]): CodeSizeLimit {
  const unique = [...new Set(eventTypes)];
  const viewer = unique.filter(isViewerEvent);
  if (viewer.length > 0) return { bytes: VIEWER_CODE_SIZE_LIMIT, events: viewer };
  return { bytes: ORIGIN_CODE_SIZE_LIMIT, events: unique };
}

/** 1203114 → "1,203,114", independent of the machine's locale. */
export function formatBytes(bytes: number): string {
  return String(Math.round(bytes)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export interface CodeSizeCheck {
  functionKey: string;
  /** The handler's entry file (absolute), and how to show it (e.g. relative to the manifest). */
  file: string;
  shownFile?: string;
  zipBytes: number;
  eventTypes: readonly EventType[];
}

/** Throws a CodeSizeError when `zipBytes` is over the limit of the events the function is attached to. */
export function assertCodeSize({ functionKey, file, shownFile = file, zipBytes, eventTypes }: CodeSizeCheck): void {
  const limit = codeSizeLimit(eventTypes);
  if (zipBytes <= limit.bytes) return;
  const who = limit.events.length > 0 ? `${limit.events.join(' and ')} functions` : 'Lambda functions uploaded directly';
  const viewer = limit.bytes === VIEWER_CODE_SIZE_LIMIT;
  throw new CodeSizeError({
    functionKey,
    file,
    actualBytes: zipBytes,
    limitBytes: limit.bytes,
    problem: `the zipped bundle of ${shownFile} is ${formatBytes(zipBytes)} bytes; ${who} may be at most ${formatBytes(limit.bytes)} bytes.`,
    fix: viewer
      ? `make the bundle smaller (everything the handler imports is bundled: drop large dependencies or embedded data, load big data at run time), ` +
        `or attach this function to origin-request/origin-response only, where the limit is ${formatBytes(ORIGIN_CODE_SIZE_LIMIT)} bytes.`
      : 'make the bundle smaller: drop large dependencies or embedded data (everything the handler imports is bundled), or load big data at run time.',
  });
}
