/**
 * PURE: `edge-install logs` as text — one line per entry, `time  region  function:version
 * LEVEL  message`, in the order the merged stream has (src/plan/logs.ts) — or as NDJSON (one
 * object per entry), and the closing summary. Text read from logs is made safe to print
 * (render/text.ts `clean`): a function cannot forge a line or an escape sequence.
 */
import type { LogEntry } from '../../plan/logs.js';
import type { Colors } from './colors.js';
import { clean, plural } from './text.js';

export interface LogsLayout {
  /** Width of the function:version column (the longest function name of the manifest, and a version of up to 3 digits). */
  functionWidth: number;
}

const REGION_WIDTH = 14; // ap-southeast-2, ap-northeast-1
const LEVEL_WIDTH = 6;

/** `canary`: a canary runs, and labels carry the side (" staging", " primary"). */
export function logsLayout(functionNames: readonly string[], canary = false): LogsLayout {
  return { functionWidth: Math.max(8, ...functionNames.map((n) => n.length + 4 + (canary ? 8 : 0))) };
}

const iso = (time: number): string => new Date(time).toISOString();
const ms = (n: number | undefined): string | undefined => (n === undefined ? undefined : `${Number.isInteger(n) ? n : n.toFixed(2)} ms`);
const safe = (text: string): string => clean(text.replace(/\t/g, '  '));

/** The function:version label: the function (or the distribution, for CloudFront's records), and the version the invocation ran. */
function label(entry: LogEntry): string {
  const who = entry.function ?? entry.validation?.distributionId ?? entry.logGroup;
  const side = entry.side ? ` ${entry.side}` : '';
  return `${entry.version ? `${who}:${entry.version}` : who}${side}`;
}

function invocationText(entry: LogEntry): string {
  const facts = entry.invocation!;
  const id = entry.requestId ?? '';
  if (!facts.complete) return `${id}  started; no REPORT in the window (still running, or after --until)`;
  const parts = [
    ms(facts.durationMs) && `duration ${ms(facts.durationMs)}`,
    ms(facts.billedDurationMs) && `billed ${ms(facts.billedDurationMs)}`,
    facts.maxMemoryUsedMb !== undefined && `memory ${facts.maxMemoryUsedMb}${facts.memorySizeMb !== undefined ? `/${facts.memorySizeMb}` : ''} MB`,
    facts.initDurationMs !== undefined && `init ${ms(facts.initDurationMs)} (cold start)`,
  ].filter((p): p is string => !!p);
  const failure = facts.failed ? [facts.status === 'timeout' ? 'timed out' : 'failed', facts.errorType].filter(Boolean).join(' ') : undefined;
  return `${id}  ${[failure, ...parts].filter(Boolean).join(' · ')}`;
}

function validationText(entry: LogEntry): string {
  const v = entry.validation;
  if (!v) return entry.message;
  const head = [v.errorType ?? 'LambdaValidationError', v.eventType].filter(Boolean).join(' ');
  const ids = [v.cloudFrontRequestId && `x-amz-cf-id ${v.cloudFrontRequestId}`, entry.requestId && `Lambda request ${entry.requestId}`].filter(Boolean).join(', ');
  return `${head}: ${entry.message}${ids ? `  (${ids})` : ''}`;
}

function messageText(entry: LogEntry): string {
  switch (entry.kind) {
    case 'invocation':
      return invocationText(entry);
    case 'validation':
      return validationText(entry);
    default:
      if (entry.error) {
        const thrown = entry.message.split(/\s*\t/)[0]!.trim();
        return `${thrown}  ${entry.error.type}: ${entry.error.message}${entry.error.at ? `  (${entry.error.at})` : ''}`;
      }
      return entry.message;
  }
}

function levelText(entry: LogEntry): string {
  if (entry.kind === 'invocation') return entry.invocation!.complete ? (entry.failed ? 'FAILED' : 'REPORT') : 'START';
  return entry.level || '-';
}

/** One entry as text: its first line with the columns, further lines of the message indented under it. */
export function logEntryText(entry: LogEntry, layout: LogsLayout, c: Colors): string {
  const level = levelText(entry);
  const styleLevel = level === 'ERROR' || level === 'FATAL' || level === 'FAILED' ? c.red : level === 'WARN' ? c.yellow : level === 'REPORT' || level === 'START' ? c.dim : (t: string) => t;
  const prefix = `${c.dim(iso(entry.time))}  ${c.cyan(entry.region.padEnd(REGION_WIDTH))}  ${safe(label(entry)).padEnd(layout.functionWidth)}  ${styleLevel(level.padEnd(LEVEL_WIDTH))}  `;
  const indent = ' '.repeat(24 + 2 + REGION_WIDTH + 2 + layout.functionWidth + 2 + LEVEL_WIDTH + 2);
  const lines = messageText(entry).replace(/\s+$/, '').split(/\r?\n/).map(safe);
  return [prefix + (lines[0] ?? ''), ...lines.slice(1).map((line) => indent + line)].join('\n');
}

/** One entry as an NDJSON object (`--json`): the fields of the line, and an invocation's numbers. */
export function logEntryJson(entry: LogEntry): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    time: iso(entry.time),
    region: entry.region,
    logGroup: entry.logGroup,
    logStream: entry.logStream,
    eventId: entry.eventId,
    type: entry.kind,
    function: entry.function ?? null,
    ...(entry.functionKey ? { functionKey: entry.functionKey } : {}),
    version: entry.version ?? null,
    ...(entry.side ? { side: entry.side } : {}),
    requestId: entry.requestId ?? null,
    level: levelText(entry),
    message: entry.message,
    failed: entry.failed,
  };
  if (entry.invocation) {
    const f = entry.invocation;
    Object.assign(doc, {
      complete: f.complete,
      durationMs: f.durationMs ?? null,
      billedDurationMs: f.billedDurationMs ?? null,
      memorySizeMb: f.memorySizeMb ?? null,
      maxMemoryUsedMb: f.maxMemoryUsedMb ?? null,
      initDurationMs: f.initDurationMs ?? null,
      coldStart: f.initDurationMs !== undefined,
      status: f.status ?? null,
      errorType: f.errorType ?? null,
    });
  }
  if (entry.validation) Object.assign(doc, { cloudFrontRequestId: entry.validation.cloudFrontRequestId ?? null, distributionId: entry.validation.distributionId ?? null, eventType: entry.validation.eventType ?? null, errorType: entry.validation.errorType ?? null, errors: entry.validation.errors ?? [] });
  if (entry.error) doc.error = entry.error;
  return doc;
}

export interface SearchSummary {
  /** Regions asked for. */
  regions: readonly string[];
  /** Regions the printed lines are from. */
  found: readonly string[];
  skipped: readonly { region: string; reason: 'access-denied' | 'not-enabled'; code: string }[];
}

/** `searched 13 regions, found logs in 3 (eu-west-1, us-west-2, ap-northeast-1)`, and what was skipped, once. */
export function searchSummary(summary: SearchSummary): string {
  const searched = summary.regions.length - summary.skipped.length;
  const of = summary.skipped.length ? `${searched} of ${plural(summary.regions.length, 'region')}` : plural(summary.regions.length, 'region');
  const found = `found logs in ${summary.found.length}${summary.found.length ? ` (${summary.found.join(', ')})` : ''}`;
  const skipped = summary.skipped.map((s) => `${s.region} (${s.reason === 'not-enabled' ? `not enabled for this account: ${s.code}` : s.code})`);
  return `searched ${of}, ${found}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`;
}
