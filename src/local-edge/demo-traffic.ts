/**
 * The demo's traffic: local stand-ins of the vendor's two hosts (the agent CDN and the
 * ingress API) that the sandbox's origin map sends the proxy's requests to, a static site for
 * the distribution's S3 origin, and the requests a browser would send through the installed
 * proxy — each answer with what the stand-in received, so the demo can show the headers the
 * proxy adds. Nothing here reaches the internet.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { World } from '../sandbox/world.js';

export interface StandIn {
  url: string;
  /** What the stand-in received last. */
  last?: { method: string; url: string; headers: IncomingHttpHeaders; body: string };
}

export interface DemoWorld {
  agentCdn: StandIn;
  ingress: StandIn;
  /** Bucket → directory: the demo distribution's S3 site. */
  s3Dirs: Record<string, string>;
  /** Host → base URL: the vendor's hosts served by the stand-ins. */
  origins: Record<string, string>;
  close(): Promise<void>;
}

export interface Exchange {
  status: number;
  xCache: string | null;
  body: string;
}

async function standIn(answer: (req: { method: string; url: string }) => { type: string; body: string; cacheControl?: string }): Promise<StandIn & { server: Server }> {
  const stand: StandIn & { server: Server } = { url: '', server: undefined as unknown as Server };
  stand.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stand.last = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const reply = answer({ method: req.method ?? '', url: req.url ?? '' });
      res.writeHead(200, { 'content-type': reply.type, ...(reply.cacheControl ? { 'cache-control': reply.cacheControl } : {}), 'strict-transport-security': 'max-age=63072000' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => stand.server.listen(0, '127.0.0.1', () => resolve()));
  stand.url = `http://127.0.0.1:${(stand.server.address() as AddressInfo).port}`;
  return stand;
}

/** The stand-ins and the site, for the demo distribution (bucket example-site-prod). */
export async function startDemoWorld(agentHost: string, ingressHost: string): Promise<DemoWorld> {
  const agentCdn = await standIn(() => ({ type: 'application/javascript', body: '/* the vendor agent (a local stand-in) */', cacheControl: 'public, max-age=31536000, s-maxage=31536000' }));
  const ingress = await standIn(() => ({ type: 'application/json', body: '{"visitorId":"demo-visitor-1","requestId":"1700000000000.demo"}' }));
  const site = mkdtempSync(join(tmpdir(), 'edge-install-demo-site-'));
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>example.com</title><h1>example.com</h1>');
  writeFileSync(join(site, '404.html'), '<!doctype html><title>Not found</title><h1>Not found</h1>');
  return {
    agentCdn,
    ingress,
    s3Dirs: { 'example-site-prod': site },
    origins: { [agentHost]: agentCdn.url, [ingressHost]: ingress.url },
    close: async () => {
      for (const s of [agentCdn, ingress]) {
        s.server.closeAllConnections();
        await new Promise<void>((resolve) => s.server.close(() => resolve()));
      }
      rmSync(site, { recursive: true, force: true });
    },
  };
}

/** A request as a browser on the site would send it: to the edge, with the site's Host (fetch cannot set Host). */
export function send(url: string, options: { method?: string; body?: string; headers?: Record<string, string>; host?: string } = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: { host: options.host ?? 'www.example.com', ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, xCache: (res.headers['x-cache'] as string | undefined) ?? null, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The function's log lines the local edge wrote (CloudWatch Logs in the sandbox), newest last, with their Region. */
export function functionLogLines(world: World, functionName: string): { region: string; group: string; message: string }[] {
  const group = `/aws/lambda/us-east-1.${functionName}`;
  return world.logGroups
    .filter((g) => g.name === group)
    .flatMap((g) => g.streams.flatMap((s) => s.events.map((e) => ({ region: g.region, group, message: e.message.replace(/\n$/, ''), timestamp: e.timestamp }))))
    .sort((a, b) => a.timestamp - b.timestamp)
    .map(({ region, group: name, message }) => ({ region, group: name, message }));
}
