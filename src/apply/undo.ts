/**
 * np-style undo: every step that creates or changes something records how to take it back.
 * If the apply fails (or is interrupted) before the distribution is written, the recorded
 * undos run newest first; each is best-effort, and what could not be undone is reported with
 * AWS's reason rather than hidden.
 */
import { describeAwsError } from '../aws/errors.js';
import { InterruptedError, RuntimeError } from '../errors.js';

export interface UndoReport {
  undone: string[];
  failed: { label: string; reason: string }[];
}

/**
 * What a deleting undo takes away, so it can be checked first: a function, one version of it,
 * or something the integration as a whole runs with (its role, its secret).
 */
export type UndoSubject = { kind: 'function'; name: string } | { kind: 'version'; arn: string } | { kind: 'integration' };

interface UndoAction {
  label: string;
  run: () => Promise<void>;
  deletes?: UndoSubject;
}

/** Why something must not be deleted now (something live uses it), or undefined. */
export type InUse = (subject: UndoSubject) => string | undefined;

export class UndoLog {
  private actions: UndoAction[] = [];

  /** `label` says what the undo does, e.g. "delete function fp-proxy-proxy"; `deletes`, what it would take away. */
  push(label: string, run: () => Promise<void>, deletes?: UndoSubject): void {
    this.actions.push({ label, run, deletes });
  }

  get size(): number {
    return this.actions.length;
  }

  /**
   * Undoes newest first. A deletion that `inUse` says something live uses is not made — another
   * run (another machine, another state dir) may have put this integration live meanwhile — and
   * is reported with the reason instead.
   */
  async undoAll(inUse?: InUse): Promise<UndoReport> {
    const report: UndoReport = { undone: [], failed: [] };
    for (const action of [...this.actions].reverse()) {
      const used = action.deletes && inUse?.(action.deletes);
      if (used) {
        report.failed.push({ label: action.label, reason: `not done: ${used}` });
        continue;
      }
      try {
        await action.run();
        report.undone.push(action.label);
      } catch (error) {
        report.failed.push({ label: action.label, reason: `${(error as Error).name}: ${(error as Error).message}` });
      }
    }
    this.actions = [];
    return report;
  }
}

/** A failed step, named, with what was undone after it. */
export class StepError extends RuntimeError {
  constructor(
    readonly step: string,
    override readonly cause: Error,
    readonly undo?: UndoReport,
  ) {
    super(describe(step, cause, undo));
  }
}

/** The interrupt, saying what was undone (the run stopped before the distribution was written). */
export function interruptedWithUndo(interrupt: InterruptedError, undo?: UndoReport): InterruptedError {
  return new InterruptedError(`${interrupt.message}${undo ? `; ${undoSummary(undo)}` : ''}`, interrupt.signal);
}

export function undoSummary(undo: UndoReport): string {
  const parts: string[] = [];
  if (undo.undone.length) parts.push(`undone: ${undo.undone.join(', ')}`);
  if (undo.failed.length) parts.push(`could not undo (waiting for AWS, or do it by hand): ${undo.failed.map((f) => `${f.label} (${f.reason})`).join('; ')}`);
  if (!parts.length) parts.push('nothing had been changed yet');
  return parts.join('; ');
}

function describe(step: string, cause: Error, undo?: UndoReport): string {
  const base = `step "${step}" failed: ${describeAwsError(cause)?.what.replace(/\.$/, '') ?? (cause.name === 'Error' ? cause.message.replace(/\.+$/, '') : `${cause.name}: ${cause.message.replace(/\.+$/, '')}`)}`;
  return undo ? `${base}. The distribution was not changed; ${undoSummary(undo)}.` : base;
}

/**
 * Runs one named step; a failure becomes a StepError naming it. An error that says it happened
 * after something was written (`written`) is passed on as it is: it must never be taken for a
 * step that left nothing behind.
 */
export async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StepError || error instanceof InterruptedError || (error instanceof Error && 'written' in error)) throw error;
    throw new StepError(name, error as Error);
  }
}
