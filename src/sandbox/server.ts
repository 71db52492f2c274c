/**
 * The sandbox's HTTP front door: finds the service a request is for (SigV4 credential
 * scope), enforces the request size limit, applies injected faults, runs the operation and
 * records the call. Admin routes live under /_sandbox/ (admin.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleAdmin, type AdminContext } from './admin.js';
import type { EdgeServers } from './edge/edge-server.js';
import { CallLog } from './calls.js';
import { AwsError } from './errors.js';
import { FaultInjector, type HoldOutcome } from './faults.js';
import { requestId as newRequestId } from './ids.js';
import { isMutating, type SandboxReply, type SandboxRequest, type Service, type ServiceName } from './request.js';
import { SERVICES } from './services.js';
import type { World } from './world.js';

export interface ServerContext extends AdminContext {
  world: World;
  calls: CallLog;
  faults: FaultInjector;
  /** Called after every successful write (persistence). */
  onWrite(): void;
  log?: (line: string) => void;
  /** The local edge: requests whose Host is a distribution's domain name or alias go there. */
  edge?: EdgeServers;
  /** Bound to loopback: API and admin requests must name a loopback host (a DNS-rebinding guard). */
  loopbackOnly?: boolean;
}

/**
 * A Host only this machine sends: loopback names, or AWS's own service names (the local edge
 * sends functions' calls to secretsmanager.<region>.amazonaws.com here, keeping the Host they
 * signed; nobody outside AWS controls the DNS of those names, so no page can rebind one). A
 * web page that rebinds its own name to 127.0.0.1 still sends its own name, and is refused.
 * Names under .localhost are loopback by definition (RFC 6761), and S3 clients address a
 * bucket as one (virtual-hosted style: bucket.localhost, bucket.s3.localhost; s3/addressing.ts).
 */
const LOOPBACK_HOST = /^(localhost|[a-z0-9.-]+\.localhost|127\.\d+\.\d+\.\d+|\[::1\]|\[::ffff:127\.\d+\.\d+\.\d+\]|[a-z0-9.-]+\.(amazonaws\.com|amazonaws\.com\.cn|api\.aws))(:\d+)?$/i;

const SCOPE = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/** Service and region from the SigV4 credential scope; unsigned requests are recognised by shape. */
function identify(req: IncomingMessage, path: string, query: URLSearchParams): { service?: string; region: string } {
  const scope = SCOPE.exec(String(req.headers.authorization ?? '')) ?? SCOPE.exec(`Credential=${query.get('X-Amz-Credential') ?? ''}`);
  if (scope) return { region: scope[1]!, service: scope[2]! };
  if (path.startsWith('/2020-05-31/')) return { service: 'cloudfront', region: 'us-east-1' };
  if (/^\/20(15|17)-03-31\//.test(path)) return { service: 'lambda', region: 'us-east-1' };
  if (String(req.headers['x-amz-target'] ?? '').startsWith('secretsmanager.')) return { service: 'secretsmanager', region: 'us-east-1' };
  if (String(req.headers['x-amz-target'] ?? '').startsWith('Logs_20140328.')) return { service: 'logs', region: 'us-east-1' };
  // CloudWatch metrics over AWS JSON 1.0 (metrics/service.ts); its query-protocol requests are recognised by their signature only.
  if (String(req.headers['x-amz-target'] ?? '').startsWith('GraniteServiceVersion20100801.')) return { service: 'monitoring', region: 'us-east-1' };
  return { region: 'us-east-1' };
}

/** Reads the body, refusing more than `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: SandboxReply, requestId: string): void {
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId, ...reply.headers };
  if (reply.body !== undefined) headers['content-length'] = String(Buffer.byteLength(reply.body));
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

function tooLarge(service: Service): AwsError {
  return service.name === 'lambda'
    ? new AwsError('RequestEntityTooLargeException', 413, `Request must be smaller than ${service.maxBodyBytes} bytes for this operation.`)
    : new AwsError('RequestEntityTooLarge', 413, `Request must be smaller than ${service.maxBodyBytes} bytes.`);
}

async function handleService(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const requestId = newRequestId();
  const started = Date.now();
  const { service: serviceName, region } = identify(req, url.pathname, url.searchParams);
  // An unsigned form POST is IAM unless it asks for STS's one operation.
  const guess = serviceName ?? 'query';
  const service = guess === 'query' ? SERVICES.iam : SERVICES[guess as ServiceName];
  if (!service) {
    send(res, { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `The sandbox does not emulate the service '${guess}'.` }) }, requestId);
    return;
  }
  const body = await readBody(req, service.maxBodyBytes);
  if (body === 'too-large') {
    res.setHeader('connection', 'close');
    send(res, service.renderError(tooLarge(service), requestId), requestId);
    req.resume();
    return;
  }
  const effective = guess === 'query' && /(^|&)Action=GetCallerIdentity(&|$)/.test(body.toString('utf8') + '&' + url.search.slice(1)) ? SERVICES.sts : service;
  const request: SandboxRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    service: effective.name,
    region,
    baseUrl: `http://${req.headers.host ?? 'localhost'}`,
    requestId,
    params: {},
  };

  let operation = 'UnknownOperation';
  let reply: SandboxReply;
  let error: AwsError | undefined;
  let holdAnswer = false;
  let ranThenFailed = false;
  try {
    const op = effective.resolve(request);
    operation = op.name;
    const decision = ctx.faults.check(effective.name, operation, isMutating(operation), () => effective.throttleError());
    holdAnswer = decision.hold === 'after';
    if (decision.hold === 'before') {
      const parked = park(ctx, req, res, effective.name, operation);
      const outcome = await parked.outcome;
      // From here to send() everything is synchronous, so a release answers after the call ran.
      parked.resumed();
      if (outcome === 'dropped') {
        ctx.log?.(`${effective.name}.${operation} held call #${parked.id} dropped: the client went away`);
        return;
      }
    }
    error = decision.error;
    if (error && !decision.errorAfterRunning) throw error;
    reply = op.handle(request, ctx.world);
    if (error) {
      // It ran (the change is made); its answer is lost, and the client hears the error instead.
      ranThenFailed = true;
      reply = effective.renderError(error, requestId);
    }
  } catch (thrown) {
    error = thrown instanceof AwsError ? thrown : new AwsError('InternalFailure', 500, `The sandbox failed: ${(thrown as Error).message}`);
    if (!(thrown instanceof AwsError)) ctx.log?.(`sandbox: internal error in ${effective.name}.${operation}: ${(thrown as Error).stack}`);
    reply = effective.renderError(error, requestId);
  }
  const mutating = isMutating(operation);
  ctx.calls.add({ service: effective.name, operation, status: reply.status, error: error?.code ?? null, mutating });
  if (mutating && (!error || ranThenFailed)) ctx.onWrite();
  if (holdAnswer) {
    // The call has run and is recorded; its answer waits (a client killed now never hears it).
    const parked = park(ctx, req, res, effective.name, operation);
    const outcome = await parked.outcome;
    parked.resumed();
    if (outcome === 'dropped') {
      ctx.log?.(`${effective.name}.${operation} answer of held call #${parked.id} dropped: the client went away`);
      return;
    }
  }
  // Date by the sandbox clock, as every AWS answer carries the service's own time: a client
  // correcting its clock skew from it (the SDK does) then agrees with Last-Modified and the
  // other times the sandbox stamps, also after POST /_sandbox/advance.
  send(res, { ...reply, headers: { date: new Date(ctx.world.clock.now()).toUTCString(), ...reply.headers } }, requestId);
  ctx.log?.(`${effective.name}.${operation} ${reply.status}${error ? ` ${error.code}` : ''} ${Date.now() - started}ms`);
}

/**
 * Holds a call before its operation runs (a `hold` fault): the request stays open until the
 * admin API releases it. A client that disconnects meanwhile drops it from the held list.
 */
function park(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, service: string, operation: string): { id: number; outcome: Promise<HoldOutcome>; resumed(): void } {
  const parked = ctx.faults.hold(service, operation);
  ctx.log?.(`${service}.${operation} held as #${parked.id}`);
  const onClose = (): void => parked.drop();
  res.once('close', onClose);
  if (res.destroyed || req.socket.destroyed) parked.drop();
  return {
    id: parked.id,
    outcome: parked.outcome,
    resumed: () => {
      res.off('close', onClose);
      // A response emits 'close' once it has been sent (or its connection is gone).
      parked.resumed(res.closed ? Promise.resolve() : new Promise<void>((resolve) => res.once('close', () => resolve())));
    },
  };
}

export function createSandboxServer(ctx: ServerContext): Server {
  return createServer((req, res) => {
    // Appended, not resolved: a path that starts with "//" (an S3 key that starts with "/",
    // virtual-hosted style) would otherwise be read as a URL's authority.
    const url = req.url?.startsWith('/') ? new URL(`http://sandbox${req.url}`) : new URL(req.url ?? '/', 'http://sandbox');
    if (ctx.loopbackOnly && !ctx.edge?.distributionForHost(req.headers.host) && !LOOPBACK_HOST.test(req.headers.host ?? '')) {
      // Any credentials work here, and it may hold real secret values (dev, invoke): never answer a page that rebound its name to us.
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `The sandbox answers API requests for loopback hosts only, not '${req.headers.host ?? ''}'.` }));
      req.resume();
      return;
    }
    const work = url.pathname.startsWith('/_sandbox/')
      ? handleAdmin(ctx, req, res, url)
      : ctx.edge?.distributionForHost(req.headers.host)
        ? ctx.edge.handle(req, res)
        : handleService(ctx, req, res, url);
    work.catch((error: unknown) => {
      ctx.log?.(`sandbox: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'internal sandbox error' }));
    });
  });
}
