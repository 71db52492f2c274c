/**
 * One request through the local edge, as `dev` and `sandbox --verbose` print it: the answer
 * on the first line, then each step of its way through the behavior, the functions, the
 * cache and the origin (the data plane's trace).
 */
import type { ServedRequest } from '../../sandbox/edge/data-plane.js';

export function servedLine(served: ServedRequest): string {
  const head = `${served.status} ${served.method} ${served.uri}  ${served.resultType}  ${served.region}  ${served.distributionId}`;
  const width = Math.max(...served.steps.map((s) => s.stage.length));
  return [head, ...served.steps.map((s) => `    ${s.stage.padEnd(width)}  ${s.detail}`)].join('\n');
}
