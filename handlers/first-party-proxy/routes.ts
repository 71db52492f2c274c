/**
 * Which route a request takes, as the vendor's proxy decides it (proxy/utils/routing.ts,
 * createRoute; proxy/app.ts): repeated slashes are one, trailing slashes are ignored, and a
 * route matches at the end of the path after any prefix of `/ A-Z a-z 0-9 : . _ -` (so under
 * the behavior path, at any depth). Case matters. Tried in order: agent download (JS agent v3),
 * result (v3; `<result path>/<suffix>` is the browser-cache endpoint), status; anything else is
 * the JS agent v4 ingress (the vendor's 2.2 catch-all): the path below the behavior path goes to
 * the ingress API as it is.
 */
export type Route =
  | { kind: 'agent' }
  | { kind: 'result'; suffix: string }
  | { kind: 'status' }
  | { kind: 'ingress'; path: string };

export interface RoutePaths {
  /** JS agent v3 routes; absent when the integration serves v4 agents only. */
  agentDownloadPath?: string;
  getResultPath?: string;
}

/** `//a///b//` → `/a/b`. */
export const normalizePath = (uri: string) => uri.replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1').replace(/^\/$/, '');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PREFIX = '[/A-Za-z0-9:._\\[-]*';

const matcher = (route: string, withSuffix: boolean) => new RegExp(`^${PREFIX}/${escape(route)}${withSuffix ? '(/.*)?' : ''}$`);

export function createRouter(paths: RoutePaths): (uri: string) => Route {
  const agent = paths.agentDownloadPath ? matcher(paths.agentDownloadPath, false) : undefined;
  const result = paths.getResultPath ? matcher(paths.getResultPath, true) : undefined;
  const status = matcher('status', false);
  return (uri) => {
    const path = normalizePath(uri);
    if (agent?.test(path)) return { kind: 'agent' };
    const found = result?.exec(path);
    if (found) return { kind: 'result', suffix: found[1] ?? '' };
    if (status.test(path)) return { kind: 'status' };
    // Below the behavior path (its first segment: the behavior is `<behaviorPath>/*`).
    return { kind: 'ingress', path: path.replace(/^\/[^/]*/, '') || '/' };
  };
}
