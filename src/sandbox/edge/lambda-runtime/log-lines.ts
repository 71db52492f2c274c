/**
 * The text of the log events Lambda writes to CloudWatch for an invocation, exactly: the
 * platform's lines (START, END, REPORT, INIT_REPORT, the timeout and runtime-exit lines) and the
 * Node.js runtime's own (one event per console call). Pure functions, shared by the host and the
 * worker.
 *
 * Every message ends with "\n", as the events Lambda stores do (GetLogEvents returns e.g.
 * "START RequestId: … Version: $LATEST\n", "END RequestId: …\n" and
 * "REPORT RequestId: …\tDuration: 14.97 ms\tBilled Duration: 15 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\t\n";
 * observed events, e.g. CloudWatch Logs Insights results quoted in public code).
 */

/** The Node runtime's text format: `<ISO time>\t<request id>\t<LEVEL>\t<util.format(...)>\n`
 * (aws-lambda-nodejs-runtime-interface-client, src/logging/formatter.ts formatTextMessage and
 * telemetry-logger.ts, which appends the line delimiter; src/LogPatch.js in the Node ≤ 22 client). */
export function consoleLine(timestamp: number, requestId: string, level: string, message: string): string {
  return `${new Date(timestamp).toISOString()}\t${requestId}\t${level}\t${message}\n`;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

export interface Report {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Only on the invocation that started the execution environment (a cold start). */
  initDurationMs?: number;
  /** Present when the invocation did not end normally. */
  status?: 'timeout' | 'error';
  errorType?: string;
}

/**
 * Billed Duration: the duration rounded up to the millisecond (Lambda bills in 1 ms increments
 * since December 2020), plus the init phase on a cold start: since 1 August 2025 Lambda bills
 * the INIT phase of on-demand ZIP functions too (AWS Compute Blog, "AWS Lambda standardizes
 * billing for INIT Phase"), as it always did for custom runtimes, where REPORT shows e.g.
 * "Duration: 4.42 ms Billed Duration: 338 ms … Init Duration: 333.05 ms".
 */
export function billedDurationMs(durationMs: number, initDurationMs?: number): number {
  return Math.ceil(durationMs + (initDurationMs ?? 0));
}

/** REPORT: tab-separated fields, with a trailing tab before the newline, as Lambda writes it. */
export function reportLine(report: Report): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(report.durationMs, report.initDurationMs)} ms`,
    `Memory Size: ${report.memorySizeMb} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
  ];
  if (report.initDurationMs !== undefined) fields.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  if (report.status) fields.push(`Status: ${report.status}`);
  if (report.errorType) fields.push(`Error Type: ${report.errorType}`);
  return `${fields.join('\t')}\t\n`;
}

/** A failed init phase, e.g. "INIT_REPORT Init Duration: 206.72 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError"
 * (as Lambda logs it; quoted in cargo-lambda/cargo-lambda issue #572). */
export function initReportLine(initDurationMs: number, status: 'error' | 'timeout', errorType?: string): string {
  const fields = [`INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms`, 'Phase: init', `Status: ${status}`];
  if (errorType) fields.push(`Error Type: ${errorType}`);
  return `${fields.join('\t')}\n`;
}

/** "2026-06-23T14:08:22.417Z 5f3c1a9e-… Task timed out after 3.01 seconds": space-separated, the
 * elapsed time with two decimals (Lambda's timeout line as it appears in CloudWatch). */
export function timeoutLine(timestamp: number, requestId: string, elapsedMs: number): string {
  return `${new Date(timestamp).toISOString()} ${requestId} Task timed out after ${(elapsedMs / 1000).toFixed(2)} seconds\n`;
}

/** The platform's line when the runtime process dies during an invocation, e.g.
 * "RequestId: 123 Error: Runtime exited without providing a reason\nRuntime.ExitError". */
export function runtimeExitLine(requestId: string, reason: string, errorType: string): string {
  return `RequestId: ${requestId} Error: ${reason}\n${errorType}\n`;
}

/** Lambda's per-environment stream name, "YYYY/MM/DD/[VERSION]<32 hex>", dated in UTC
 * (e.g. "2023/12/05/[$LATEST]e34ea4d32b8f441c96246bbee30ff465"). */
export function logStreamName(timestamp: number, version: string, hex32: string): string {
  const date = new Date(timestamp);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/[${version}]${hex32}`;
}
