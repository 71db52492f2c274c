/**
 * One JSON line per log event, to CloudWatch Logs (`/aws/lambda/us-east-1.<function>` in the
 * region that ran the function). Callers pass descriptions, never secret values; `redact`
 * scrubs known values out of text that comes from elsewhere (a vendor SDK's error message).
 */

export type LogLevel = 'info' | 'warn' | 'error';

export function logLine(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, source: 'edge-install', message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/** `text` with every occurrence of each of `values` replaced by `[redacted]`. */
export function redact(text: string, values: readonly (string | undefined)[]): string {
  let out = text;
  for (const value of values) if (value && value.length >= 4) out = out.split(value).join('[redacted]');
  return out;
}
