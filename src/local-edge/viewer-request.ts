/**
 * The request a local run starts from, built from the command line (`invoke`): what a viewer
 * would send to the behavior the function is attached to. Pure.
 */
import type { EdgeRequest, HeaderPair } from '../sandbox/edge/invoke-once.js';

export interface RequestOptions {
  method: string;
  path: string;
  query: string;
  headers: HeaderPair[];
  body: Buffer;
  host: string;
}

/** A path under the behavior's pattern: `fpjs/*` → `/fpjs/example`, `*` → `/`. */
export function examplePath(pathPattern: string): string {
  if (pathPattern === '*') return '/';
  const path = pathPattern.replace(/\*/g, 'example').replace(/\?/g, 'x');
  return path.startsWith('/') ? path : `/${path}`;
}

export function viewerRequest(options: RequestOptions): EdgeRequest {
  const given = new Set(options.headers.map(([n]) => n.toLowerCase()));
  const defaults: HeaderPair[] = [
    ['Host', options.host],
    ['User-Agent', 'edge-install-invoke'],
    ['Accept', '*/*'],
  ];
  const headers = [...defaults.filter(([n]) => !given.has(n.toLowerCase())), ...options.headers];
  if (options.body.length && !given.has('content-type')) headers.push(['Content-Type', 'application/octet-stream']);
  return { method: options.method, uri: options.path, querystring: options.query.replace(/^\?/, ''), headers, body: options.body, clientIp: '203.0.113.10' };
}
