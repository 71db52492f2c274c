/**
 * The local edge's front doors: one HTTP listener on loopback per distribution (its URL is in
 * the sandbox's ready line under "edge"), plus Host-based selection — a request whose Host is
 * a distribution's domain name (d111111abcdef8.cloudfront.net) or one of its aliases is served
 * by that distribution on any edge port and on the sandbox's own port. A staging distribution
 * has a listener too, but the data plane refuses what reaches it directly (403, as CloudFront
 * serves a staging distribution only through its primary's continuous deployment policy).
 *
 * TLS: the listeners speak plain HTTP on loopback and stand in for CloudFront's TLS
 * termination, so a request counts as HTTPS (what browsers and --verify-url send in
 * production) unless it carries `X-Sandbox-Viewer-Protocol: http`, which is how a test or a
 * user checks a behavior's viewer protocol policy (redirect-to-https answers 301, https-only
 * 403). `X-Sandbox-Edge-Region: eu-west-1` picks the Region the request is served from (where
 * its functions run and log). Both headers are the sandbox's own and never reach a function
 * or an origin.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from '../world.js';
import type { DataPlane, ViewerRequest } from './data-plane.js';
import { pairsFromRaw, setHeader } from './headers.js';
import { isEdgeRegion } from './regions.js';

export const VIEWER_PROTOCOL_HEADER = 'x-sandbox-viewer-protocol';
export const EDGE_REGION_HEADER = 'x-sandbox-edge-region';
/** CloudFront's largest request body is far larger; the local edge keeps requests in memory. */
const MAX_REQUEST_BODY = 64 * 1024 * 1024;

const LOOPBACK_HOST = /^(localhost|\d+\.\d+\.\d+\.\d+|\[[0-9a-f:.]+\])(:\d+)?$/i;

export class EdgeServers {
  private readonly listeners = new Map<string, { server: Server; url: string }>();

  constructor(
    private readonly world: World,
    private readonly plane: DataPlane,
    private readonly host: string,
    private readonly log?: (line: string) => void,
  ) {}

  /** Distribution id → the URL of its listener. */
  urls(): Record<string, string> {
    return Object.fromEntries([...this.listeners].map(([id, l]) => [id, l.url]));
  }

  /** Opens a listener for every distribution that has none, closes those of deleted ones. */
  async sync(): Promise<void> {
    const ids = new Set(this.world.data.cloudfront.distributions.map((d) => d.id));
    for (const [id, listener] of this.listeners) {
      if (ids.has(id)) continue;
      this.listeners.delete(id);
      listener.server.closeAllConnections();
      listener.server.close();
    }
    for (const id of ids) {
      if (this.listeners.has(id)) continue;
      const server = createServer((req, res) => void this.handle(req, res, id));
      // Reserve the entry before listening so two syncs never open two ports for one id.
      const entry = { server, url: '' };
      this.listeners.set(id, entry);
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, this.host, () => resolve());
        });
      } catch (error) {
        // Not listening: drop the reservation, so the next sync tries again.
        this.listeners.delete(id);
        throw error;
      }
      const port = (server.address() as AddressInfo).port;
      entry.url = `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${port}`;
      this.log?.(`edge: ${id} on ${entry.url}`);
    }
  }

  /** The distribution a Host header names (domain name or alias), if any. */
  distributionForHost(hostHeader: string | undefined): string | undefined {
    const host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
    if (!host) return undefined;
    for (const d of this.world.data.cloudfront.distributions) {
      if (d.domainName === host) return d.id;
      if (this.plane.view(d.id)?.aliases.includes(host)) return d.id;
    }
    return undefined;
  }

  /** Serves a request; `portDistribution` is the distribution whose listener received it (none on the sandbox's own port). */
  async handle(req: IncomingMessage, res: ServerResponse, portDistribution?: string): Promise<void> {
    try {
      const named = this.distributionForHost(req.headers.host);
      const byPort = portDistribution && this.world.data.cloudfront.distributions.some((d) => d.id === portDistribution) ? portDistribution : undefined;
      const hostIsAddress = LOOPBACK_HOST.test(req.headers.host ?? '') || !req.headers.host;
      const id = named ?? (hostIsAddress ? byPort : undefined);
      if (!id) return this.unknown(req, res, portDistribution);
      const viewer = await this.viewerRequest(req);
      if (typeof viewer === 'string') return this.plain(res, 400, viewer);
      // Chosen by its port, the request reached "the distribution's domain name": that is its Host
      // (a loopback address would reach functions and origins where CloudFront never sends one).
      if (!named) viewer.headers = setHeader(viewer.headers, 'Host', this.world.data.cloudfront.distributions.find((d) => d.id === id)!.domainName);
      const answer = await this.plane.serve(id, viewer);
      const raw: string[] = [];
      for (const [name, value] of answer.headers) {
        if (name.toLowerCase() === 'content-length' || name.toLowerCase() === 'transfer-encoding' || name.toLowerCase() === 'connection') continue;
        raw.push(name, value);
      }
      raw.push('Content-Length', String(answer.body.length));
      try {
        res.writeHead(answer.status, answer.statusDescription ?? '', raw);
      } catch (error) {
        // A header Node refuses to send (the checks in lambda-response-rules.ts should have caught it first).
        this.log?.(`edge: cannot send the answer: ${(error as Error).message}`);
        return this.plain(res, 502, `The sandbox edge cannot send the answer: ${(error as Error).message}\n`);
      }
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    } catch (error) {
      this.log?.(`edge: internal error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) this.plain(res, 500, `the sandbox edge failed: ${(error as Error).message}\n`);
      else res.destroy();
    }
  }

  private async viewerRequest(req: IncomingMessage): Promise<ViewerRequest | string> {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const uri = q < 0 ? target : target.slice(0, q);
    if (!uri.startsWith('/')) return `the sandbox edge serves origin-form request targets (/path), not '${target}'\n`;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_REQUEST_BODY) return `request body over the sandbox edge's ${MAX_REQUEST_BODY} bytes\n`;
      chunks.push(chunk as Buffer);
    }
    let protocol: 'http' | 'https' = 'https';
    let region: string | undefined;
    const headers = pairsFromRaw(req.rawHeaders).filter(([name, value]) => {
      const lower = name.toLowerCase();
      if (lower === VIEWER_PROTOCOL_HEADER) protocol = value.trim().toLowerCase() === 'http' ? 'http' : 'https';
      else if (lower === EDGE_REGION_HEADER) region = value.trim();
      else return true;
      return false;
    });
    if (region !== undefined && !isEdgeRegion(region)) return `${EDGE_REGION_HEADER}: '${region}' is not a Region with a regional edge cache\n`;
    return {
      method: req.method ?? 'GET',
      uri,
      querystring: q < 0 ? '' : target.slice(q + 1),
      headers,
      body: Buffer.concat(chunks),
      clientIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      protocol,
      region,
    };
  }

  /** A Host (or a deleted distribution's port) the edge does not serve: 404 naming what it does serve. */
  private unknown(req: IncomingMessage, res: ServerResponse, portDistribution?: string): void {
    req.resume();
    const known = this.world.data.cloudfront.distributions.map((d) => {
      const aliases = this.plane.view(d.id)?.aliases ?? [];
      return `  ${d.id}  ${this.listeners.get(d.id)?.url ?? ''}  Host: ${[d.domainName, ...aliases].join(', ')}`;
    });
    const what = portDistribution && !this.world.data.cloudfront.distributions.some((d) => d.id === portDistribution) ? `distribution ${portDistribution} (deleted)` : `Host '${req.headers.host ?? ''}'`;
    this.plain(res, 404, `The sandbox edge serves no ${what}.\nKnown distributions:\n${known.join('\n') || '  (none)'}\n`);
  }

  private plain(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.listeners.values()].map(
        (l) =>
          new Promise<void>((resolve) => {
            l.server.closeAllConnections();
            l.server.close(() => resolve());
          }),
      ),
    );
    this.listeners.clear();
  }
}
