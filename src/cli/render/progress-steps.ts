/**
 * The steps running now, with when each began: what both progress renderers show as live
 * lines (the spinner) or repeat now and then (a log). A step that moves to new words (a
 * function Pending, then InProgress) keeps the time it began: the wait is one wait.
 */
import type { ApplyEvent } from '../../apply/events.js';
import { beginsStep, endsStep, eventLine, type LiveStep } from './progress-text.js';

export interface RunningStep extends LiveStep {
  startedAt: number;
}

/** What one event did to the steps, and the line that tells it. */
export interface StepChange {
  line?: string;
  /** The event began a step (or moved one to new words): its line is the live line's first telling. */
  began?: RunningStep;
  /** The event ended a step, which took `tookMs`. */
  ended?: { step: RunningStep; tookMs: number };
}

export class RunningSteps {
  readonly #steps = new Map<string, RunningStep>();

  constructor(private readonly now: () => number) {}

  /** Begins a step that no event begins (attach's resource steps). */
  begin(step: LiveStep): RunningStep {
    const running = { ...step, startedAt: this.#steps.get(step.key)?.startedAt ?? this.now() };
    this.#steps.set(step.key, running);
    return running;
  }

  apply(event: ApplyEvent): StepChange {
    const begins = beginsStep(event);
    if (begins) return { began: this.begin(begins), line: eventLine(event) };
    const key = endsStep(event);
    const step = key === undefined ? undefined : this.#steps.get(key);
    if (!step) return { line: eventLine(event) };
    this.#steps.delete(step.key);
    const tookMs = this.now() - step.startedAt;
    return { ended: { step, tookMs }, line: eventLine(event, tookMs) };
  }

  /** Oldest first: a line keeps its place while the ones after it come and go. */
  list(): RunningStep[] {
    return [...this.#steps.values()];
  }

  /** Ends every step (the command stops), oldest first, with how long each ran. */
  drain(): { step: RunningStep; tookMs: number }[] {
    const now = this.now();
    const all = this.list().map((step) => ({ step, tookMs: now - step.startedAt }));
    this.#steps.clear();
    return all;
  }
}
