/**
 * The query protocol (IAM, STS): form-encoded `Action=…&Version=…` requests, XML replies
 * wrapped in `<ActionResponse><ActionResult>`.
 */
import { AwsError } from '../errors.js';
import type { Operation, SandboxReply, SandboxRequest } from '../request.js';
import type { World } from '../world.js';
import { el, serializeXml, type XmlNode } from '../xml.js';

export type QueryHandler = (params: URLSearchParams, req: SandboxRequest, world: World) => XmlNode[];

/** The request's parameters: the URL query and a form body together (AWS accepts both). */
export function queryParams(req: SandboxRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  const type = String(req.headers['content-type'] ?? '');
  if (req.body.length > 0) {
    if (!type.includes('application/x-www-form-urlencoded')) {
      throw new AwsError('MalformedQueryString', 400, 'The request body must be application/x-www-form-urlencoded.');
    }
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.append(k, v);
  }
  return params;
}

/** Members of a query list: `Tags.member.1.Key` … → [{Key, Value}, …]. */
export function memberList(params: URLSearchParams, prefix: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const [key, value] of params) {
    const match = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.member\\.(\\d+)(?:\\.(.+))?$`).exec(key);
    if (!match) continue;
    const index = Number(match[1]) - 1;
    out[index] ??= {};
    out[index]![match[2] ?? ''] = value;
  }
  return out.filter(Boolean);
}

export function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') {
    throw new AwsError('ValidationError', 400, `1 validation error detected: Value null at '${name[0]!.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

export function queryRouter(
  namespace: string,
  version: string,
  handlers: Record<string, QueryHandler>,
): (req: SandboxRequest) => Operation {
  return (req) => {
    if (req.method !== 'POST' && req.method !== 'GET') {
      throw new AwsError('UnknownOperationException', 405, `The method ${req.method} is not allowed.`);
    }
    const params = queryParams(req);
    const action = params.get('Action');
    if (!action) throw new AwsError('MissingAction', 400, 'Missing Action parameter.');
    const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined;
    if (!handler) throw new AwsError('InvalidAction', 400, `Could not find operation ${action} for version ${params.get('Version') ?? version}`);
    return {
      name: action,
      handle: (request, world) => {
        const result = handler(params, request, world);
        const root = el(
          `${action}Response`,
          result.length ? el(`${action}Result`, ...result) : undefined,
          el('ResponseMetadata', el('RequestId', request.requestId)),
        );
        root.attrs = { xmlns: namespace };
        return { status: 200, headers: { 'content-type': 'text/xml' }, body: serializeXml(root) };
      },
    };
  };
}

export function renderQueryError(namespace: string) {
  return (error: AwsError, requestId: string): SandboxReply => {
    const root = el(
      'ErrorResponse',
      el('Error', el('Type', error.fault), el('Code', error.code), el('Message', error.message)),
      el('RequestId', requestId),
    );
    root.attrs = { xmlns: namespace };
    return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: serializeXml(root) };
  };
}
