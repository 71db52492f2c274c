/**
 * The command tree the completion scripts are generated from, read off commander's program —
 * the same definitions --help shows, so a new command or flag completes with no edit here.
 */
import type { Command, Option } from 'commander';

export interface CompletionOption {
  /** `--out`, `-y`: every name the option answers to. */
  names: string[];
  description: string;
  /** The option takes a value (`--out <file>`). */
  takesValue: boolean;
  /** The value is a path: complete file names. */
  file: boolean;
}

export interface CompletionCommand {
  /** `state push`; '' for the program. */
  path: string;
  name: string;
  description: string;
  options: CompletionOption[];
  subcommands: CompletionCommand[];
  /** Fixed values of the first argument (`completion <shell>`), if any. */
  argumentChoices: string[];
}

/** A value placeholder that names a file or directory: `<file>`, `<path>`, `<dir>`, `<f>` (sandbox --state-file); a URL path is `<url-path>` (invoke --path). */
const PATH_VALUE = /<(file|path|dir|f)>/;

function optionOf(option: Option): CompletionOption {
  return {
    names: [option.long, option.short].filter((n): n is string => !!n),
    // One line, no tabs: the scripts quote it as a single word.
    description: option.description.replace(/\s+/g, ' ').trim(),
    takesValue: option.required || option.optional,
    file: PATH_VALUE.test(option.flags),
  };
}

function firstLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function completionTree(program: Command): CompletionCommand {
  const walk = (command: Command, path: string): CompletionCommand => ({
    path,
    name: command.name(),
    description: firstLine(command.description()),
    // --version only at the top; --help everywhere (commander adds it to every command).
    options: [...command.options.filter((o) => !o.hidden).map(optionOf), { names: ['--help', '-h'], description: 'show this help', takesValue: false, file: false }],
    subcommands: command.commands.map((sub) => walk(sub, path ? `${path} ${sub.name()}` : sub.name())),
    argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
  });
  return walk(program, '');
}

/** Every command of the tree, the program first, depth first. */
export function allCommands(tree: CompletionCommand): CompletionCommand[] {
  return [tree, ...tree.subcommands.flatMap(allCommands)];
}

const ROOT_ONLY = ['--help', '--version'];

/** The program's options: accepted after any command, so offered after any command (but --help and --version, the program's own). */
export function globalOptions(tree: CompletionCommand): CompletionOption[] {
  return tree.options.filter((o) => !o.names.some((n) => ROOT_ONLY.includes(n)));
}

/** A command's own options: for the program, --help and --version; the global ones are offered apart. */
export function ownOptions(command: CompletionCommand): CompletionOption[] {
  return command.path === '' ? command.options.filter((o) => o.names.some((n) => ROOT_ONLY.includes(n))) : command.options;
}
