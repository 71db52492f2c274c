/**
 * `edge-install invoke <function>`: bundle (as attach would), run once locally, show the
 * verdict. Exit 0 when CloudFront would take the result, 1 when it would answer 502/503
 * (after printing why), 2 for bad input.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { wholeNumber } from '../define-command.js';
import { localSecret, type SecretFlags } from '../local-secret.js';
import { invokeDocument, renderInvokeText } from '../render/invoke-text.js';

export interface InvokeFlags extends SecretFlags {
  function: string;
  event?: string;
  path?: string;
  method: string;
  header: string[];
  query: string;
  body?: string;
  responseStatus: string;
  origin: string[];
  edgeRegion: string;
}

function headerPairs(values: string[]): [string, string][] {
  return values.map((value) => {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header '${value}' is not NAME:VALUE; write e.g. --header 'accept-language: en'.`);
    return [value.slice(0, colon).trim(), value.slice(colon + 1).trim()];
  });
}

async function bodyOf(ctx: CommandContext<InvokeFlags>): Promise<Buffer> {
  const body = ctx.flags.body;
  if (body === undefined) return Buffer.alloc(0);
  if (!body.startsWith('@')) return Buffer.from(body);
  try {
    return await readFile(ctx.path(body.slice(1)));
  } catch (error) {
    throw new UsageError(`--body ${body}: the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

export async function invoke(ctx: CommandContext<InvokeFlags>): Promise<number> {
  const { flags } = ctx;
  const { isEventType, invokeFunction } = await import('../../local-edge/invoke.js');
  if (flags.event !== undefined && !isEventType(flags.event)) throw new UsageError(`--event ${flags.event}: not a CloudFront event; use viewer-request, origin-request, origin-response or viewer-response.`);
  const responseStatus = wholeNumber(flags.responseStatus, '--response-status', 100, 599);
  if (flags.path !== undefined && !flags.path.startsWith('/')) throw new UsageError(`--path ${flags.path} must start with '/'.`);
  const { isEdgeRegion, REGIONAL_EDGE_CACHE_REGIONS } = await import('../../sandbox/edge/regions.js');
  if (!isEdgeRegion(flags.edgeRegion)) throw new UsageError(`--edge-region ${flags.edgeRegion} is not a Region with a regional edge cache. Fix: one of ${REGIONAL_EDGE_CACHE_REGIONS.join(', ')}.`);
  const headers = headerPairs(flags.header);
  const body = await bodyOf(ctx);
  const loaded = await ctx.loadManifest();
  const keys = Object.keys(loaded.manifest.functions);
  if (!keys.includes(flags.function)) throw new UsageError(`${loaded.path} has no function '${flags.function}'; its functions are: ${keys.join(', ') || '(none)'}.`);
  const secret = await localSecret(ctx, loaded.manifest);
  const report = await invokeFunction({
    loaded,
    functionKey: flags.function,
    eventType: flags.event as never,
    method: flags.method.toUpperCase(),
    path: flags.path,
    query: flags.query,
    headers,
    body,
    responseStatus,
    secret: secret.secret,
    origins: Object.fromEntries(flags.origin.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)])),
    region: flags.edgeRegion,
  });
  if (secret.missing.length) report.notes.push(`no value for the secret's ${secret.missing.join(', ')} in this run: the function reads the secret without ${secret.missing.length === 1 ? 'it' : 'them'} (give values with --secrets-file or --secrets-from-env)`);
  if (ctx.global.json) ctx.json(secret.redactDeep(invokeDocument(report)));
  else ctx.out(secret.redact(renderInvokeText(report, { color: ctx.color })));
  return report.verdict.kind === 'error' ? 1 : 0;
}
