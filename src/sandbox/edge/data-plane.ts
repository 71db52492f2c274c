/**
 * The local edge's request pipeline: one viewer request through a distribution as CloudFront
 * serves it (CloudFront Developer Guide, "CloudFront events that can trigger a Lambda@Edge
 * function", "Work with requests and responses", "Cache behavior settings"):
 *
 *   continuous deployment (a primary with an enabled policy: its config or its staging's, see
 *   continuous-deployment.ts) → behavior (first path pattern that matches, else the default) →
 *   allowed methods → viewer protocol policy → viewer-request (CloudFront Function or
 *   Lambda@Edge) → cache → origin request (policies) → origin-request → origin (origin groups
 *   fail over) → origin-response → custom error response → cache → viewer-response →
 *   CloudFront's headers.
 *
 * Rules of when a trigger does not run (same page): viewer-request not for the HTTP→HTTPS
 * redirect or a custom error page; origin-request and origin-response only on a cache miss,
 * origin-response not after origin-request generated a response; viewer-response not for a
 * response generated at viewer-request, not when the origin answered 400 or more, not for
 * a custom error page. A URI changed at viewer-request does not choose another behavior.
 *
 * Every step is recorded in the request's trace (what `dev` prints), and a function's
 * failure is CloudFront's answer for it, never an exception out of here.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FaultInjector } from '../faults.js';
import { findFunctionVersion } from '../lambda/lookup.js';
import { appendLogEvents } from '../logs/groups.js';
import type { PolicyRecord, World } from '../world.js';
import { EdgeCache, ttlSeconds, type InvalidationView } from './cache.js';
import { runCloudFrontFunction } from './cloudfront-functions/runner.js';
import { distributionView, type BehaviorView, type DistributionView, type OriginView } from './distribution-view.js';
import { errorPage, ERROR_MESSAGES } from './error-page.js';
import { edgeOrigin, originRequest, cacheKey } from './forwarding.js';
import { getHeader, removeHeader, setHeader } from './headers.js';
import { interpretLambdaResult, lambdaEvent, validationLogRecord, type LambdaEventInput, type LambdaResult } from './lambda-event.js';
import { LambdaRuntime, type InvokeOutcome, type RuntimeFunction } from './lambda-runtime/runtime.js';
import type { EdgeOrigin, EdgeRequest, EdgeResponse, EventType, HeaderPair } from './model.js';
import { fetchOrigin, OriginError, type OriginMaps } from './origin-fetch.js';
import { pathMatches } from './path-match.js';
import { ContinuousDeployment, isStaging, type Side } from './continuous-deployment.js';
import { cacheSettings, forwardSettings, legacyCacheSettings, legacyForwardSettings, type CacheSettings, type ForwardSettings } from './policy-view.js';
import { popOf, RegionPicker } from './regions.js';
import { consoleLine, endLine, reportLine, startLine } from './lambda-runtime/log-lines.js';
import { seededRandom } from '../faults.js';
import { recordMetric } from '../metrics/store.js';
import { items } from '../xml.js';

export interface DataPlaneOptions extends OriginMaps {
  /** Serve every request from this Region (else round-robin over the regional edge cache Regions). */
  region?: string;
  /** The sandbox's own endpoint: where functions' AWS calls go. */
  awsEndpoint?: string;
  /** Called after every request with its trace (`dev` prints it; the sandbox logs it with --verbose). */
  onServed?: (served: ServedRequest) => void;
  /** The state changed (log events written): persist when convenient. */
  onLogsWritten?: () => void;
  /** Seeds the draws of weight-based continuous deployment (same seed, same requests: same sides); unseeded, Math.random. */
  seed?: number;
}

/** One step of a request's way through the edge, for people reading along. */
export interface TraceStep {
  stage: 'routing' | 'behavior' | 'viewer-request' | 'cache' | 'origin-request' | 'origin' | 'origin-response' | 'error-page' | 'viewer-response' | 'refused';
  detail: string;
}

export interface ServedRequest {
  /** The distribution the viewer's request reached (by its edge port, domain name or alias): a primary, unless the viewer addressed a staging distribution directly. */
  distributionId: string;
  /**
   * Which distribution's config answered: 'primary' (also for a distribution with no continuous
   * deployment policy), or 'staging' when the policy routed the request to the staging
   * distribution — and for a request sent straight to a staging distribution, which CloudFront
   * does not serve (answered 403; see DataPlane.serve).
   */
  servedBy: Side;
  /** The staging distribution's id, when servedBy is 'staging': its metrics and logs hold the request. */
  stagingDistributionId?: string;
  requestId: string;
  region: string;
  method: string;
  uri: string;
  status: number;
  /** CloudFront's x-edge-result-type: Hit, Miss, RefreshHit, Error, Redirect, LambdaGeneratedResponse, FunctionGeneratedResponse, LambdaValidationError, LambdaExecutionError, LambdaLimitExceeded. */
  resultType: string;
  steps: TraceStep[];
}

export interface ViewerRequest extends EdgeRequest {
  /** The protocol the viewer used (the local edge stands in for CloudFront's TLS; see edge-server.ts). */
  protocol: 'http' | 'https';
  /** A Region asked for by the request (X-Sandbox-Edge-Region). */
  region?: string;
}

/** What a request needs while it is being served. */
interface Exchange {
  dist: DistributionView;
  behavior: BehaviorView;
  requestId: string;
  region: string;
  steps: TraceStep[];
  resultType?: string;
}

/**
 * A request CloudFront answers with its own error page: `page` is the sentence on the page
 * (CloudFront's wording, or the sandbox's where the cause is the sandbox's own, such as an
 * unmapped origin), `detail` what the trace and the logs say.
 */
class EdgeFailure extends Error {
  constructor(
    readonly status: number,
    readonly resultType: string,
    readonly page: string,
    readonly detail = page,
  ) {
    super(detail);
  }
}

/** x-amz-cf-id: 56 characters of base64 with URL-safe letters, like CloudFront's. */
const cloudFrontRequestId = (): string => randomBytes(40).toString('base64').replace(/\+/g, '_').replace(/\//g, '-');
const via = (): string => `1.1 ${randomBytes(16).toString('hex')}.cloudfront.net (CloudFront)`;

export class DataPlane {
  readonly runtime: LambdaRuntime;
  readonly cache = new EdgeCache();
  private readonly regions: RegionPicker;
  private readonly views = new Map<string, DistributionView>();
  private readonly warned = new Set<string>();
  /** Injected failures (admin `POST /_sandbox/edge-failures`), by function name or name:version. */
  private readonly failures = new Map<string, { spec: FailureSpec; random: () => number }>();
  /** Continuous deployment: which of a primary and its staging distribution serves a request, and the sticky sessions. */
  readonly deployment: ContinuousDeployment;

  constructor(
    private readonly world: World,
    private readonly faults: FaultInjector,
    private options: DataPlaneOptions,
    private readonly log?: (line: string) => void,
  ) {
    this.regions = new RegionPicker(options.region);
    this.deployment = new ContinuousDeployment(world, options.seed === undefined ? Math.random : seededRandom(options.seed));
    this.runtime = new LambdaRuntime({ network: this.networkPolicy(), now: () => world.now() });
  }

  private networkPolicy() {
    return { awsEndpoint: this.options.awsEndpoint, origins: this.options.origins };
  }

  /** Point functions and origins elsewhere (the sandbox knows its endpoint only once it listens). */
  configure(update: Partial<DataPlaneOptions>): void {
    this.options = { ...this.options, ...update };
    this.runtime.setNetwork(this.networkPolicy());
  }

  get maps(): OriginMaps {
    return { origins: this.options.origins, s3Dirs: this.options.s3Dirs };
  }

  async close(): Promise<void> {
    await this.runtime.close();
  }

  /** The admin API's handle on injected failures. */
  readonly edgeFailures = {
    set: (spec: FailureSpec): void => {
      if (typeof spec.function !== 'string' || !spec.function) throw new Error('an edge failure needs a "function" name');
      if (!(typeof spec.rate === 'number' && spec.rate >= 0 && spec.rate <= 1)) throw new Error('"rate" must be a number from 0 to 1');
      const key = spec.version === undefined ? spec.function : `${spec.function}:${spec.version}`;
      this.failures.set(key, { spec, random: spec.seed === undefined ? Math.random : seededRandom(spec.seed) });
    },
    list: (): FailureSpec[] => [...this.failures.values()].map((f) => f.spec),
    clear: (): void => this.failures.clear(),
  };

  /** Whether this invocation is one an injected failure takes. */
  private injectedFailure(name: string, version: string): FailureSpec | undefined {
    const failure = this.failures.get(`${name}:${version}`) ?? this.failures.get(name);
    return failure && failure.random() < failure.spec.rate ? failure.spec : undefined;
  }

  /** The distribution's config as served now (re-read when its ETag changed). */
  view(distributionId: string): DistributionView | undefined {
    const record = this.world.data.cloudfront.distributions.find((d) => d.id === distributionId);
    if (!record) return undefined;
    const cached = this.views.get(record.id);
    if (cached && cached.etag === record.etag) return cached;
    const fresh = distributionView(record);
    this.views.set(record.id, fresh);
    return fresh;
  }

  /**
   * Serves one viewer request; never throws for anything a function or origin does.
   *
   * A request that reached a primary distribution with an enabled continuous deployment policy
   * is served by the distribution the policy picks (continuous-deployment.ts): its behaviors, its
   * functions, its cache (keyed by its own id: "Primary and staging distributions don't share a
   * cache"), its metrics. What the viewer sees stays the primary's: the Host it sent (or the
   * primary's domain name, edge-server.ts), its redirects.
   */
  async serve(distributionId: string, viewer: ViewerRequest): Promise<EdgeResponse> {
    const addressed = this.world.data.cloudfront.distributions.find((d) => d.id === distributionId);
    if (!addressed) throw new Error(`no distribution ${distributionId}`);
    if (isStaging(addressed)) return this.refuseStaging(distributionId, viewer);
    const routing = this.deployment.route(addressed, viewer.headers);
    const dist = this.view(routing?.distributionId ?? distributionId);
    if (!dist) throw new Error(`no distribution ${routing?.distributionId}`);
    const requestId = cloudFrontRequestId();
    const region = this.regions.pick(viewer.region);
    const behavior = dist.behaviors.find((b) => pathMatches(b.pathPattern, viewer.uri))!;
    const steps: TraceStep[] = routing ? [{ stage: 'routing', detail: routing.detail }] : [];
    steps.push({ stage: 'behavior', detail: behavior.pathPattern === '*' ? 'default (*)' : behavior.pathPattern });
    const x: Exchange = { dist, behavior, requestId, region, steps };
    const viaValue = via();
    let response: EdgeResponse;
    let cacheStatus: string;
    try {
      ({ response, cacheStatus } = await this.pipeline(x, viewer, viaValue));
    } catch (error) {
      if (!(error instanceof EdgeFailure)) throw error;
      x.steps.push({ stage: 'refused', detail: `${error.status} ${error.resultType}: ${error.detail}` });
      x.resultType = error.resultType;
      response = errorPage(error.status, error.page, requestId);
      cacheStatus = error.resultType.startsWith('Lambda') || error.resultType.startsWith('Function') ? error.resultType : 'Error';
    }
    const finished = this.cloudFrontHeaders(response, cacheStatus, viaValue, requestId, region);
    // The stickiness cookie goes on every answer, whichever side served it and whatever it was (never into the cache).
    if (routing?.setCookie) finished.headers = [...finished.headers, ['Set-Cookie', routing.setCookie]];
    if (viewer.method === 'HEAD') finished.body = Buffer.alloc(0);
    // Counted where it was served: a staging distribution has its own metrics ("Monitor a staging distribution").
    this.recordRequest(dist.id, finished, x.resultType ?? cacheStatus);
    const staged = routing?.side === 'staging';
    this.options.onServed?.({
      distributionId,
      servedBy: staged ? 'staging' : 'primary',
      ...(staged ? { stagingDistributionId: dist.id } : {}),
      requestId,
      region,
      method: viewer.method,
      uri: viewer.uri,
      status: finished.status,
      resultType: x.resultType ?? cacheStatus,
      steps: x.steps,
    });
    return finished;
  }

  /**
   * A request sent straight to a staging distribution's domain name (or its edge port): "Viewers
   * cannot send requests directly to a staging distribution using a DNS name, IP address, or
   * CNAME" ("Learn how continuous deployment works"). AWS does not show the answer; the sandbox
   * gives CloudFront's answer for a request it serves no distribution for, 403 "Bad request.",
   * and counts it in no distribution's metrics.
   */
  private refuseStaging(distributionId: string, viewer: ViewerRequest): EdgeResponse {
    const requestId = cloudFrontRequestId();
    const region = this.regions.pick(viewer.region);
    const finished = this.cloudFrontHeaders(errorPage(403, ERROR_MESSAGES.badRequest, requestId), 'Error', via(), requestId, region);
    if (viewer.method === 'HEAD') finished.body = Buffer.alloc(0);
    this.options.onServed?.({
      distributionId,
      servedBy: 'staging',
      stagingDistributionId: distributionId,
      requestId,
      region,
      method: viewer.method,
      uri: viewer.uri,
      status: 403,
      resultType: 'Error',
      steps: [{ stage: 'refused', detail: `403 Error: ${distributionId} is a staging distribution, which viewers cannot reach directly; send the request to its primary (the continuous deployment policy routes it)` }],
    });
    return finished;
  }

  private async pipeline(x: Exchange, viewer: ViewerRequest, viaValue: string): Promise<{ response: EdgeResponse; cacheStatus: string }> {
    const { dist, behavior } = x;
    if (!dist.enabled) throw new EdgeFailure(403, 'Error', ERROR_MESSAGES.requestBlocked, 'the distribution is disabled');
    // "Allowed HTTP methods": CloudFront refuses the others with 403.
    if (!behavior.allowedMethods.includes(viewer.method)) throw new EdgeFailure(403, 'Error', ERROR_MESSAGES.methodNotAllowed, `${viewer.method} is not an allowed method of ${behavior.pathPattern}`);
    if (viewer.protocol === 'http' && behavior.viewerProtocolPolicy !== 'allow-all') {
      if (behavior.viewerProtocolPolicy === 'https-only') throw new EdgeFailure(403, 'Error', ERROR_MESSAGES.requestBlocked, `${behavior.pathPattern} is https-only and the request came over HTTP`);
      const host = getHeader(viewer.headers, 'host') ?? dist.domainName;
      const location = `https://${host}${viewer.uri}${viewer.querystring ? `?${viewer.querystring}` : ''}`;
      x.resultType = 'Redirect';
      x.steps.push({ stage: 'refused', detail: `301 to ${location} (viewer protocol policy redirect-to-https)` });
      return { response: { status: 301, statusDescription: 'Moved Permanently', headers: [['Location', location], ['Content-Type', 'text/html'], ['Server', 'CloudFront']], body: Buffer.from('<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>CloudFront</center>\r\n</body>\r\n</html>\r\n') }, cacheStatus: 'Redirect' };
    }

    // ---- viewer-request --------------------------------------------------------------------
    let request: EdgeRequest = { method: viewer.method, uri: viewer.uri, querystring: viewer.querystring, headers: viewer.headers, body: viewer.body, clientIp: viewer.clientIp };
    const viewerSide = await this.viewerRequest(x, request);
    if ('response' in viewerSide) return { response: viewerSide.response, cacheStatus: viewerSide.generatedBy };
    request = viewerSide.request;
    // "Default root object": only a request for the root URL itself, after the viewer-request
    // function (which saw the URI as the viewer sent it), before the cache and the origin.
    if (request.uri === '/' && dist.defaultRootObject) {
      request = { ...request, uri: `/${dist.defaultRootObject.replace(/^\/+/, '')}` };
      x.steps.push({ stage: 'behavior', detail: `default root object: / → ${request.uri}` });
    }

    // ---- cache -----------------------------------------------------------------------------
    const { cache, forward } = this.policies(behavior);
    const cacheable = behavior.cachedMethods.includes(request.method) && cache.maxTtl > 0;
    const key = cacheKey(dist.id, behavior.pathPattern, request, cache);
    const now = this.world.now();
    const invalidations = this.invalidations(dist.id);
    if (cacheable) {
      const hit = this.cache.get(key, now, invalidations);
      if (hit) {
        x.steps.push({ stage: 'cache', detail: `hit (age ${hit.ageSeconds} s)` });
        const response = { ...hit.response, headers: setHeader(hit.response.headers, 'Age', String(hit.ageSeconds)) };
        return { response: hit.skipViewerResponse ? response : await this.viewerResponse(x, request, response), cacheStatus: 'Hit' };
      }
      x.steps.push({ stage: 'cache', detail: 'miss' });
    } else {
      x.steps.push({ stage: 'cache', detail: cache.maxTtl === 0 ? 'not cached (caching disabled)' : `not cached (${request.method})` });
    }

    // ---- origin ----------------------------------------------------------------------------
    const fetched = await this.fromOrigin(x, request, cache, forward, viaValue, viewer.protocol);
    let response = fetched.response;
    let customErrorPage = false;
    if (response.status >= 400 && !fetched.generated) {
      const page = await this.customErrorResponse(x, response, viewer.protocol, viaValue);
      if (page) {
        response = page.response;
        customErrorPage = true;
      }
    }
    // Viewer-response does not run for the origin's errors (400 or more) or custom error pages;
    // a response a function generated is not the origin's.
    const skipViewerResponse = customErrorPage || (!fetched.generated && fetched.response.status >= 400);
    // A HEAD is answered from what a GET stored, never stored itself (its answer has no body).
    if (cacheable && request.method !== 'HEAD') {
      // How long: from what the origin said (status and Cache-Control), the custom error response's ErrorCachingMinTTL for errors.
      const errorTtl = x.dist.customErrorResponses.find((r) => r.errorCode === fetched.response.status)?.errorCachingMinTtl;
      this.cache.put(key, { distributionId: dist.id, uri: request.uri, response, skipViewerResponse, invalidationsSeen: invalidations.length }, ttlSeconds(fetched.response, cache, now, errorTtl), now);
    }
    return { response: skipViewerResponse ? response : await this.viewerResponse(x, request, response), cacheStatus: fetched.generated ? 'LambdaGeneratedResponse' : 'Miss' };
  }

  private policies(behavior: BehaviorView): { cache: CacheSettings; forward?: ForwardSettings } {
    if (behavior.cachePolicyId) {
      const policy = this.policy(this.world.data.cloudfront.cachePolicies, behavior.cachePolicyId);
      const orp = behavior.originRequestPolicyId ? this.policy(this.world.data.cloudfront.originRequestPolicies, behavior.originRequestPolicyId) : undefined;
      if (policy) return { cache: cacheSettings(policy), forward: orp && forwardSettings(orp) };
    }
    const legacy = behavior.legacy ?? { queryString: false, queryStringCacheKeys: [], cookies: 'none', cookieNames: [], headers: [], minTtl: 0, defaultTtl: 86400, maxTtl: 31536000 };
    return { cache: legacyCacheSettings(legacy), forward: legacyForwardSettings(legacy) };
  }

  private policy(list: PolicyRecord[], id: string): PolicyRecord | undefined {
    return list.find((p) => p.id === id);
  }

  private invalidations(distributionId: string): InvalidationView[] {
    const record = this.world.data.cloudfront.distributions.find((d) => d.id === distributionId);
    return (record?.invalidations ?? []).map((inv) => ({ paths: items(inv.batch, 'Paths').map((p) => p.text ?? '') }));
  }

  // ---- triggers --------------------------------------------------------------------------

  private async viewerRequest(x: Exchange, request: EdgeRequest): Promise<{ request: EdgeRequest } | { response: EdgeResponse; generatedBy: string }> {
    const cfFunction = x.behavior.functions.find((f) => f.eventType === 'viewer-request');
    if (cfFunction) {
      const outcome = await this.cloudFrontFunction(x, cfFunction.arn, 'viewer-request', request);
      if (outcome && 'response' in outcome) {
        x.resultType = 'FunctionGeneratedResponse';
        return { response: outcome.response, generatedBy: 'FunctionGeneratedResponse' };
      }
      return { request: outcome?.request ?? request };
    }
    const association = x.behavior.lambda.find((a) => a.eventType === 'viewer-request');
    if (!association) return { request };
    const result = await this.lambda(x, association.arn, { context: this.context(x, 'viewer-request'), request, includeBody: association.includeBody });
    if (result.kind === 'generated-response') {
      x.resultType = 'LambdaGeneratedResponse';
      return { response: result.response, generatedBy: 'LambdaGeneratedResponse' };
    }
    return { request: (result as Extract<LambdaResult, { kind: 'request' }>).request };
  }

  private async viewerResponse(x: Exchange, request: EdgeRequest, response: EdgeResponse): Promise<EdgeResponse> {
    const cfFunction = x.behavior.functions.find((f) => f.eventType === 'viewer-response');
    if (cfFunction) {
      const outcome = await this.cloudFrontFunction(x, cfFunction.arn, 'viewer-response', request, response);
      return outcome && 'response' in outcome ? outcome.response : response;
    }
    const association = x.behavior.lambda.find((a) => a.eventType === 'viewer-response');
    if (!association) return response;
    const result = await this.lambda(x, association.arn, { context: this.context(x, 'viewer-response'), request, response });
    return result.kind === 'response' ? result.response : response;
  }

  private async fromOrigin(x: Exchange, viewerRequest: EdgeRequest, cache: CacheSettings, forward: ForwardSettings | undefined, viaValue: string, protocol: 'http' | 'https'): Promise<{ response: EdgeResponse; generated: boolean }> {
    const targets = this.targets(x.dist, x.behavior.targetOriginId);
    if (!targets.origins.length) throw new EdgeFailure(502, 'Error', ERROR_MESSAGES.originConnect, `the behavior's target origin ${x.behavior.targetOriginId} does not exist`);
    let last: EdgeResponse | undefined;
    for (const [index, originView] of targets.origins.entries()) {
      const prepared = originRequest({ viewer: viewerRequest, cache, forward, origin: originView, viewerProtocol: protocol, requestId: x.requestId, via: viaValue });
      let request = prepared.request;
      let origin: EdgeOrigin = prepared.origin;
      const association = x.behavior.lambda.find((a) => a.eventType === 'origin-request');
      if (association) {
        const result = await this.lambda(x, association.arn, { context: this.context(x, 'origin-request'), request, origin, includeBody: association.includeBody });
        if (result.kind === 'generated-response') return { response: result.response, generated: true };
        if (result.kind === 'request') {
          request = result.request;
          origin = result.origin ?? origin;
        }
      }
      let response: EdgeResponse;
      try {
        response = await fetchOrigin(this.maps, origin, request);
        x.steps.push({ stage: 'origin', detail: `${origin.kind === 's3' ? 's3' : origin.protocol}://${origin.domainName}${origin.path}${request.uri} → ${response.status}` });
      } catch (error) {
        if (!(error instanceof OriginError)) throw error;
        x.steps.push({ stage: 'origin', detail: `${origin.domainName}: ${error.message}` });
        if (index + 1 < targets.origins.length && ['GET', 'HEAD', 'OPTIONS'].includes(viewerRequest.method)) continue;
        // An unmapped origin is the sandbox's limit, not the user's error: the page says how to map it.
        const page = error.kind === 'OriginDnsError' ? error.message : error.status === 504 ? ERROR_MESSAGES.originTimeout : ERROR_MESSAGES.originConnect;
        throw new EdgeFailure(error.status, 'Error', page, error.message);
      }
      last = response;
      // "Origin failover": only for GET, HEAD and OPTIONS requests.
      const failover = index + 1 < targets.origins.length && targets.failoverStatusCodes.includes(response.status) && ['GET', 'HEAD', 'OPTIONS'].includes(viewerRequest.method);
      if (failover) {
        x.steps.push({ stage: 'origin', detail: `failover to ${targets.origins[index + 1]!.id} on ${response.status}` });
        continue;
      }
      const responseTrigger = x.behavior.lambda.find((a) => a.eventType === 'origin-response');
      if (responseTrigger) {
        const result = await this.lambda(x, responseTrigger.arn, { context: this.context(x, 'origin-response'), request, origin, response });
        if (result.kind === 'response') response = result.response;
      }
      return { response, generated: false };
    }
    return { response: last!, generated: false };
  }

  private targets(dist: DistributionView, targetId: string): { origins: OriginView[]; failoverStatusCodes: number[] } {
    const group = dist.originGroups.get(targetId);
    if (group) return { origins: group.memberIds.map((id) => dist.origins.get(id)).filter((o): o is OriginView => !!o), failoverStatusCodes: group.failoverStatusCodes };
    const origin = dist.origins.get(targetId);
    return { origins: origin ? [origin] : [], failoverStatusCodes: [] };
  }

  /**
   * A custom error response ("Generating custom error responses"): the page comes from the
   * behavior its path matches, fetched from that behavior's origin without the viewer triggers.
   */
  private async customErrorResponse(x: Exchange, response: EdgeResponse, protocol: 'http' | 'https', viaValue: string): Promise<{ response: EdgeResponse } | undefined> {
    const rule = x.dist.customErrorResponses.find((r) => r.errorCode === response.status);
    if (!rule?.responsePagePath) return undefined;
    const behavior = x.dist.behaviors.find((b) => pathMatches(b.pathPattern, rule.responsePagePath!))!;
    const origin = this.targets(x.dist, behavior.targetOriginId).origins[0];
    if (!origin) return undefined;
    const { cache, forward } = this.policies(behavior);
    const base: EdgeRequest = { method: 'GET', uri: rule.responsePagePath, querystring: '', headers: [], body: Buffer.alloc(0), clientIp: '127.0.0.1' };
    const prepared = originRequest({ viewer: base, cache, forward, origin, viewerProtocol: protocol, requestId: x.requestId, via: viaValue });
    try {
      const page = await fetchOrigin(this.maps, edgeOrigin(origin, protocol), prepared.request);
      if (page.status >= 400) return undefined;
      const status = rule.responseCode ?? response.status;
      x.steps.push({ stage: 'error-page', detail: `${response.status} → ${rule.responsePagePath} as ${status}` });
      return { response: { ...page, status, statusDescription: undefined } };
    } catch {
      return undefined;
    }
  }

  /**
   * The event's `config`: "the distribution that's associated with the request" (Lambda@Edge
   * event structure). For a request the continuous deployment policy routed to the staging
   * distribution that is the staging one — its id and its own domain name — as the functions are
   * the staging's associations; AWS documents nothing more specific (its standard logs name the
   * primary in separate fields, primary-distribution-id and primary-distribution-dns-name).
   */
  private context(x: Exchange, eventType: EventType) {
    return { distributionId: x.dist.id, distributionDomainName: x.dist.domainName, eventType, requestId: x.requestId };
  }

  /** Runs a Lambda@Edge association; a failure becomes CloudFront's error answer (thrown as EdgeFailure). */
  private async lambda(x: Exchange, arn: string, input: LambdaEventInput): Promise<LambdaResult> {
    const eventType = input.context.eventType;
    const found = findFunctionVersion(this.world, arn);
    if (!found) throw new EdgeFailure(503, 'LambdaExecutionError', ERROR_MESSAGES.lambdaExecution, `${arn} does not exist in the sandbox`);
    const { fn, version } = found;
    const decision = this.faults.check('lambda', 'Invoke', false, () => ({ code: 'TooManyRequestsException' }) as never);
    if (decision.error) {
      const throttled = decision.error.code === 'TooManyRequestsException' || decision.error.code === 'Throttling';
      this.recordInvocation(x.region, fn.name, version.version, { kind: throttled ? 'throttled' : 'error', durationMs: 0 });
      x.steps.push({ stage: eventType, detail: `${fn.name}:${version.version} → injected ${decision.error.code}` });
      throw new EdgeFailure(503, throttled ? 'LambdaLimitExceeded' : 'LambdaExecutionError', throttled ? ERROR_MESSAGES.lambdaThrottled : ERROR_MESSAGES.lambdaExecution, `injected ${decision.error.code}`);
    }
    const runtimeFunction: RuntimeFunction = {
      qualifiedArn: arn,
      name: fn.name,
      version: version.version,
      codeSha256: version.codeSha256,
      zip: () => Buffer.from(this.world.data.lambda.code[version.codeSha256] ?? '', 'base64'),
      handler: version.config.handler ?? 'index.handler',
      runtime: version.config.runtime ?? 'nodejs22.x',
      timeoutSeconds: version.config.timeout,
      memoryMb: version.config.memorySize,
    };
    const event = lambdaEvent(input);
    // Lambda's own request id (a UUID), not CloudFront's: the validation log names both.
    const lambdaRequestId = randomUUID();
    let outcome: InvokeOutcome;
    const injected = this.injectedFailure(fn.name, version.version);
    try {
      outcome = injected ? injectedOutcome(injected, lambdaRequestId, version.version, runtimeFunction.memoryMb, this.world.now()) : await this.runtime.invoke(runtimeFunction, event, { region: x.region, requestId: lambdaRequestId });
    } catch (error) {
      // The package would not unpack, the runtime is closing…: Lambda could not run it.
      this.recordInvocation(x.region, fn.name, version.version, { kind: 'error', durationMs: 0 });
      x.steps.push({ stage: eventType, detail: `${fn.name}:${version.version} → could not run: ${(error as Error).message}` });
      throw new EdgeFailure(503, 'LambdaExecutionError', ERROR_MESSAGES.lambdaExecution, `${fn.name}:${version.version} could not run: ${(error as Error).message}`);
    }
    // A replica logs to /aws/lambda/us-east-1.<name> in the Region that ran it, or to the group its
    // LoggingConfig names (Lambda@Edge honours a custom group as named).
    const custom = version.config.logging?.logGroup;
    const group = custom && custom !== `/aws/lambda/${fn.name}` ? custom : `/aws/lambda/us-east-1.${fn.name}`;
    this.writeLogs(x.region, group, outcome.logStream, outcome.lines);
    this.recordInvocation(x.region, fn.name, version.version, outcome);
    const label = `${fn.name}:${version.version}`;
    if (outcome.kind !== 'ok') {
      x.steps.push({ stage: eventType, detail: `${label} → ${outcome.kind}${outcome.kind === 'error' ? ` ${outcome.errorType}: ${outcome.errorMessage}` : ''} (${outcome.durationMs.toFixed(1)} ms)` });
      if (outcome.kind === 'throttled') throw new EdgeFailure(503, 'LambdaLimitExceeded', ERROR_MESSAGES.lambdaThrottled, `${label} was throttled`);
      const why = outcome.kind === 'timeout' ? `timed out after ${runtimeFunction.timeoutSeconds} seconds` : outcome.kind === 'out-of-memory' ? 'ran out of memory' : `failed: ${outcome.errorType}: ${outcome.errorMessage}`;
      throw new EdgeFailure(503, 'LambdaExecutionError', ERROR_MESSAGES.lambdaExecution, `${label} ${why}`);
    }
    const result = interpretLambdaResult(input, outcome.value);
    if (result.kind === 'invalid') {
      x.steps.push({ stage: eventType, detail: `${label} → invalid: ${result.errors.join('; ')}` });
      const record = validationLogRecord({ input, arn, region: x.region, errors: result.errors, lambdaRequestId });
      this.writeLogs(x.region, `/aws/cloudfront/LambdaEdge/${x.dist.id}`, `${new Date(this.world.now()).toISOString().slice(0, 10).replace(/-/g, '/')}/${x.requestId.slice(0, 32)}`, [{ timestamp: this.world.now(), message: record }]);
      throw new EdgeFailure(502, 'LambdaValidationError', result.reason, `${label} returned an invalid result: ${result.errors.join('; ')}`);
    }
    x.steps.push({ stage: eventType, detail: `${label} → ${describeResult(result)} (${outcome.durationMs.toFixed(1)} ms${outcome.initDurationMs !== undefined ? `, cold start ${outcome.initDurationMs.toFixed(0)} ms` : ''})` });
    return result;
  }

  /** Runs a CloudFront Function; undefined when it is missing or unsupported (the request passes through). */
  private async cloudFrontFunction(x: Exchange, arn: string, eventType: 'viewer-request' | 'viewer-response', request: EdgeRequest, response?: EdgeResponse): Promise<{ request: EdgeRequest } | { response: EdgeResponse } | undefined> {
    const name = arn.split('/').pop() ?? arn;
    const fn = this.world.cloudFrontFunctions.find((f) => f.name === name);
    const stage = fn?.live;
    if (!fn || !stage) {
      this.warnOnce(`missing:${arn}`, `the CloudFront Function ${name} is not published in the sandbox; requests pass through it`);
      x.steps.push({ stage: eventType, detail: `CloudFront Function ${name} → passed through (not in the sandbox)` });
      return undefined;
    }
    const { outcome, logs } = await runCloudFrontFunction({ name, runtime: stage.runtime, code: Buffer.from(stage.code, 'base64').toString('utf8') }, { context: this.context(x, eventType), request, response, now: this.world.now() });
    if (logs.length) this.writeLogs('us-east-1', `/aws/cloudfront/function/${name}`, `${new Date(this.world.now()).toISOString().slice(0, 10).replace(/-/g, '/')}/${x.requestId.slice(0, 32)}`, logs.map((message) => ({ timestamp: this.world.now(), message })));
    switch (outcome.kind) {
      case 'unsupported':
        this.warnOnce(`unsupported:${arn}`, `the CloudFront Function ${name} uses what the sandbox cannot run (${outcome.reason}); requests pass through it`);
        x.steps.push({ stage: eventType, detail: `CloudFront Function ${name} → passed through (${outcome.reason})` });
        return undefined;
      case 'error':
        x.steps.push({ stage: eventType, detail: `CloudFront Function ${name} → error: ${outcome.message}` });
        // CloudFront's status for it: 502 for a result it refuses, 503 for a throw or the compute budget.
        throw new EdgeFailure(outcome.status, outcome.errorType, ERROR_MESSAGES.lambdaExecution.replace('Lambda function', 'CloudFront function'), `CloudFront Function ${name} failed: ${outcome.message}`);
      case 'request':
        x.steps.push({ stage: eventType, detail: `CloudFront Function ${name} → request ${outcome.request.uri}` });
        return { request: outcome.request };
      case 'response':
        x.steps.push({ stage: eventType, detail: `CloudFront Function ${name} → response ${outcome.response.status}` });
        return { response: outcome.response };
    }
  }

  /**
   * CloudFront's distribution metrics for this request (AWS/CloudFront, us-east-1, dimensions
   * DistributionId and Region=Global; CloudFront Developer Guide, "CloudFront and edge function
   * metrics"): the rates as 100 or 0 per request (read with Average), the Lambda@Edge errors as
   * 1 or 0 (read with Sum).
   */
  private recordRequest(distributionId: string, response: EdgeResponse, resultType: string): void {
    const now = this.world.now();
    const dimensions = { DistributionId: distributionId, Region: 'Global' };
    const point = (metricName: string, value: number, unit: string) => recordMetric(this.world, { namespace: 'AWS/CloudFront', region: 'us-east-1', metricName, dimensions, value, unit, timestamp: now });
    // Units as CloudFront publishes them: None for the counts, Percent for the rates.
    point('Requests', 1, 'None');
    point('BytesDownloaded', response.body.length, 'None');
    point('4xxErrorRate', response.status >= 400 && response.status < 500 ? 100 : 0, 'Percent');
    point('5xxErrorRate', response.status >= 500 ? 100 : 0, 'Percent');
    point('TotalErrorRate', response.status >= 400 ? 100 : 0, 'Percent');
    point('LambdaExecutionError', resultType === 'LambdaExecutionError' ? 1 : 0, 'None');
    point('LambdaValidationError', resultType === 'LambdaValidationError' ? 1 : 0, 'None');
    point('LambdaLimitExceededErrors', resultType === 'LambdaLimitExceeded' ? 1 : 0, 'None');
  }

  /** Lambda's function metrics for an invocation, in the Region that ran it (AWS/Lambda, FunctionName us-east-1.<name>). */
  private recordInvocation(region: string, name: string, version: string, outcome: { kind: string; durationMs: number }): void {
    const now = this.world.now();
    const replica = `us-east-1.${name}`;
    // The dimension sets Lambda publishes for a numbered version (Lambda@Edge has no aliases): the function, and function + Resource.
    const sets: Record<string, string>[] = [{ FunctionName: replica }, { FunctionName: replica, Resource: `${replica}:${version}` }];
    for (const dimensions of sets) {
      const point = (metricName: string, value: number, unit: string) => recordMetric(this.world, { namespace: 'AWS/Lambda', region, metricName, dimensions, value, unit, timestamp: now });
      if (outcome.kind === 'throttled') {
        point('Throttles', 1, 'Count');
        continue;
      }
      point('Invocations', 1, 'Count');
      point('Errors', outcome.kind === 'ok' ? 0 : 1, 'Count');
      point('Duration', outcome.durationMs, 'Milliseconds');
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log?.(`edge: warning: ${message}`);
  }

  private writeLogs(region: string, group: string, stream: string, lines: { timestamp: number; message: string }[]): void {
    if (!lines.length) return;
    appendLogEvents(this.world, { region, group, stream, events: lines });
    this.options.onLogsWritten?.();
  }

  /** The headers CloudFront adds to every answer ("Add CloudFront response headers"). */
  private cloudFrontHeaders(response: EdgeResponse, cacheStatus: string, viaValue: string, requestId: string, region: string): EdgeResponse {
    let headers: HeaderPair[] = response.headers;
    for (const name of ['x-cache', 'via', 'x-amz-cf-pop', 'x-amz-cf-id']) headers = removeHeader(headers, name);
    const cache = cacheStatus === 'Hit' ? 'Hit' : cacheStatus === 'Miss' ? 'Miss' : cacheStatus;
    headers = [...headers, ['X-Cache', `${cache} from cloudfront`], ['Via', viaValue], ['X-Amz-Cf-Pop', popOf(region)], ['X-Amz-Cf-Id', requestId]];
    return { ...response, headers };
  }
}

export interface FailureSpec {
  function: string;
  version?: string;
  rate: number;
  seed?: number;
  message?: string;
}

/** An injected failure as the runtime would report a thrown Error, with Lambda's log lines. */
function injectedOutcome(spec: FailureSpec, requestId: string, version: string, memoryMb: number, now: number): InvokeOutcome {
  const errorMessage = spec.message ?? 'injected failure (POST /_sandbox/edge-failures)';
  const invokeError = JSON.stringify({ errorType: 'Error', errorMessage, stack: [`Error: ${errorMessage}`] });
  return {
    kind: 'error',
    errorType: 'Error',
    errorMessage,
    logStream: `${new Date(now).toISOString().slice(0, 10).replace(/-/g, '/')}/[${version}]${'0'.repeat(24)}injected`,
    lines: [startLine(requestId, version), consoleLine(now, requestId, 'ERROR', `Invoke Error \t${invokeError}`), endLine(requestId), reportLine({ requestId, durationMs: 1, memorySizeMb: memoryMb, maxMemoryUsedMb: 1, status: 'error', errorType: 'Error' })].map((message) => ({ timestamp: now, message })),
    durationMs: 1,
  };
}

function describeResult(result: LambdaResult): string {
  switch (result.kind) {
    case 'request':
      return `request ${result.request.method} ${result.request.uri}${result.origin ? ` to ${result.origin.domainName}` : ''}`;
    case 'generated-response':
      return `generated ${result.response.status}`;
    case 'response':
      return `response ${result.response.status}`;
    default:
      return 'invalid';
  }
}

