/**
 * The help of every command, in one format: commander's (usage, arguments, options), then the
 * global options the command honours (global-options.ts), its examples and its exit codes
 * (exit-codes.ts). The extra sections are part of the formatted text itself — not text added
 * around it on output — so `--help`, `help <command>` and the README's command reference
 * (scripts/docs.js, through helpText) are the same text from the same definitions.
 */
import { Help, type Command, type Option } from 'commander';
import { exitCodesOf, type ExitCodeMeanings } from './exit-codes.js';
import { ALL_GLOBAL_GROUPS, honouredGlobalFlags, type GlobalGroup } from './global-options.js';

export interface HelpExtras {
  examples?: readonly string[];
  exitCodes?: ExitCodeMeanings;
  globals?: readonly GlobalGroup[];
}

const extras = new WeakMap<Command, HelpExtras>();

export function setHelpExtras(command: Command, value: HelpExtras): void {
  extras.set(command, value);
}

/**
 * A command's extras; a command that only groups others (`state`, `secret`) has none of its
 * own and shows its subcommands' first examples and the global options any of them honours.
 */
export function helpExtrasOf(command: Command): HelpExtras {
  const own = extras.get(command);
  if (own) return own;
  const subs = command.commands.map((sub) => extras.get(sub)).filter((e): e is HelpExtras => e !== undefined);
  if (!subs.length) return {};
  return {
    examples: subs.flatMap((sub) => sub.examples?.slice(0, 1) ?? []),
    globals: [...new Set(subs.flatMap((sub) => sub.globals ?? ALL_GLOBAL_GROUPS))],
  };
}

/** `edge-install state push`: the words that run a command. */
export function commandPath(command: Command): string {
  const words: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/** The help text of a command, exactly as `--help` prints it. */
export function helpText(command: Command): string {
  return command.helpInformation();
}

function extraSections(command: Command, helper: Help, termWidth: number): string {
  const { examples, exitCodes } = helpExtrasOf(command);
  const lines: string[] = [];
  // Examples are not wrapped: each is a command line to copy whole.
  if (examples?.length) lines.push('Examples:', ...examples.map((e) => `  $ ${e}`), '');
  // Every command exits 0 and 2 at least, so every help has this section.
  const codes = exitCodesOf(exitCodes);
  if (codes.length) {
    const width = Math.max(termWidth, ...codes.map((c) => c.code.length));
    lines.push('Exit codes:', ...codes.map(({ code, meaning }) => helper.formatItem(code, width, meaning, helper)), '');
  }
  return lines.join('\n');
}

/**
 * Sets the program's help format; commander copies it to every command made after (so call it
 * before adding commands). `help <a> <b>` is rewritten to `<a> <b> --help` by helpArgv.
 */
export function configureHelp(program: Command): Command {
  return program.configureHelp({
    showGlobalOptions: true,
    visibleGlobalOptions(this: Help, command: Command): Option[] {
      const honoured = honouredGlobalFlags(helpExtrasOf(command).globals);
      // --version is the program's alone: `edge-install plan --version` prints the version, but it is not plan's option.
      return Help.prototype.visibleGlobalOptions.call(this, command).filter((o) => o.long !== '--version' && honoured.has(o.long ?? ''));
    },
    optionDescription(this: Help, option: Option): string {
      // A repeatable flag starts from an empty list: "(default: [])" tells nothing ("repeatable" is in the text).
      const empty = Array.isArray(option.defaultValue) && option.defaultValue.length === 0;
      return Help.prototype.optionDescription.call(this, empty ? Object.assign(Object.create(option) as Option, { defaultValue: undefined }) : option);
    },
    formatHelp(this: Help, command: Command, helper: Help): string {
      const text = Help.prototype.formatHelp.call(this, command, helper);
      // Commander's sections each end with a blank line but its last: ours follow after one.
      return `${text.replace(/\n*$/, '\n\n')}${extraSections(command, helper, helper.padWidth(command, helper))}`;
    },
  });
}
