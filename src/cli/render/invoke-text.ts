/**
 * `invoke`'s output: the function and the event it ran on, what CloudFront would do with the
 * result (forward the request, answer with the response, or its 502/503 page and why), and
 * the function's log lines as they would reach CloudWatch. `--json` gives the same as data.
 * Bodies are shown as text when they are UTF-8, else as base64.
 */
import type { InvokeReport } from '../../local-edge/invoke.js';
import type { EdgeOrigin, EdgeRequest, EdgeResponse } from '../../sandbox/edge/invoke-once.js';
import { colors } from './colors.js';

const isText = (body: Buffer): boolean => !body.includes(0) && Buffer.from(body.toString('utf8'), 'utf8').equals(body);
const bodyJson = (body: Buffer) => (body.length === 0 ? undefined : isText(body) ? { encoding: 'text', data: body.toString('utf8') } : { encoding: 'base64', data: body.toString('base64') });
const MAX_SHOWN_BODY = 2048;

function bodyText(body: Buffer): string[] {
  if (!body.length) return [];
  if (!isText(body)) return [`  (body: ${body.length} bytes, binary)`];
  const text = body.toString('utf8');
  const shown = text.length > MAX_SHOWN_BODY ? `${text.slice(0, MAX_SHOWN_BODY)}… (${body.length} bytes)` : text;
  return ['', ...shown.split('\n').map((l) => `  ${l}`)];
}

const headerLines = (headers: [string, string][]) => headers.map(([n, v]) => `  ${n}: ${v}`);

function originText(origin: EdgeOrigin | undefined): string {
  if (!origin) return 'the origin';
  return origin.kind === 's3' ? `s3://${origin.domainName}${origin.path}` : `${origin.protocol}://${origin.domainName}${origin.port === (origin.protocol === 'https' ? 443 : 80) ? '' : `:${origin.port}`}${origin.path}`;
}

function requestLines(request: EdgeRequest): string[] {
  return [`  ${request.method} ${request.uri}${request.querystring ? `?${request.querystring}` : ''}`, ...headerLines(request.headers), ...bodyText(request.body)];
}

function responseLines(response: EdgeResponse): string[] {
  return [`  ${response.status}${response.statusDescription ? ` ${response.statusDescription}` : ''}`, ...headerLines(response.headers), ...bodyText(response.body)];
}

export function renderInvokeText(report: InvokeReport, options: { color: boolean }): string {
  const c = colors(options.color);
  const { outcome, verdict } = report;
  const where = report.pathPattern ? ` on ${report.pathPattern}` : '';
  const timing = `${outcome.durationMs.toFixed(1)} ms${outcome.initDurationMs !== undefined ? `, cold start ${outcome.initDurationMs.toFixed(0)} ms` : ''}`;
  const lines = [
    c.bold(`${report.functionKey} (${report.functionName}) on ${report.eventType}${where}${report.includeBody ? ', with the body' : ''}`),
    c.dim(`${report.runtime}, ${report.memoryMb} MB, ${report.timeoutSeconds} s; bundle ${report.bundleBytes} bytes; ran in ${timing}`),
    ...report.notes.map((n) => c.yellow(`note: ${n}`)),
    '',
  ];
  switch (verdict.kind) {
    case 'forward':
      lines.push(c.green(`CloudFront would ${report.eventType === 'viewer-request' ? 'go on with' : 'send to'} ${report.eventType === 'origin-request' ? originText(verdict.origin) : 'the cache and origin'} this request:`), ...requestLines(verdict.request));
      break;
    case 'respond':
      lines.push(c.green(verdict.generated ? 'CloudFront would answer the viewer with this generated response (the origin is not asked):' : 'CloudFront would go on with this response:'), ...responseLines(verdict.response));
      break;
    case 'error':
      lines.push(c.red(`CloudFront would answer ${verdict.status} (${verdict.resultType}): ${verdict.reason}`), ...verdict.errors.map((e) => c.red(`  - ${e}`)));
      break;
  }
  if (verdict.kind !== 'error') for (const note of verdict.notes) lines.push(c.yellow(`note: ${note}`));
  lines.push('', c.bold('logs'), ...outcome.lines.map((l) => `  ${l.message.replace(/\n$/, '')}`));
  return lines.join('\n');
}

export function invokeDocument(report: InvokeReport): unknown {
  const { outcome, verdict } = report;
  const request = (r: EdgeRequest) => ({ method: r.method, uri: r.uri, querystring: r.querystring, headers: r.headers, body: bodyJson(r.body) });
  const response = (r: EdgeResponse) => ({ status: r.status, statusDescription: r.statusDescription, headers: r.headers, body: bodyJson(r.body) });
  return {
    function: report.functionKey,
    functionName: report.functionName,
    eventType: report.eventType,
    pathPattern: report.pathPattern ?? null,
    includeBody: report.includeBody,
    runtime: report.runtime,
    outcome: { kind: outcome.kind, durationMs: outcome.durationMs, initDurationMs: outcome.initDurationMs ?? null, ...(outcome.kind === 'error' ? { errorType: outcome.errorType, errorMessage: outcome.errorMessage } : {}) },
    cloudFront:
      verdict.kind === 'forward'
        ? { action: 'forward', request: request(verdict.request), origin: verdict.origin ?? null, notes: verdict.notes }
        : verdict.kind === 'respond'
          ? { action: verdict.generated ? 'generated-response' : 'response', response: response(verdict.response), notes: verdict.notes }
          : { action: 'error', status: verdict.status, resultType: verdict.resultType, reason: verdict.reason, errors: verdict.errors },
    notes: report.notes,
    logs: outcome.lines.map((l) => l.message),
    event: report.event,
  };
}
