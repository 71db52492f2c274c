/**
 * A Lambda@Edge handler, scaffolded by `edge-install init` (recipe `custom`).
 *
 * edge-install bundles this file with esbuild into one file (imports from your project are
 * included) and attaches it to the CloudFront event named in edge-install.json. Lambda@Edge
 * has no environment variables: the function's "config" object from edge-install.json is baked
 * into the bundle as __EDGE_INSTALL_CONFIG__. Never put secret values there (anyone who can
 * read the function can read its code); read them from Secrets Manager at run time.
 *
 * Viewer events: at most 5 s and 1 MB of bundled code; do not touch Content-Length, Host,
 * Transfer-Encoding or Via. Origin events: at most 30 s.
 */
declare const __EDGE_INSTALL_CONFIG__: Record<string, unknown>;

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
  body?: string;
  bodyEncoding?: 'text' | 'base64';
}

export interface CloudFrontEvent {
  Records: {
    cf: {
      config: { distributionDomainName: string; distributionId: string; eventType: 'viewer-request' | 'viewer-response' | 'origin-request' | 'origin-response'; requestId: string };
      request: CloudFrontRequest;
      /** Present on viewer-response and origin-response. */
      response?: CloudFrontResponse;
    };
  }[];
}

const config = __EDGE_INSTALL_CONFIG__;

export const handler = async (event: CloudFrontEvent): Promise<CloudFrontRequest | CloudFrontResponse> => {
  const { request, response } = event.Records[0]!.cf;
  void config;
  if (response) {
    // viewer-response / origin-response: change the response here, then return it.
    return response;
  }
  // viewer-request / origin-request: change the request and return it, or return a
  // response (e.g. { status: '302', headers: { location: [{ key: 'Location', value: '/' }] } })
  // to answer without going to the origin.
  return request;
};
