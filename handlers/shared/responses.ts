/** Responses a handler generates itself, in the shape CloudFront expects. */
import type { CloudFrontHeaders, CloudFrontResultResponse } from './cloudfront.js';

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function generatedResponse(status: number, contentType: string, body: string, extraHeaders: CloudFrontHeaders = {}): CloudFrontResultResponse {
  return {
    status: String(status),
    statusDescription: REASONS[status] ?? '',
    headers: {
      'content-type': [{ key: 'Content-Type', value: contentType }],
      'cache-control': [{ key: 'Cache-Control', value: 'no-store' }],
      ...extraHeaders,
    },
    bodyEncoding: 'text',
    body,
  };
}

export function jsonResponse(status: number, doc: unknown): CloudFrontResultResponse {
  return generatedResponse(status, 'application/json; charset=utf-8', JSON.stringify(doc));
}
