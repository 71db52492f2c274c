/**
 * Drives the built CLI in a real pseudo-terminal (util-linux `script`), as a user at a
 * keyboard would: each step waits until its text is on the screen (after the previous
 * step's), then types its keys, a chunk at a time. Keys are only ever sent once the prompt
 * that reads them is showing, so nothing typed lands in a cooked terminal that would echo it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { BIN } from './cli.js';

export const hasScript = spawnSync('script', ['--version']).status === 0;

export const KEY = { up: '\u001b[A', down: '\u001b[B', enter: '\r', backspace: '\u007f', ctrlC: '\u0003' } as const;

export interface PtyStep {
  /** Text to wait for (matched on the screen with ANSI escapes removed). */
  wait: string | RegExp;
  /** Chunks typed one after another, ~60 ms apart. */
  keys?: string[];
  /** Done once the text is on the screen, before any keys (e.g. move the sandbox clock on). */
  then?: () => unknown;
}

/** A terminal size, as a window gives one (`script` alone makes a pty of 0 columns and 0 rows). */
export interface PtySize {
  columns: number;
  rows: number;
}

export interface PtyRun {
  code: number | null;
  /** Everything the terminal showed, escapes included. */
  raw: string;
  /** The same without ANSI escapes. */
  screen: string;
  /** Steps whose text never appeared (empty when the whole script ran). */
  pending: string[];
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][0-9A-Za-z]|\u001b[=>78]/g;
export const stripAnsi = (text: string) => text.replace(ANSI, '');

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function runInTerminal(args: string[], steps: PtyStep[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number; size?: PtySize }): Promise<PtyRun> {
  const cli = [process.execPath, BIN, ...args].map(quote).join(' ');
  // The pty is sized from inside (stty on its own terminal) before the CLI starts, as a window would.
  const command = options.size ? `stty cols ${options.size.columns} rows ${options.size.rows} && exec ${cli}` : cli;
  const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env } as Record<string, string>;
  delete env.CI;
  const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  let cursor = 0;
  let next = 0;
  let typing = false;
  const advance = async () => {
    if (typing) return;
    while (next < steps.length) {
      const step = steps[next]!;
      const screen = stripAnsi(raw);
      const rest = screen.slice(cursor);
      const found = typeof step.wait === 'string' ? { index: rest.indexOf(step.wait), length: step.wait.length } : (() => {
        const m = step.wait.exec(rest);
        return { index: m ? m.index : -1, length: m ? m[0].length : 0 };
      })();
      if (found.index === -1) return;
      cursor += found.index + found.length;
      next += 1;
      typing = true;
      await step.then?.();
      for (const chunk of step.keys ?? []) {
        await sleep(60);
        if (child.exitCode !== null || child.stdin.destroyed) break;
        child.stdin.write(chunk);
      }
      typing = false;
    }
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 110_000);
    child.stdout.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
      void advance();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, raw, screen: stripAnsi(raw), pending: steps.slice(next).map((s) => String(s.wait)) });
    });
  });
}
