/**
 * Fetching an origin from the local edge, which never reaches the internet:
 * - a custom origin by its domain name through the origin map (`--origin host=url`): the
 *   request goes to the mapped base URL with its path (OriginPath + URI), query, headers and
 *   the origin's custom headers; an unmapped host is CloudFront's 502 with a body that says
 *   which flag maps it;
 * - an S3 origin from a local directory (`--s3-dir bucket=path`): GET and HEAD of files, with
 *   S3's own error documents. A missing key is S3's 404 NoSuchKey, which S3 answers when the
 *   reader may list the bucket (with only s3:GetObject it would be 403 AccessDenied); the
 *   sandbox takes the 404 so custom error responses for 404 behave as a site expects.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname, join, resolve, sep } from 'node:path';
import { pairsFromRaw } from './headers.js';
import type { EdgeOrigin, EdgeRequest, EdgeResponse, HeaderPair } from './model.js';

export interface OriginMaps {
  /** Lower-case host (or host:port) → base URL, e.g. "api.example.com" → "http://127.0.0.1:9000". */
  origins: Record<string, string>;
  /** S3 bucket name → local directory. */
  s3Dirs: Record<string, string>;
}

/** Why CloudFront could not get a response from the origin: its 502/504 answers. */
export class OriginError extends Error {
  constructor(
    readonly status: 502 | 504,
    /** CloudFront's x-edge-result-type / error detail: OriginConnectError, OriginCommError, OriginDnsError. */
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_ORIGIN_BODY = 64 * 1024 * 1024;

/** The base URL the origin map gives a host, trying "host:port" first. */
export function mappedOrigin(maps: OriginMaps, host: string, port?: number): string | undefined {
  const lower = host.toLowerCase();
  return (port !== undefined ? maps.origins[`${lower}:${port}`] : undefined) ?? maps.origins[lower];
}

export async function fetchOrigin(maps: OriginMaps, origin: EdgeOrigin, request: EdgeRequest): Promise<EdgeResponse> {
  if (origin.kind === 's3') {
    const mapped = mappedOrigin(maps, origin.domainName);
    if (mapped) return fetchUrl(mapped, origin.path, request, origin.customHeaders, 30);
    return fetchS3(maps, origin, request);
  }
  const base = mappedOrigin(maps, origin.domainName, origin.port);
  if (!base) {
    throw new OriginError(502, 'OriginDnsError', `The sandbox edge does not reach the internet, and the origin map has no entry for ${origin.domainName}. Start the sandbox with --origin ${origin.domainName}=http://127.0.0.1:PORT to serve it locally.`);
  }
  return fetchUrl(base, origin.path, request, origin.customHeaders, origin.readTimeout);
}

function fetchUrl(base: string, originPath: string, request: EdgeRequest, customHeaders: HeaderPair[], readTimeoutSeconds: number): Promise<EdgeResponse> {
  const target = new URL(base);
  const path = `${target.pathname.replace(/\/$/, '')}${originPath}${request.uri}${request.querystring ? `?${request.querystring}` : ''}`;
  // An origin custom header replaces a request header of the same name ("Adding custom headers
  // to origin requests": CloudFront overwrites the viewer's value), so the origin never sees a
  // viewer's X-Origin-Verify next to the real one.
  const custom = new Set(customHeaders.map(([n]) => n.toLowerCase()));
  const headers: string[] = [];
  for (const [n, v] of [...request.headers.filter(([n]) => !custom.has(n.toLowerCase())), ...customHeaders]) headers.push(n, v);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<EdgeResponse>((resolvePromise, reject) => {
    let req: ReturnType<typeof send>;
    try {
      req = send(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: request.method, path, headers: headers as unknown as Record<string, string>, setHost: false, timeout: readTimeoutSeconds * 1000, rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ORIGIN_BODY) {
            req.destroy(new OriginError(502, 'OriginCommError', `the origin's response is larger than the sandbox edge keeps (${MAX_ORIGIN_BODY} bytes)`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 502, statusDescription: res.statusMessage, headers: pairsFromRaw(res.rawHeaders), body: Buffer.concat(chunks) }));
        res.on('error', (error) => reject(new OriginError(502, 'OriginCommError', `the origin's response broke off: ${error.message}`)));
      },
      );
    } catch (error) {
      // A request Node cannot send (a character no HTTP request may carry): CloudFront could not make it either.
      reject(new OriginError(502, 'OriginConnectError', `the request to the origin cannot be sent: ${(error as Error).message}`));
      return;
    }
    req.on('timeout', () => req.destroy(new OriginError(504, 'OriginCommError', `the origin did not answer within its read timeout (${readTimeoutSeconds} s)`)));
    req.on('error', (error) => reject(error instanceof OriginError ? error : new OriginError(502, 'OriginConnectError', `CloudFront could not connect to the origin ${base}: ${error.message}`)));
    req.end(request.body.length ? request.body : undefined);
  });
}

/** The bucket of an S3 origin's domain name: bucket.s3.region.amazonaws.com, bucket.s3.amazonaws.com, bucket.s3-website… */
export function bucketOf(domainName: string): string | undefined {
  return /^(.+?)\.s3(?:[.-][a-z0-9-]+)?(?:\.dualstack)?(?:\.[a-z0-9-]+)?\.amazonaws\.com$/.exec(domainName.toLowerCase())?.[1];
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html', '.htm': 'text/html', '.css': 'text/css', '.js': 'application/javascript', '.mjs': 'application/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon', '.txt': 'text/plain', '.xml': 'application/xml', '.woff2': 'font/woff2',
};

function s3Error(status: number, code: string, message: string, requestId: string): EdgeResponse {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
  return { status, headers: [['Content-Type', 'application/xml'], ['Server', 'AmazonS3']], body: Buffer.from(body) };
}

async function fetchS3(maps: OriginMaps, origin: Extract<EdgeOrigin, { kind: 's3' }>, request: EdgeRequest): Promise<EdgeResponse> {
  const bucket = bucketOf(origin.domainName);
  const dir = bucket === undefined ? undefined : maps.s3Dirs[bucket];
  if (!dir) {
    throw new OriginError(502, 'OriginDnsError', `The sandbox edge does not reach the internet, and no local directory serves the S3 bucket ${bucket ?? origin.domainName}. Start the sandbox with --s3-dir ${bucket ?? 'BUCKET'}=./site to serve it.`);
  }
  const requestId = Math.random().toString(16).slice(2, 18).toUpperCase();
  if (request.method !== 'GET' && request.method !== 'HEAD') return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', requestId);
  let key: string;
  try {
    key = decodeURIComponent(`${origin.path}${request.uri}`).replace(/^\/+/, '');
  } catch {
    return s3Error(400, 'InvalidURI', "Couldn't parse the specified URI.", requestId);
  }
  const root = resolve(dir);
  const file = resolve(join(root, key));
  const inside = file === root || file.startsWith(root + sep);
  let size = -1;
  let modified = 0;
  try {
    const stat = inside && key !== '' ? statSync(file) : undefined;
    if (stat?.isFile()) {
      size = stat.size;
      modified = stat.mtimeMs;
    }
  } catch {
    size = -1;
  }
  if (size < 0) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.', requestId);
  const body = request.method === 'HEAD' ? Buffer.alloc(0) : await readFile(file);
  return {
    status: 200,
    statusDescription: 'OK',
    headers: [
      ['Content-Type', CONTENT_TYPES[extname(file).toLowerCase()] ?? 'binary/octet-stream'],
      ['Content-Length', String(size)],
      ['Last-Modified', new Date(modified).toUTCString()],
      ['ETag', `"${size.toString(16)}-${Math.floor(modified).toString(16)}"`],
      ['Accept-Ranges', 'bytes'],
      ['Server', 'AmazonS3'],
    ],
    body,
  };
}
