/**
 * Routing for the REST protocols (CloudFront rest-xml, Lambda rest-json): a route is the
 * HTTP trait of the operation as the service model declares it, e.g.
 * `PUT /2020-05-31/distribution/{Id}/config`, optionally with a fixed query (`?Operation=Tag`).
 */
import { AwsError } from '../errors.js';
import type { Operation, SandboxReply, SandboxRequest } from '../request.js';
import type { World } from '../world.js';

export interface Route {
  operation: string;
  method: string;
  path: string;
  handle(req: SandboxRequest, world: World): SandboxReply;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
  fixedQuery: [string, string][];
}

function compile(route: Route): CompiledRoute {
  const [pathPart, queryPart = ''] = route.path.split('?');
  const names: string[] = [];
  const source = pathPart!.replace(/[.*+^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\+?\}/g, (_m, name: string) => {
    names.push(name);
    return name === 'Resource' ? '(.+)' : '([^/]+)';
  });
  const fixedQuery = queryPart
    ? queryPart.split('&').map((kv) => kv.split('=') as [string, string])
    : [];
  return { ...route, pattern: new RegExp(`^${source}/?$`), names, fixedQuery };
}

export function restRouter(routes: Route[]): (req: SandboxRequest) => Operation {
  const compiled = routes.map(compile);
  return (req) => {
    let pathMatched = false;
    for (const route of compiled) {
      const match = route.pattern.exec(req.path);
      if (!match) continue;
      if (!route.fixedQuery.every(([k, v]) => (v === undefined ? req.query.has(k) : req.query.get(k) === v))) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      route.names.forEach((name, i) => (req.params[name] = decodeURIComponent(match[i + 1]!)));
      return { name: route.operation, handle: route.handle };
    }
    if (pathMatched) {
      throw new AwsError('UnknownOperationException', 405, `The method ${req.method} is not allowed on ${req.path}.`);
    }
    throw new AwsError('UnknownOperationException', 404, `No operation matches ${req.method} ${req.path}.`);
  };
}
