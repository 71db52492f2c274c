/**
 * An error as an AWS service returns it. Each protocol module renders it in its own wire
 * format (XML ErrorResponse, x-amzn-errortype + JSON, or `__type` JSON).
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Query/XML protocols say who is at fault: Sender (client) or Receiver (server). */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** Default HTTP status for an error code injected through the admin API. */
export function defaultStatusFor(code: string): number {
  if (/^(InternalFailure|InternalError|InternalServiceError|ServiceException|ServiceUnavailable.*)$/.test(code)) {
    return code.startsWith('ServiceUnavailable') ? 503 : 500;
  }
  if (code === 'TooManyRequestsException') return 429;
  return 400;
}
