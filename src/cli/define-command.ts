/**
 * One definition per command (wrangler's defineCommand): name, description, flags, examples
 * and a handler loaded only when the command runs. Registering it sets up, once for every
 * command, what each used to do by hand: the context (context.ts), the handler's exit code,
 * and closing the AWS clients at the end.
 */
import type { Command } from 'commander';
import { createContext, type CommandContext } from './context.js';
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
  name: string;
  description: string;
  options?: OptionSpec[];
  /** Shown under --help. */
  examples?: string[];
  /** Loaded on demand: the command's dependencies stay out of every other command's start-up. */
  handler: () => Promise<CommandHandler<F>>;
}

export const defineCommand = <F>(definition: CommandDefinition<F>): CommandDefinition<F> => definition;

/** What a run of the program ended with (commander does not pass an action's result on). */
export interface RunOutcome {
  exitCode: number;
}

export function addCommand<F>(program: Command, definition: CommandDefinition<F>, io: CliIo, outcome: RunOutcome, run: (argv: string[]) => Promise<number>): void {
  const command = program.command(definition.name).description(definition.description);
  for (const option of definition.options ?? []) {
    if (option.parse) command.option(option.flags, option.description, option.parse as (value: string, previous: unknown) => unknown, option.default);
    else command.option(option.flags, option.description, option.default);
  }
  if (definition.examples?.length) command.addHelpText('after', `\nExamples:\n${definition.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  command.action(async (flags: F, self: Command) => {
    const ctx = createContext(self, flags, io, run);
    try {
      const handler = await definition.handler();
      outcome.exitCode = (await handler(ctx)) ?? 0;
    } finally {
      ctx.close();
    }
  });
}
