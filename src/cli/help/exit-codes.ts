/**
 * The exit codes of CLI.md, and what each means for one command: a definition's `exitCodes`
 * overrides these defaults (or drops one with false), so --help, the README's command reference
 * and the code agree from one source. 3 is off by default: only the commands that can exit 3
 * (plan --detailed-exitcode, status) say what it means for them.
 */
import { INTERRUPT_EXIT_CODES } from '../../errors.js';

export const EXIT_CODES = {
  ok: '0',
  failure: '1',
  usage: '2',
  pending: '3',
  interrupted: Object.values(INTERRUPT_EXIT_CODES).join('/'),
} as const;

export type ExitCodeName = keyof typeof EXIT_CODES;

/** What each code means for a command; false: the command never exits so. */
export type ExitCodeMeanings = Partial<Record<ExitCodeName, string | false>>;

export const DEFAULT_EXIT_CODES: Record<ExitCodeName, string | false> = {
  ok: 'success',
  failure: 'AWS or runtime failure (an AWS error, a conflict, a timeout)',
  usage: 'usage or input error (a bad flag or manifest, an answer missing without a terminal, no approval); nothing was written to AWS',
  pending: false,
  interrupted: 'interrupted (Ctrl-C, SIGTERM, SIGHUP)',
};

/** For the commands that change AWS: what a failure or an interrupt leaves behind. */
export const WRITE_EXIT_CODES: ExitCodeMeanings = {
  failure: 'AWS or runtime failure (an AWS error, a conflict, a timeout); nothing is left half-applied',
  interrupted: 'interrupted (Ctrl-C, SIGTERM, SIGHUP): the step in flight finished, then the run was undone or recorded',
};

/** For the commands that make no AWS call at all. */
export const LOCAL_EXIT_CODES: ExitCodeMeanings = {
  failure: 'runtime failure (a file could not be read or written, a build tool failed)',
  usage: 'usage or input error (a bad flag, a manifest or handler that does not pass the checks)',
};

/** The codes a command exits with, in order, each with its meaning. */
export function exitCodesOf(meanings: ExitCodeMeanings | undefined): { code: string; meaning: string }[] {
  const merged = { ...DEFAULT_EXIT_CODES, ...meanings };
  return (Object.keys(EXIT_CODES) as ExitCodeName[]).flatMap((name) => {
    const meaning = merged[name];
    return meaning === false || meaning === undefined ? [] : [{ code: EXIT_CODES[name], meaning }];
  });
}
