/**
 * `edge-install sandbox`: run the local AWS control-plane emulator (EMULATOR.md) until
 * SIGINT/SIGTERM. Prints exactly one JSON line on stdout when ready, so scripts can read the
 * endpoint: {"endpoint":"http://127.0.0.1:PORT","distributionIds":[…]}.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { wholeNumber } from '../context.js';
import { RuntimeError, UsageError } from '../errors.js';

interface SandboxFlags {
  port: string;
  host: string;
  seed: string;
  deployDelay?: string;
  stateFile?: string;
}

/** A fixed default so copy-pasted endpoints keep working across restarts; 0 asks for any free port. */
const DEFAULT_PORT = 4580;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the local AWS emulator (CloudFront, Lambda, IAM, Secrets Manager, STS); no AWS account needed')
    .option('--port <n>', 'port to listen on; 0 picks a free one', String(DEFAULT_PORT))
    .option('--host <h>', 'address to bind', '127.0.0.1')
    .option('--seed <seed>', "start state: 'demo', 'empty', or a JSON state file", 'demo')
    .option('--deploy-delay <ms>', 'how long a distribution stays InProgress after a write (default 3000)')
    .option('--state-file <f>', 'keep state in this JSON file across restarts')
    .action(async (flags: SandboxFlags, command: Command) => {
      const verbose = Boolean(command.optsWithGlobals<{ verbose?: boolean }>().verbose);
      const port = wholeNumber(flags.port, '--port', 0, 65535);
      const deployMs = flags.deployDelay === undefined ? undefined : wholeNumber(flags.deployDelay, '--deploy-delay', 0, 3_600_000);
      if (!['demo', 'empty'].includes(flags.seed) && !existsSync(flags.seed)) {
        throw new UsageError(`--seed must be 'demo', 'empty' or an existing JSON file; '${flags.seed}' does not exist.`);
      }
      if (!LOOPBACK.test(flags.host)) {
        process.stderr.write(`edge-install: warning: the sandbox accepts any credentials; binding ${flags.host} exposes it beyond this machine.\n`);
      }
      let sandbox;
      try {
        // Loaded here, not at the top: every other command (and --help) starts without it.
        const { startSandbox } = await import('../../sandbox/index.js');
        sandbox = await startSandbox({
          port,
          host: flags.host,
          seed: flags.seed,
          stateFile: flags.stateFile,
          delays: deployMs === undefined ? {} : { deployMs },
          log: verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new RuntimeError(`port ${port} on ${flags.host} is already in use; choose another --port, or 0 for a free one.`);
        if (code === 'EADDRNOTAVAIL') throw new UsageError(`--host ${flags.host} is not an address of this machine.`);
        throw error;
      }
      // Listen for signals before announcing readiness: a script may stop us right after the line.
      const stopped = new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void sandbox.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      process.stdout.write(`${JSON.stringify({ endpoint: sandbox.endpoint, distributionIds: sandbox.distributionIds })}\n`);
      await stopped;
    });
}
