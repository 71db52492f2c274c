//#template: `edge-install init` (recipe custom) renders this file (src/manifest/starter.ts): lines
//#template: starting with //#if <condition> … //#endif are kept when the condition holds
//#template: (request, response, viewer, origin, secret, !secret), {{eventType}} becomes the event,
//#template: and //#secret-reads becomes one line per secret key. //#template lines are dropped.
/**
 * A Lambda@Edge handler for CloudFront's {{eventType}} event, scaffolded by
 * `edge-install init` (recipe `custom`).
 *
 * edge-install bundles this file with esbuild into one file (imports from your project are
 * included) and attaches it to the event named in edge-install.json. Lambda@Edge has no
 * environment variables: `config()` returns the function's "config" object from
 * edge-install.json, baked into the bundle. Never put secret values there (anyone who can read
 * the function can read its code).
//#if secret
 *
 * Secret values are read at run time with `secret(KEY)`: from the secret named in
 * edge-install.json, cached per container for 5 minutes (config.secretTtlSeconds), with one
 * read shared by concurrent requests and the last good value kept when a refresh fails.
 * Change a value with `edge-install secret set KEY`.
//#endif
 *
 * `edge-install/runtime` is bundled from the edge-install that runs `plan`/`attach`, installed
 * in this project or not; `npm install -D edge-install` lets your editor and tsc see its types.
 * Try the handler locally with `edge-install invoke main`.
 *
//#if viewer
 * Viewer events: at most 5 s, 128 MB and 1 MB of zipped code; do not touch Content-Length,
 * Host, Transfer-Encoding or Via.
//#endif
//#if origin
 * Origin events: at most 30 s and 50 MB of zipped code.
//#endif
 */
//#if secret
import { config, secret } from 'edge-install/runtime';
//#endif
//#if !secret
import { config } from 'edge-install/runtime';
//#endif

export type CloudFrontHeaders = Record<string, { key?: string; value: string }[]>;

export interface CloudFrontRequest {
  clientIp: string;
  method: string;
  uri: string;
  querystring: string;
  headers: CloudFrontHeaders;
  body?: { action: 'read-only' | 'replace'; encoding: 'base64' | 'text'; data: string; inputTruncated: boolean };
  origin?: Record<string, unknown>;
}

export interface CloudFrontResponse {
  status: string;
  statusDescription?: string;
  headers: CloudFrontHeaders;
}

//#if request
/** A response generated at the edge (returned instead of the request). */
export interface CloudFrontResultResponse extends CloudFrontResponse {
  body?: string;
  bodyEncoding?: 'text' | 'base64';
}

//#endif
export interface CloudFrontEvent {
  Records: {
    cf: {
      config: { distributionDomainName: string; distributionId: string; eventType: '{{eventType}}'; requestId: string };
      request: CloudFrontRequest;
//#if response
      response: CloudFrontResponse;
//#endif
    };
  }[];
}

const settings = config();

//#if request
export const handler = async (event: CloudFrontEvent): Promise<CloudFrontRequest | CloudFrontResultResponse> => {
  const { request } = event.Records[0]!.cf;
  void settings;
//#endif
//#if response
export const handler = async (event: CloudFrontEvent): Promise<CloudFrontResponse> => {
  const { request, response } = event.Records[0]!.cf;
  void settings;
  void request;
//#endif
//#if secret
  // secret() rejects when the secret cannot be read and never was (CloudFront then answers
  // 503): catch it where the handler should let traffic through instead.
//#secret-reads
//#endif
//#if request
  // Change the request and return it, or return a response to answer without going to the
  // origin, e.g. { status: '302', headers: { location: [{ key: 'Location', value: '/' }] } }.
  return request;
};
//#endif
//#if response
//#if viewer
  // Change the headers and return the response (a viewer-response function cannot change its status).
//#endif
//#if origin
  // Change the response and return it; what is returned here is what CloudFront caches.
//#endif
  return response;
};
//#endif
