/**
 * Progress on a terminal, with ora: one spinner over the steps running now, one line each — a
 * distribution deploying or watched, a function Lambda is settling, the secret's replicas —
 * with what it waits for and for how long:
 *
 *   ⠹ E1DEMO0EXAMPLE   waiting until Deployed  1m30s
 *     E2OTHER0EXAMPLE  waiting until Deployed  1m28s
 *
 * ora draws one spinner, and only one may own a stream (it warns of "Multiple concurrent
 * spinners"), so the steps are the lines of one multi-line text. Every other line (a write, a
 * verification) and every step that ends is written above it, where it stays in the
 * scrollback: "✔ E1DEMO0EXAMPLE: Deployed after 4m12s." ora clears and redraws itself around
 * those writes (it hooks the stream's writes while it spins), and around the interrupt guard's
 * words too.
 *
 * Redrawing moves the cursor up by as many rows as the last frame took, so a line must never
 * wrap: each is cut to the terminal's width, read at every redraw (a resized window is
 * followed), and the lines to the height. A terminal that reports no size (a pty nobody sized:
 * columns 0) never gets here — progress.ts gives it plain lines.
 */
import ora, { type Ora } from 'ora';
import type { ApplyEvent } from '../../apply/events.js';
import { colors } from './colors.js';
import type { ProgressRenderer } from './progress-plain.js';
import { RunningSteps, type RunningStep } from './progress-steps.js';
import { formatElapsed, RESOURCES_STEP, stoppedLine } from './progress-text.js';

/** What ora needs of a terminal stream (a tty.WriteStream has it all). */
export type TerminalStream = NodeJS.WriteStream;

export interface SpinnerOptions {
  color: boolean;
  /** Begin with attach's resource step (ended by `resources-applied`). */
  resources?: boolean;
  now?: () => number;
  /** How often the elapsed times are brought up to date (the spinner itself turns faster). */
  tickMs?: number;
}

/** Cut to `width` characters, with an ellipsis when cut (the texts are one column a character). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * The spinner's text: one line per running step (or `idle` with the run's elapsed time when
 * none is), labels in a column, each line fitted to `columns` — the first follows the spinner
 * and a space, the others are indented as far — and no more lines than `rows` leaves room for.
 */
export function spinnerText(steps: RunningStep[], now: number, size: { columns: number; rows?: number }, idle: { text: string; since: number }): string {
  const width = Math.max(1, size.columns - 3);
  if (!steps.length) return fit(`${idle.text}  ${formatElapsed(now - idle.since)}`, width);
  const room = size.rows && size.rows > 2 ? size.rows - 2 : steps.length;
  const shown = steps.length > room ? steps.slice(0, Math.max(1, room - 1)) : steps;
  const labelWidth = Math.max(...shown.map((s) => s.label.length));
  // Cut in the step's words, never in the elapsed time: that is what the line is watched for.
  const lines = shown.map((s) => {
    const elapsed = `  ${formatElapsed(now - s.startedAt)}`;
    const what = `${s.label.padEnd(labelWidth)}  ${s.step}`;
    return width > elapsed.length + 8 ? `${fit(what, width - elapsed.length)}${elapsed}` : fit(what + elapsed, width);
  });
  if (shown.length < steps.length) lines.push(fit(`… and ${steps.length - shown.length} more`, width));
  return lines.join('\n  ');
}

export function spinnerProgress(stream: TerminalStream, options: SpinnerOptions): ProgressRenderer {
  const now = options.now ?? Date.now;
  const c = colors(options.color);
  const steps = new RunningSteps(now);
  const started = now();
  if (options.resources) steps.begin(RESOURCES_STEP);
  const text = () => spinnerText(steps.list(), now(), { columns: stream.columns, rows: stream.rows }, { text: 'working', since: started });
  const spinner: Ora = ora({
    stream,
    text: text(),
    isEnabled: true,
    color: options.color ? 'cyan' : false,
    // Not stdin in raw mode: Ctrl-C stays the terminal's SIGINT, which the interrupt guard
    // handles (interrupt.ts), as in every other part of the run.
    discardStdin: false,
  }).start();
  const tick = setInterval(() => {
    spinner.text = text();
  }, options.tickMs ?? 250);
  tick.unref?.();
  // Written while ora spins: its hook clears the spinner, writes the line, and draws it again
  // below — with the text brought up to date first, so an ended step is not drawn once more.
  const persist = (line: string) => {
    spinner.text = text();
    stream.write(`${line}\n`);
  };
  let stopped = false;
  return {
    onEvent(event: ApplyEvent) {
      if (stopped) return;
      const change = steps.apply(event);
      if (change.began) {
        // Its live line tells it; nothing to keep until it ends.
        spinner.text = text();
        return;
      }
      if (!change.line) return;
      persist(change.ended && !change.line.startsWith('✓') ? `${c.green('✔')} ${change.line}` : change.line);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(tick);
      spinner.stop();
      for (const { step, tookMs } of steps.drain()) {
        // The resource step ends in an error message of its own (which step, what was undone).
        if (step.key !== RESOURCES_STEP.key) stream.write(`${c.yellow('■')} ${stoppedLine(step, tookMs)}\n`);
      }
    },
  };
}
