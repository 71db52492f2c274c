/** The JSON protocols: Lambda's rest-json and Secrets Manager's json 1.1 (X-Amz-Target). */
import { AwsError } from '../errors.js';
import type { Operation, SandboxReply, SandboxRequest } from '../request.js';
import type { World } from '../world.js';

export function jsonReply(body: unknown, status = 200, contentType = 'application/json'): SandboxReply {
  return body === undefined
    ? { status, headers: {} }
    : { status, headers: { 'content-type': contentType }, body: JSON.stringify(body) };
}

/** A JSON object body ({} when empty); anything else is the protocol's parse error. */
export function readJsonBody(req: SandboxRequest, errorCode: string, message: string): Record<string, unknown> {
  if (req.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new AwsError(errorCode, 400, message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AwsError(errorCode, 400, message);
  return parsed as Record<string, unknown>;
}

/**
 * Errors whose Lambda model member is `Message`, not `message` (the Lambda service model, as
 * the AWS SDK ships it: ResourceNotFoundException, ServiceException, ResourceInUseException…).
 */
const CAPITAL_MESSAGE = new Set(['ResourceNotFoundException', 'ServiceException', 'ResourceInUseException', 'InvalidZipFileException', 'InvalidRuntimeException', 'ServiceQuotaExceededException', 'CodeSigningConfigNotFoundException']);

/** Lambda: `x-amzn-ErrorType` names the error, the body says `{"Type","message"}` (or `Message`, as the model has it). */
export function renderRestJsonError(error: AwsError, requestId: string): SandboxReply {
  const key = CAPITAL_MESSAGE.has(error.code) ? 'Message' : 'message';
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ Type: error.status >= 500 ? 'Service' : 'User', [key]: error.message }),
  };
}

const JSON_11 = 'application/x-amz-json-1.1';

export type JsonHandler = (input: Record<string, unknown>, req: SandboxRequest, world: World) => unknown;

/** json 1.1: POST / with `X-Amz-Target: <prefix>.<Operation>`. */
export function jsonTargetRouter(prefix: string, handlers: Record<string, JsonHandler>): (req: SandboxRequest) => Operation {
  return (req) => {
    if (req.method !== 'POST') throw new AwsError('UnknownOperationException', 405, `The method ${req.method} is not allowed.`);
    const target = String(req.headers['x-amz-target'] ?? '');
    const [targetPrefix, name = ''] = target.split('.');
    const handler = targetPrefix === prefix && Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (!handler) throw new AwsError('UnknownOperationException', 400, `Unknown operation ${target || '(no X-Amz-Target)'}.`);
    return {
      name,
      handle: (request, world) => {
        const input = readJsonBody(request, 'SerializationException', 'Start of structure or map found where not expected.');
        return jsonReply(handler(input, request, world) ?? {}, 200, JSON_11);
      },
    };
  };
}

export function renderJsonError(error: AwsError, requestId: string): SandboxReply {
  return {
    status: error.status,
    headers: { 'content-type': JSON_11, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ __type: error.code, Message: error.message }),
  };
}
