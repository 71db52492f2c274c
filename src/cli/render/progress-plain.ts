/**
 * Progress as a log: one line per event, each stamped with the time (UTC, ISO 8601, to the
 * second), for pipes, CI, --json and terminals without a size. Lines are only ever appended —
 * nothing is redrawn — so a log reads the same as it was written.
 *
 * A long wait (35 minutes at most for a deployment) repeats itself once a minute: the log says
 * the run is alive, and CI services that end a job after some minutes without output (CircleCI
 * and Travis CI, ten) leave it running.
 */
import type { ApplyEvent } from '../../apply/events.js';
import { RunningSteps } from './progress-steps.js';
import { RESOURCES_STEP, stillLine, stoppedLine } from './progress-text.js';

export interface ProgressRenderer {
  onEvent(event: ApplyEvent): void;
  /** The command is done with progress: timers end, a step still running is told as stopped. */
  stop(): void;
}

export interface PlainOptions {
  /** Begin with attach's resource step (ended by `resources-applied`). */
  resources?: boolean;
  /** How often a running step repeats itself; a minute unless a test says otherwise. */
  heartbeatMs?: number;
  now?: () => number;
}

/** `2026-05-01T12:00:03Z`. */
export const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function plainProgress(write: (line: string) => void, options: PlainOptions = {}): ProgressRenderer {
  const now = options.now ?? Date.now;
  const steps = new RunningSteps(now);
  const say = (line: string) => write(`${timestamp(now())} ${line}`);
  if (options.resources) {
    steps.begin(RESOURCES_STEP);
    say('Putting the secret, role, functions and cache policies in place…');
  }
  const heartbeat = setInterval(() => {
    for (const step of steps.list()) say(stillLine(step, now() - step.startedAt));
  }, options.heartbeatMs ?? 60_000);
  // A heartbeat never keeps the process alive on its own.
  heartbeat.unref?.();
  return {
    onEvent(event) {
      const { line } = steps.apply(event);
      if (line) say(line);
    },
    stop() {
      clearInterval(heartbeat);
      for (const { step, tookMs } of steps.drain()) {
        // The resource step ends in an error message of its own (which step, what was undone).
        if (step.key !== RESOURCES_STEP.key) say(stoppedLine(step, tookMs));
      }
    },
  };
}
