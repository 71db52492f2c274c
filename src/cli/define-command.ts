/**
 * One definition per command (wrangler's defineCommand): name, description, flags, examples
 * and a handler loaded only when the command runs. Registering it sets up, once for every
 * command, what each used to do by hand: the context (context.ts), the handler's exit code,
 * and closing the AWS clients at the end. The flags several commands share, and their
 * parsers, are here too: a bad value is a usage error (exit 2) before any AWS call.
 */
import { Argument, InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { DISTRIBUTION_ID, DISTRIBUTION_ID_EXAMPLE } from '../manifest/distribution-id.js';
import { createContext, type CommandContext } from './context.js';
import type { ExitCodeMeanings } from './help/exit-codes.js';
import { setHelpExtras } from './help/format.js';
import type { GlobalGroup } from './help/global-options.js';
import type { CliIo } from './io.js';

export interface OptionSpec {
  /** Commander's flags text, e.g. `--distribution <id>`. */
  flags: string;
  description: string;
  default?: string | boolean | string[];
  /** Parses (and checks) a value; a thrown InvalidArgumentError is a usage error (exit 2). */
  parse?: (value: string, previous: never) => unknown;
}

/** Returns the exit code (0 when nothing is returned), or throws an error carrying one. */
export type CommandHandler<F> = (ctx: CommandContext<F>) => Promise<number | void>;

export interface CommandDefinition<F> {
  /** `attach`; or `state push`: a subcommand of a grouping command (PARENT_COMMANDS below). */
  name: string;
  description: string;
  /**
   * Positional arguments, e.g. `<lock-id>`; each arrives in the flags under its name (camelCase).
   * `choices`: the only values it takes (another is a usage error, exit 2); shell completion offers them.
   */
  arguments?: { name: string; description: string; choices?: string[] }[];
  options?: OptionSpec[];
  /** Shown under --help (and in the README's command reference): two or three, the common case first. */
  examples?: string[];
  /**
   * What each exit code means for this command, over the defaults of help/exit-codes.ts (0, 1,
   * 2, 130/143/129); `pending` (3) for a command that can exit 3; false for a code it never exits with.
   */
  exitCodes?: ExitCodeMeanings;
  /** The global options it honours, by group (help/global-options.ts); default: all of them. */
  globals?: GlobalGroup[];
  /** Loaded on demand: the command's dependencies stay out of every other command's start-up. */
  handler: () => Promise<CommandHandler<F>>;
}

export const defineCommand = <F>(definition: CommandDefinition<F>): CommandDefinition<F> => definition;

/** What a run of the program ended with (commander does not pass an action's result on). */
export interface RunOutcome {
  exitCode: number;
  /** The command printed its --json document: an error after it is said on stderr only (one document on stdout). */
  jsonWritten?: boolean;
}

/**
 * The commands that only group others (`state` of `state push`, `state pull`): made once, with
 * this description, by the first of their subcommands to be added. Running one alone shows its
 * help, which lists the subcommands.
 */
const PARENT_COMMANDS: Record<string, string> = {
  state: "move the integration's revisions between the state dir and S3",
  secret: "change the integration's secret: set a key, rotate one, list them",
  // `revisions` is a command of its own (the list) as well as the parent of `revisions show`.
  revisions: "list the integration's revisions",
};

/**
 * The commander command for a definition's name: one word is a command of the program; two
 * (`state push`) a subcommand of the first word's parent. Commander recognises the program's
 * options anywhere on the line and `optsWithGlobals` walks up every parent, so the global
 * options work after a subcommand as after any other command.
 */
function commandNamed(program: Command, name: string): Command {
  const words = name.split(' ');
  if (words.length === 1) return program.command(name);
  const [parentName, sub] = words as [string, string];
  const description = PARENT_COMMANDS[parentName];
  // A programming error, caught by any test that builds the program.
  if (words.length !== 2 || description === undefined) throw new Error(`command '${name}': a name is one word, or two whose first is one of ${Object.keys(PARENT_COMMANDS).join(', ')}`);
  const parent = program.commands.find((c) => c.name() === parentName) ?? program.command(parentName).description(description);
  return parent.command(sub);
}

export function addCommand<F>(program: Command, definition: CommandDefinition<F>, io: CliIo, outcome: RunOutcome, run: (argv: string[]) => Promise<number>): void {
  const command = commandNamed(program, definition.name).description(definition.description);
  for (const argument of definition.arguments ?? []) {
    const made = new Argument(argument.name, argument.description);
    command.addArgument(argument.choices ? made.choices(argument.choices) : made);
  }
  for (const option of definition.options ?? []) {
    if (option.parse) command.option(option.flags, option.description, option.parse as (value: string, previous: unknown) => unknown, option.default);
    else command.option(option.flags, option.description, option.default);
  }
  setHelpExtras(command, { examples: definition.examples, exitCodes: definition.exitCodes, globals: definition.globals });
  command.action(async (...received: unknown[]) => {
    // Commander passes the arguments, then the options, then the command itself.
    const self = received.at(-1) as Command;
    const names = (definition.arguments ?? []).map((a) => a.name.replace(/[<>[\].]/g, '').replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()));
    const flags = { ...(received.at(-2) as object), ...Object.fromEntries(names.map((name, i) => [name, received[i]])) } as F;
    const ctx = createContext(self, flags, io, run);
    const writeJson = ctx.json;
    ctx.json = (document) => {
      outcome.jsonWritten = true;
      writeJson(document);
    };
    try {
      const handler = await definition.handler();
      outcome.exitCode = (await handler(ctx)) ?? 0;
    } finally {
      ctx.close();
    }
  });
}

// ---- shared flags ---------------------------------------------------------------------------

/** For repeatable flags such as --set. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * A repeatable `key=value` flag (--origin host=url, --s3-dir bucket=dir), as pairs. With
 * `url`, the value must be an http(s) URL; a malformed one is exit 2 before anything starts.
 */
export function collectMapping(flag: string, example: string, url: boolean) {
  return (value: string, previous: string[]): string[] => {
    const eq = value.indexOf('=');
    const key = eq > 0 ? value.slice(0, eq).trim() : '';
    const target = eq > 0 ? value.slice(eq + 1).trim() : '';
    if (!key || !target) throw new InvalidArgumentError(`'${value}' is not KEY=VALUE; write e.g. ${flag} ${example}.`);
    if (url && !/^https?:\/\/[^\s/]+/.test(target)) throw new InvalidArgumentError(`'${target}' is not an http(s) URL; write e.g. ${flag} ${example}.`);
    return [...previous, `${key}=${target}`];
  };
}

/**
 * Repeatable --distribution: a malformed id is a usage error (exit 2) before any AWS call. An
 * id that is right but for its case (`e1demo0example`, typed or pasted from a lower-cased
 * URL) is not taken as it is — CloudFront ids are upper case and compare exactly, so it would
 * only fail later as NoSuchDistribution — but named back in upper case, to copy.
 */
export function collectDistribution(value: string, previous: string[]): string[] {
  if (DISTRIBUTION_ID.test(value)) return [...previous, value];
  const trimmed = value.trim().toUpperCase();
  if (DISTRIBUTION_ID.test(trimmed)) throw new InvalidArgumentError(`CloudFront distribution ids are upper case: did you mean ${trimmed}?`);
  throw new InvalidArgumentError(`not a CloudFront distribution id; copy it from the CloudFront console (e.g. ${DISTRIBUTION_ID_EXAMPLE}).`);
}

/** Parses a whole number flag or says which flag is wrong (exit 2). */
export function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not '${value}'.`);
  return n;
}

export const distributionOption = (what: string): OptionSpec => ({
  flags: '--distribution <id>',
  description: `distribution to ${what} (repeatable; default: the manifest's)`,
  parse: collectDistribution as OptionSpec['parse'],
  default: [],
});

export const concurrencyOption: OptionSpec = { flags: '--concurrency <n>', description: 'distributions worked on at once', default: '4' };

/** 35 minutes: longer than the AWS CLI's 25, which users hit on busy days. */
export const DEFAULT_WAIT_SECONDS = 35 * 60;

/** --no-wait and --wait-timeout, for the commands that wait on CloudFront deploying what they wrote. */
export const waitOptions = (what: string): OptionSpec[] => [
  { flags: '--no-wait', description: `do not wait until ${what} Deployed` },
  { flags: '--wait-timeout <s>', description: 'how long to wait for Deployed', default: String(DEFAULT_WAIT_SECONDS) },
];
