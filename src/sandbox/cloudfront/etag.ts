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

/**
 * UpdateDistributionWithStagingConfig's If-Match names two versions: "<primary ETag>, <staging
 * ETag>" (API reference; the Developer Guide's CLI example writes them without the space). Each
 * is checked against its distribution.
 */
export function checkIfMatchPair(req: SandboxRequest, primary: string, staging: string): void {
  const parts = String(req.headers['if-match'] ?? '').split(',').map((p) => p.trim());
  if (parts.length !== 2 || parts.some((p) => !p)) {
    throw new AwsError('InvalidIfMatchVersion', 400, 'The If-Match version is missing or not valid for the resource: give "<primary ETag>, <staging ETag>".');
  }
  if (parts[0] !== primary || parts[1] !== staging) {
    throw new AwsError('PreconditionFailed', 412, 'The precondition given in one or more of the request-header fields evaluated to false.');
  }
}
