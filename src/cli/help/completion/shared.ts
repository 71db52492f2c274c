/** What the three generators share: quoting, and the questions every script asks of a command path. */
import { allCommands, globalOptions, type CompletionCommand } from './tree.js';

/** A word for bash or zsh: single-quoted, `'` as `'\''`. */
export const posixQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** A word for fish: single-quoted, with \\ and \' escaped. */
export const fishQuote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Words the scripts match on: commands, flags and choices are made of these only (checked, so quoting never matters there). */
const PLAIN = /^[A-Za-z0-9._@%+,:/=-]+$/;
export function plain(word: string): string {
  if (!PLAIN.test(word)) throw new Error(`completion: '${word}' is not a plain word`);
  return word;
}

export const HELP_DESCRIPTION = 'show the help of a command';

/**
 * The patterns of the `case` arms that answer "does option X of command P take a value / a
 * path", matched against `P|X`: one arm per command with such options, then the global ones
 * under any command (`*|--config`; the leading * is the only wildcard).
 */
export function valueOptionPatterns(tree: CompletionCommand, which: 'value' | 'file'): string[][] {
  const wanted = (o: { takesValue: boolean; file: boolean }) => (which === 'file' ? o.file : o.takesValue);
  const arms: string[][] = [];
  for (const command of allCommands(tree).slice(1)) {
    const names = command.options.filter(wanted).flatMap((o) => o.names);
    if (names.length) arms.push(names.map((n) => `${command.path}|${plain(n)}`));
  }
  const global = globalOptions(tree).filter(wanted).flatMap((o) => o.names);
  if (global.length) arms.push(global.map((n) => `*|${plain(n)}`));
  return arms;
}

/** An arm's patterns in bash or zsh: quoted, the leading * left bare to match. */
const posixArm = (patterns: string[]): string => patterns.map((p) => (p.startsWith('*') ? `*${posixQuote(p.slice(1))}` : posixQuote(p))).join('|');

/**
 * The two predicates bash's and zsh's scripts share, as shell functions over `P|X`:
 * `<fn>_takes_value P X` (option X of command path P takes the next word) and `<fn>_file_value
 * P X` (that value is a path). Plain POSIX `case`, the same text in both shells.
 */
export function valuePredicates(tree: CompletionCommand, fn: string): string {
  const predicate = (name: string, which: 'value' | 'file') => `${fn}_${name}() {
  case "$1|$2" in
${valueOptionPatterns(tree, which)
  .map((arm) => `    ${posixArm(arm)}) return 0 ;;`)
  .join('\n')}
  esac
  return 1
}`;
  return `# Whether option $2 of command path $1 takes a value (the next word).
${predicate('takes_value', 'value')}

# Whether that value is a path.
${predicate('file_value', 'file')}`;
}
