/**
 * `edge-install invoke`: one function of the manifest, bundled as attach bundles it (no AWS
 * call), run once in the local edge's runtime on the event of its trigger, and judged as
 * CloudFront would judge the result (src/sandbox/edge/invoke-once.ts).
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { bundleManifestFunction } from '../bundle/manifest.js';
import type { LoadedManifest } from '../manifest/load.js';
import { EVENT_TYPES, type EventType, type Manifest } from '../manifest/schema.js';
import { functionName } from '../manifest/naming.js';
import { attachmentsOf } from '../manifest/validate.js';
import { invokeOnce, type EdgeOrigin, type EdgeResponse, type HeaderPair, type InvokeOnceResult } from '../sandbox/edge/invoke-once.js';
import { startLocalAws, type LocalSecret } from './local-aws.js';
import { examplePath, viewerRequest } from './viewer-request.js';

export interface InvokeInput {
  loaded: LoadedManifest;
  functionKey: string;
  eventType?: EventType;
  method: string;
  path?: string;
  query: string;
  headers: HeaderPair[];
  body: Buffer;
  responseStatus: number;
  /** The secret's values for this run (plain from the manifest, sensitive as given); undefined: the manifest has no secret. */
  secret?: LocalSecret;
  origins: Record<string, string>;
  region: string;
}

export interface InvokeReport extends InvokeOnceResult {
  functionKey: string;
  functionName: string;
  eventType: EventType;
  pathPattern?: string;
  includeBody: boolean;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  bundleBytes: number;
  /** Facts the reader should know (not attached to this event, no origin known…). */
  notes: string[];
}

/** Request-side events before response-side ones: what a function attached to both sees first. */
const ORDER: EventType[] = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'];

export function chooseEvent(manifest: Manifest, functionKey: string, asked?: EventType): { eventType: EventType; attachment?: { behavior: number; pathPattern: string }; notes: string[] } {
  const attachments = attachmentsOf(manifest).get(functionKey) ?? [];
  const sorted = [...attachments].sort((a, b) => ORDER.indexOf(a.event) - ORDER.indexOf(b.event));
  const eventType = asked ?? sorted[0]?.event ?? 'viewer-request';
  const attachment = sorted.find((a) => a.event === eventType);
  const notes: string[] = [];
  if (!attachment) notes.push(`${functionKey} is not attached to ${eventType} in the manifest${sorted.length ? ` (it is on ${[...new Set(sorted.map((a) => a.event))].join(', ')})` : ''}; it runs on a ${eventType} event all the same`);
  return { eventType, attachment: attachment && { behavior: attachment.behavior, pathPattern: attachment.pathPattern }, notes };
}

function originOf(manifest: Manifest, behaviorIndex: number | undefined, notes: string[]): EdgeOrigin {
  const key = behaviorIndex === undefined ? undefined : manifest.behaviors[behaviorIndex]?.origin;
  const origin = key ? manifest.origins[key] : undefined;
  if (!origin) {
    notes.push(`the behavior's origin is the distribution's own (${key ?? 'default'}), which a local run does not read: the event names origin.example.com`);
    return { kind: 'custom', domainName: 'origin.example.com', port: 443, protocol: 'https', path: '', customHeaders: [], readTimeout: 30, keepaliveTimeout: 5, sslProtocols: ['TLSv1.2'] };
  }
  const https = origin.protocol !== 'http-only';
  return {
    kind: 'custom',
    domainName: origin.domainName,
    port: https ? origin.httpsPort ?? 443 : origin.httpPort ?? 80,
    protocol: https ? 'https' : 'http',
    path: origin.originPath,
    customHeaders: Object.entries(origin.customHeaders),
    readTimeout: origin.readTimeout,
    keepaliveTimeout: origin.keepaliveTimeout,
    sslProtocols: [origin.minTlsVersion ?? 'TLSv1.2'],
  };
}

export async function invokeFunction(input: InvokeInput): Promise<InvokeReport> {
  const { manifest } = input.loaded;
  const fn = manifest.functions[input.functionKey]!;
  const { eventType, attachment, notes } = chooseEvent(manifest, input.functionKey, input.eventType);
  const behavior = attachment ? manifest.behaviors[attachment.behavior] : undefined;
  const includeBody = !!behavior?.triggers[eventType]?.includeBody;
  const bundle = await bundleManifestFunction(manifest, input.functionKey, dirname(input.loaded.path));
  const distributionId = manifest.distributions[0] ?? 'E000000LOCAL00';
  const domainName = 'd111111abcdef8.cloudfront.net';
  const request = viewerRequest({ method: input.method, path: input.path ?? examplePath(attachment?.pathPattern ?? '*'), query: input.query, headers: input.headers, body: input.body, host: domainName });
  const origin = eventType.startsWith('origin') ? originOf(manifest, attachment?.behavior, notes) : undefined;
  const response: EdgeResponse | undefined = eventType.endsWith('response')
    ? { status: input.responseStatus, headers: [['Content-Type', 'text/html'], ['Content-Length', '0']], body: Buffer.alloc(0) }
    : undefined;
  // Where the function's AWS calls go: a local AWS holding only this run's secret.
  const aws = input.secret ? await startLocalAws({ secret: input.secret }) : undefined;
  try {
    const result = await invokeOnce({
      function: { name: functionName(manifest.name, input.functionKey), zip: bundle.zip, handler: 'index.handler', runtime: fn.runtime, timeoutSeconds: fn.timeout, memoryMb: fn.memorySize },
      eventType,
      request,
      includeBody,
      origin,
      response,
      distribution: { id: distributionId, domainName },
      region: input.region,
      network: { awsEndpoint: aws?.endpoint, origins: Object.fromEntries(Object.entries(input.origins).map(([k, v]) => [k.toLowerCase(), v])) },
      requestId: randomBytes(40).toString('base64').replace(/\+/g, '_').replace(/\//g, '-'),
    });
    return {
      ...result,
      functionKey: input.functionKey,
      functionName: functionName(manifest.name, input.functionKey),
      eventType,
      pathPattern: attachment?.pathPattern,
      includeBody,
      runtime: fn.runtime,
      memoryMb: fn.memorySize,
      timeoutSeconds: fn.timeout,
      bundleBytes: bundle.codeSize,
      notes,
    };
  } finally {
    await aws?.close();
  }
}

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);
