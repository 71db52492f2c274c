/**
 * A long-running command (sandbox, dev) in this process: its stdout lines as they come, a
 * wait for the first line that matches (event-driven: resolved by the write itself, no
 * polling, no clock), its exit, and a SIGTERM.
 */
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';

export interface LongCli {
  /** Resolves with the first stdout line (complete, without its newline) that `match` accepts, looking at lines already written too. */
  line(match: (line: string) => boolean): Promise<string>;
  /** The first stdout line, parsed as JSON. */
  ready: Promise<unknown>;
  exited: Promise<number>;
  stop(): void;
  output(): { stdout: string; stderr: string };
}

export function startLongCli(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): LongCli {
  const signals = new EventEmitter();
  let stdout = '';
  let stderr = '';
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const io: CliIo = {
    stdout: {
      write: (text: string) => {
        stdout += text;
        const complete = stdout.split('\n').slice(0, -1);
        for (const line of complete.slice(lines.length)) {
          lines.push(line);
          for (const waiter of [...waiters]) {
            if (!waiter.match(line)) continue;
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
        return true;
      },
      isTTY: false,
    },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    stdin: Object.assign(Readable.from([]), { isTTY: false }),
    env: { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
    cwd: options.cwd ?? process.cwd(),
    signals,
  };
  const exited = main(['node', 'edge-install', ...args], io);
  const line = (match: (line: string) => boolean): Promise<string> => {
    const seen = lines.find(match);
    const found = seen !== undefined ? Promise.resolve(seen) : new Promise<string>((resolve) => waiters.push({ match, resolve }));
    return Promise.race([
      found,
      exited.then((code) => {
        const late = lines.find(match);
        if (late !== undefined) return late;
        throw new Error(`exited ${code} before the line: ${stderr}`);
      }),
    ]);
  };
  const ready = line(() => true).then((text) => JSON.parse(text) as unknown);
  ready.catch(() => {}); // awaited only by the runs that expect a ready line
  return { line, ready, exited, stop: () => signals.emit('SIGTERM'), output: () => ({ stdout, stderr }) };
}
