/** Manifests for the manifest tests, in the shape of RECIPES.md's example. */

/** A valid manifest as a user would write it (a fresh copy each call, free to mutate). */
export function validManifest(): Record<string, any> {
  return {
    $schema: './node_modules/edge-install/edge-install.schema.json',
    name: 'fp-proxy',
    recipe: 'first-party-proxy',
    distributions: ['E2QWRUHAPOMQZL'],
    values: { behaviorPath: 'fpjs-7x9', agentDownloadPath: 'agent', getResultPath: 'result', agentHost: 'fpcdn.io' },
    secret: {
      name: 'edge-install/fp-proxy',
      region: 'us-east-1',
      replicaRegions: [],
      keys: {
        FPJS_PRE_SHARED_SECRET: { sensitive: true },
        FPJS_BEHAVIOR_PATH: { value: '${values.behaviorPath}' },
        FPJS_AGENT_DOWNLOAD_PATH: { value: '${values.agentDownloadPath}' },
        FPJS_GET_RESULT_PATH: { value: '${values.getResultPath}' },
      },
    },
    functions: {
      proxy: {
        handler: 'builtin:first-party-proxy',
        runtime: 'nodejs20.x',
        memorySize: 128,
        timeout: 10,
        config: { agentHost: '${values.agentHost}', ingressHost: 'api.fpjs.io' },
      },
      enforcer: { handler: './edge/enforcer.ts' },
    },
    origins: {
      vendor: {
        domainName: '${values.agentHost}',
        protocol: 'https-only',
        minTlsVersion: 'TLSv1.2',
        readTimeout: 30,
        keepaliveTimeout: 5,
        customHeaders: { FPJS_SECRET_NAME: '${secret.name}', FPJS_SECRET_REGION: '${secret.region}' },
      },
    },
    cachePolicies: {
      proxy: { minTtl: 0, defaultTtl: 180, maxTtl: 180, headers: [], cookies: [], queryStrings: ['version', 'loaderVersion'], gzip: true, brotli: true },
    },
    behaviors: [
      {
        pathPattern: '${values.behaviorPath}/*',
        origin: 'vendor',
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: 'all',
        cachePolicy: 'proxy',
        originRequestPolicy: 'AllViewer',
        triggers: { 'origin-request': { function: 'proxy', includeBody: true } },
      },
      { pathPattern: '*', triggers: { 'viewer-request': { function: 'enforcer' } } },
    ],
  };
}

/** The smallest valid manifest: one function on the default behavior. */
export function minimalManifest(): Record<string, any> {
  return {
    name: 'tiny',
    functions: { guard: { handler: './guard.ts' } },
    behaviors: [{ pathPattern: '*', triggers: { 'viewer-request': { function: 'guard' } } }],
  };
}
