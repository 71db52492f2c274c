/**
 * The edge-install command line: the commands (one definition each, commands/), the global
 * options, and the mapping of what a command ended with to the exit codes of CLI.md. `main`
 * runs in a process of its own (bin/ → main.ts) or inside another program with its own io
 * (the demo, the tests).
 */
import { Command, CommanderError } from 'commander';
import { exitCodeOf } from '../errors.js';
import { packageVersion } from '../package-version.js';
import { abort } from './commands/abort.js';
import { attach } from './commands/attach.js';
import { bundle } from './commands/bundle.js';
import { completion } from './commands/completion.js';
import { demo } from './commands/demo.js';
import { dev } from './commands/dev.js';
import { detach } from './commands/detach.js';
import { forceUnlock } from './commands/force-unlock.js';
import { gc } from './commands/gc.js';
import { importCommand } from './commands/import.js';
import { init } from './commands/init.js';
import { invoke } from './commands/invoke.js';
import { logs } from './commands/logs.js';
import { plan } from './commands/plan.js';
import { promote } from './commands/promote.js';
import { revisions, revisionsShow } from './commands/revisions.js';
import { rollback } from './commands/rollback.js';
import { sandbox } from './commands/sandbox.js';
import { secretKeys, secretRotate, secretSet } from './commands/secret.js';
import { statePull } from './commands/state-pull.js';
import { statePush } from './commands/state-push.js';
import { status } from './commands/status.js';
import { validate } from './commands/validate.js';
import { addGlobalOptions } from './context.js';
import { addCommand, type CommandDefinition, type RunOutcome } from './define-command.js';
import { errorDocument, errorText } from './errors.js';
import { configureHelp, setHelpExtras } from './help/format.js';
import { helpArgv } from './help/help-argv.js';
import type { CliIo } from './io.js';

/** Every command, in the order help lists them. */
export const COMMANDS: CommandDefinition<never>[] = [
  init, importCommand, validate, plan, attach, promote, abort, status, revisions, revisionsShow, rollback, secretSet, secretKeys, secretRotate,
  logs, detach, gc, forceUnlock, statePush, statePull, bundle, invoke, dev, sandbox, demo, completion,
] as CommandDefinition<never>[];

/** This process's own streams, environment, directory and signals. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), signals: process };
}

/**
 * Commander quotes an unknown option as given, value and all (`--pre-shared-secret=hunter2`):
 * the name is kept, the value never repeated, since a mistyped flag may carry a secret.
 */
export function withoutOptionValues(text: string): string {
  const prefix = "error: unknown option '";
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith(prefix)) return line;
      // The quoted text runs to the last quote on the line: a value may hold quotes of its own.
      const end = line.lastIndexOf("'");
      const given = line.slice(prefix.length, end);
      // `--name=value` keeps `--name`; `-Xvalue` (a short option with its value attached) keeps `-X`.
      const name = given.startsWith('--') ? given.split('=')[0]! : given.slice(0, 2);
      const hidden = name === given ? '' : given.startsWith('--') ? '=…' : '…';
      return `${prefix}${name}${hidden}'${line.slice(end + 1)}`;
    })
    .join('\n');
}

/** Help wraps at the terminal's width, up to 120 columns (longer lines are hard to read); in a pipe (and in the README) at 80. */
const helpWidth = (stream: CliIo['stdout']) => Math.min((stream as { columns?: number }).columns || 80, 120);

export function buildProgram(io: CliIo, outcome: RunOutcome = { exitCode: 0 }): Command {
  const program = configureHelp(
    addGlobalOptions(
      new Command('edge-install').description('Install Lambda@Edge integrations onto an existing CloudFront distribution, safely.').version(packageVersion()),
    ),
  )
    .helpCommand('help [command...]', 'show the help of a command, e.g. help state push')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(withoutOptionValues(text)),
      getOutHelpWidth: () => helpWidth(io.stdout),
      getErrHelpWidth: () => helpWidth(io.stderr),
    });
  setHelpExtras(program, {
    examples: ['edge-install demo', 'edge-install init', 'edge-install plan --out plan.json && edge-install attach --plan plan.json', 'edge-install help attach'],
    exitCodes: { pending: 'plan --detailed-exitcode: changes pending; status --detailed-exitcode: not in sync (see each command\'s help)' },
  });
  const run = (argv: string[]) => main(['node', 'edge-install', ...argv], io);
  for (const command of COMMANDS) addCommand(program, command, io, outcome, run);
  return program;
}

/** Runs one command line (`argv` as process.argv has it) and returns its exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const outcome: RunOutcome = { exitCode: 0 };
  const program = buildProgram(io, outcome);
  try {
    await program.parseAsync([...argv.slice(0, 2), ...helpArgv(argv.slice(2), program)]);
    return outcome.exitCode;
  } catch (error) {
    // --json: the error is the one document on stdout too (unless the command printed its own).
    const json = (program.opts<{ json?: boolean }>().json || argv.includes('--json')) && !outcome.jsonWritten;
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (error.exitCode !== 0 && json) {
        // The option's value never repeated: a mistyped flag may carry a secret.
        const safe = Object.assign(new Error(withoutOptionValues(error.message)), { code: error.code });
        io.stdout.write(`${JSON.stringify(errorDocument(safe, 2), null, 2)}\n`);
      }
      return error.exitCode === 0 ? 0 : 2;
    }
    // Ctrl-C at a prompt: nothing was changed; 130 as for any interrupted command.
    if (error instanceof Error && error.name === 'ExitPromptError') {
      io.stderr.write('edge-install: interrupted; nothing was changed.\n');
      return 130;
    }
    const verbose = program.opts<{ verbose?: boolean }>().verbose;
    io.stderr.write(`edge-install: ${errorText(error)}\n`);
    const code = exitCodeOf(error);
    if (json) io.stdout.write(`${JSON.stringify(errorDocument(error, code), null, 2)}\n`);
    if (verbose && error instanceof Error && code !== 2) io.stderr.write(`${error.stack}\n`);
    return code;
  }
}
