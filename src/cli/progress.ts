/**
 * Progress while a command writes, on stderr, in one of two forms:
 *
 * - a terminal (stderr a TTY with a size, not CI, not --json, TERM not `dumb`): an ora spinner
 *   with one line per step running now — each distribution deploying, a function Lambda is
 *   settling, the secret's new replicas — with its elapsed time; what is done is kept above it
 *   (render/progress-spinner.ts);
 * - anything else: plain lines, each stamped with the time, one per event, and once a minute
 *   for a step still running (render/progress-plain.ts). CI logs want lines, not redraws;
 *   --json means a program reads the run, and its stderr usually lands in a log.
 *
 * A terminal that reports no size (a pty nobody sized, as `script` makes from a pipe: 0
 * columns) gets plain lines too: a spinner redraws by moving up the rows its last frame took,
 * which needs the width, and guessing one garbles the screen. NO_COLOR and --no-color take the
 * colour out of the spinner, not the spinner (CLI.md: spinners only when stderr is a TTY).
 */
import type { ApplyEvent } from '../apply/events.js';
import { isCi, type CommandContext } from './context.js';
import { plainProgress } from './render/progress-plain.js';
import { spinnerProgress, type TerminalStream } from './render/progress-spinner.js';

export interface Progress {
  onEvent(event: ApplyEvent): void;
  /** Ends the spinner (or the log's timer); call it once the work is done, whatever happened. */
  stop(): void;
}

export interface ProgressOptions {
  /** The run begins with attach's resource steps (secret, role, functions, cache policies), ended by `resources-applied`. */
  resources?: boolean;
}

/** stderr as a terminal a spinner can redraw on, or undefined. */
export function spinnerStream(ctx: Pick<CommandContext, 'io' | 'global'>): TerminalStream | undefined {
  const stream = ctx.io.stderr as Partial<TerminalStream> & { isTTY?: boolean };
  if (!stream.isTTY || ctx.global.json || isCi(ctx.io.env) || ctx.io.env.TERM === 'dumb') return undefined;
  if (!(Number(stream.columns) > 0)) return undefined;
  if (typeof stream.cursorTo !== 'function' || typeof stream.moveCursor !== 'function' || typeof stream.clearLine !== 'function') return undefined;
  return stream as TerminalStream;
}

export function progress(ctx: CommandContext, options: ProgressOptions = {}): Progress {
  const terminal = spinnerStream(ctx);
  if (terminal) {
    // stderr's own colour: --json never gets here, so ctx.color (about stdout's stream) is not the question.
    const color = ctx.global.color !== false && !ctx.io.env.NO_COLOR;
    return spinnerProgress(terminal, { color, resources: options.resources });
  }
  return plainProgress(ctx.err, { resources: options.resources });
}
