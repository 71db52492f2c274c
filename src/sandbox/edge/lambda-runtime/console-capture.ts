/**
 * The function's console and stdio, captured as CloudWatch events (runs inside the worker).
 *
 * Lambda's Node runtime replaces console.trace/debug/info/warn/error/fatal (console.log is
 * console.info) with functions that write ONE event per call in the text format
 * `<ISO time>\t<request id>\t<LEVEL>\t<util.format(message, ...params)>\n`; the message may span
 * lines (src/logging/log-patch.ts patchConsoleMethods and formatter.ts formatTextMessage in
 * aws/aws-lambda-nodejs-runtime-interface-client). Whatever else reaches stdout/stderr
 * (process.stdout.write, console.dir, …) is stored as written, without the prefix.
 */
import { format } from 'node:util';
import { consoleLine } from './log-lines.js';

export type LogSink = (timestamp: number, message: string) => void;

export function captureConsole(sink: LogSink, clock: () => number, requestId: () => string): void {
  const write =
    (level: string) =>
    (message?: unknown, ...params: unknown[]): void => {
      const timestamp = clock();
      sink(timestamp, consoleLine(timestamp, requestId(), level, format(message, ...params)));
    };
  const patched = console as Console & { fatal?: (...args: unknown[]) => void };
  patched.trace = write('TRACE');
  patched.debug = write('DEBUG');
  patched.info = write('INFO');
  patched.log = patched.info;
  patched.warn = write('WARN');
  patched.error = write('ERROR');
  patched.fatal = write('FATAL');

  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      if (text.length > 0) sink(clock(), text);
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as (error?: Error | null) => void)(null));
      return true;
    }) as typeof stream.write;
  }
}
