/** CloudFront's optimistic locking: writes name the ETag they read in If-Match. */
import { AwsError } from '../errors.js';
import type { SandboxRequest } from '../request.js';

export function checkIfMatch(req: SandboxRequest, current: string): void {
  const ifMatch = String(req.headers['if-match'] ?? '').trim();
  if (!ifMatch) throw new AwsError('InvalidIfMatchVersion', 400, 'The If-Match version is missing or not valid for the resource.');
  if (ifMatch !== current) {
    throw new AwsError('PreconditionFailed', 412, 'The precondition given in one or more of the request-header fields evaluated to false.');
  }
}
