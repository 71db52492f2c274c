/**
 * One Lambda@Edge invocation outside any distribution, judged as CloudFront would judge it:
 * the event CloudFront would send, the function run in the local edge's runtime (its own
 * worker, timeout and memory enforced, network limited to the origin map and the given AWS
 * endpoint), and what CloudFront would do with the result — forward a request, answer with
 * the generated or changed response, or the 502/503 it becomes.
 *
 * This is the sandbox's public entry for `edge-install invoke`: the CLI uses the local edge
 * as a tool, the way `demo` uses the sandbox; the sandbox imports nothing of the CLI.
 */
import { randomUUID } from 'node:crypto';
import { errorPage, ERROR_MESSAGES } from './error-page.js';
import { interpretLambdaResult, lambdaEvent, validationLogRecord, type LambdaEventInput, type LambdaResult } from './lambda-event.js';
import { LambdaRuntime, type InvokeOutcome, type NetworkPolicy } from './lambda-runtime/runtime.js';
import type { EdgeOrigin, EdgeRequest, EdgeResponse, EventType } from './model.js';

export type { EdgeOrigin, EdgeRequest, EdgeResponse, EventType, HeaderPair } from './model.js';
export type { NetworkPolicy } from './lambda-runtime/runtime.js';

export interface InvokeOnceInput {
  function: { name: string; zip: Buffer; handler: string; runtime: string; timeoutSeconds: number; memoryMb: number };
  eventType: EventType;
  request: EdgeRequest;
  includeBody: boolean;
  origin?: EdgeOrigin;
  response?: EdgeResponse;
  distribution: { id: string; domainName: string };
  region: string;
  network: NetworkPolicy;
  requestId: string;
}

/** What CloudFront would do with the result. */
export type CloudFrontVerdict =
  | { kind: 'forward'; request: EdgeRequest; origin?: EdgeOrigin; notes: string[] }
  | { kind: 'respond'; response: EdgeResponse; generated: boolean; notes: string[] }
  | { kind: 'error'; status: 502 | 503; resultType: string; reason: string; errors: string[]; page: EdgeResponse; validationLog?: string };

export interface InvokeOnceResult {
  event: unknown;
  outcome: InvokeOutcome;
  verdict: CloudFrontVerdict;
}

export async function invokeOnce(input: InvokeOnceInput): Promise<InvokeOnceResult> {
  const context = { distributionId: input.distribution.id, distributionDomainName: input.distribution.domainName, eventType: input.eventType, requestId: input.requestId };
  const eventInput: LambdaEventInput = { context, request: input.request, includeBody: input.includeBody, origin: input.origin, response: input.response };
  const event = lambdaEvent(eventInput);
  const runtime = new LambdaRuntime({ network: input.network, maxWorkersPerFunction: 1 });
  try {
    const version = '$LATEST';
    const outcome = await runtime.invoke(
      {
        qualifiedArn: `arn:aws:lambda:us-east-1:123456789012:function:${input.function.name}:${version}`,
        name: input.function.name,
        version,
        codeSha256: `invoke-${input.function.name}-${input.function.zip.length}`,
        zip: () => input.function.zip,
        handler: input.function.handler,
        runtime: input.function.runtime,
        timeoutSeconds: input.function.timeoutSeconds,
        memoryMb: input.function.memoryMb,
      },
      event,
      { region: input.region, requestId: randomUUID() },
    );
    return { event, outcome, verdict: verdictOf(eventInput, outcome, input.requestId) };
  } finally {
    await runtime.close();
  }
}

function verdictOf(input: LambdaEventInput, outcome: InvokeOutcome, requestId: string): CloudFrontVerdict {
  if (outcome.kind !== 'ok') {
    const throttled = outcome.kind === 'throttled';
    const reason = throttled ? ERROR_MESSAGES.lambdaThrottled : ERROR_MESSAGES.lambdaExecution;
    const why = outcome.kind === 'error' ? `${outcome.errorType}: ${outcome.errorMessage}` : outcome.kind === 'timeout' ? 'the function timed out' : outcome.kind === 'out-of-memory' ? 'the function ran out of memory' : 'the function was throttled';
    return { kind: 'error', status: 503, resultType: throttled ? 'LambdaLimitExceeded' : 'LambdaExecutionError', reason, errors: [why], page: errorPage(503, reason, requestId) };
  }
  const result: LambdaResult = interpretLambdaResult(input, outcome.value);
  switch (result.kind) {
    case 'invalid':
      return {
        kind: 'error',
        status: 502,
        resultType: 'LambdaValidationError',
        reason: result.reason,
        errors: result.errors,
        page: errorPage(502, result.reason, requestId),
        validationLog: validationLogRecord({ input, arn: '$LATEST', region: 'local', errors: result.errors }),
      };
    case 'request':
      return { kind: 'forward', request: result.request, origin: result.origin ?? input.origin, notes: result.notes };
    case 'generated-response':
      return { kind: 'respond', response: result.response, generated: true, notes: result.notes };
    case 'response':
      return { kind: 'respond', response: result.response, generated: false, notes: result.notes };
  }
}
