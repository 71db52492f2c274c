/**
 * The edge-install command line: parses, delegates to one module per command, maps errors to
 * the exit codes of CLI.md. Commands never call AWS themselves. `main` can run in-process
 * (the demo runs the real commands through it); bin/ runs it via main.ts.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerAttach } from './commands/attach.js';
import { registerDetach } from './commands/detach.js';
import { registerGc } from './commands/gc.js';
import { registerInit } from './commands/init.js';
import { registerPlan } from './commands/plan.js';
import { registerRollback } from './commands/rollback.js';
import { registerSandbox } from './commands/sandbox.js';
import { registerStatus } from './commands/status.js';
import { addGlobalOptions } from './context.js';
import { errorText, exitCodeOf } from './errors.js';

function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = addGlobalOptions(
    new Command('edge-install').description('Install Lambda@Edge integrations onto an existing CloudFront distribution, safely.').version(packageVersion()),
  )
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerPlan(program);
  registerAttach(program);
  registerStatus(program);
  registerDetach(program);
  registerGc(program);
  registerRollback(program);
  registerSandbox(program);
  registerDemo(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    // Actions that end with a non-error code (status 3, plan --detailed-exitcode 3) set it here.
    const code = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    // Ctrl-C at a prompt: nothing was changed; 130 as for any interrupted command.
    if (error instanceof Error && error.name === 'ExitPromptError') {
      process.stderr.write('edge-install: interrupted; nothing was changed.\n');
      return 130;
    }
    const verbose = program.opts<{ verbose?: boolean }>().verbose;
    process.stderr.write(`edge-install: ${errorText(error)}\n`);
    const code = exitCodeOf(error);
    if (verbose && error instanceof Error && code !== 2) process.stderr.write(`${error.stack}\n`);
    return code;
  }
}

