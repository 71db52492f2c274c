/**
 * The local edge's own model of an HTTP exchange, between the wire and the functions.
 *
 * The data plane (edge/data-plane.ts) turns a viewer's request into an `EdgeRequest`, hands it
 * to each trigger as CloudFront's event (lambda-event.ts for Lambda@Edge,
 * cloudfront-functions/ for CloudFront Functions), reads back what the function returned into
 * the same model (or the errors CloudFront would log and answer 502 for), fetches the origin
 * and answers. Headers stay a list of pairs in wire order with their original case: CloudFront
 * keys them by lower-case name in the event but keeps the `key` a viewer sent.
 */

/** A header as sent on the wire: its name in the sender's case, one value per pair. */
export type HeaderPair = [name: string, value: string];

export type EventType = 'viewer-request' | 'origin-request' | 'origin-response' | 'viewer-response';

export const REQUEST_EVENTS: readonly EventType[] = ['viewer-request', 'origin-request'];

export interface EdgeRequest {
  method: string;
  /** The path as received, percent-encoding kept, without the query string. */
  uri: string;
  /** The raw query string without the leading '?'; '' when there is none. */
  querystring: string;
  headers: HeaderPair[];
  /** The request body; empty when there is none. */
  body: Buffer;
  /** The viewer's address (CloudFront's `clientIp`). */
  clientIp: string;
}

/** The origin of an origin-request event (`request.origin` in the event): what CloudFront will fetch. */
export type EdgeOrigin =
  | {
      kind: 'custom';
      domainName: string;
      port: number;
      protocol: 'http' | 'https';
      /** OriginPath: '' or '/x'. */
      path: string;
      customHeaders: HeaderPair[];
      /** Seconds. */
      readTimeout: number;
      keepaliveTimeout: number;
      sslProtocols: string[];
    }
  | {
      kind: 's3';
      domainName: string;
      path: string;
      customHeaders: HeaderPair[];
      authMethod: 'origin-access-identity' | 'none';
      region: string;
    };

export interface EdgeResponse {
  status: number;
  /** The reason phrase; CloudFront's events carry it as `statusDescription`. */
  statusDescription?: string;
  headers: HeaderPair[];
  body: Buffer;
}

/** `Records[0].cf.config` of every Lambda@Edge event; `context` of a CloudFront Function's. */
export interface EventContext {
  distributionId: string;
  distributionDomainName: string;
  eventType: EventType;
  requestId: string;
}

/** A behavior's IncludeBody setting for a request event's association. */
export interface BodyOptions {
  includeBody: boolean;
}
