/**
 * `edge-install help state push` as `edge-install state push --help`. Commander's own help
 * command takes one word (`help state` shows the group, never `push`), so the command line is
 * rewritten before parsing: the first word that is not an option or an option's value, if it
 * is `help` and more words follow, moves to the end as --help. Options before or after stay.
 * A word that names no command is left for commander to refuse (exit 2, "did you mean …?"),
 * rather than answered with the program's help.
 */
import type { Command } from 'commander';

export function helpArgv(args: string[], program: Command): string[] {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return args;
    if (arg.startsWith('-')) {
      // A global option with a separate value (`--config x.json help plan`): skip the value too.
      const option = arg.includes('=') ? undefined : program.options.find((o) => o.long === arg || o.short === arg);
      if (option && (option.required || option.optional)) i++;
      continue;
    }
    if (arg !== 'help' || i === args.length - 1) return args;
    const rest = [...args.slice(0, i), ...args.slice(i + 1)];
    return namesCommands(args.slice(i + 1).filter((a) => !a.startsWith('-')), program) ? [...rest, '--help'] : rest;
  }
  return args;
}

/** Whether the words lead through the command tree (words past a command without subcommands are its arguments). */
function namesCommands(words: string[], program: Command): boolean {
  let command = program;
  for (const word of words) {
    if (!command.commands.length) return true;
    const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) return false;
    command = next;
  }
  return true;
}
