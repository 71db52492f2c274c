/** `edge-install sandbox`: run the emulator until SIGINT/SIGTERM; one JSON ready line on stdout. */
import { existsSync } from 'node:fs';
import { RuntimeError, UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { wholeNumber } from '../define-command.js';

export interface SandboxFlags {
  port: string;
  host: string;
  seed: string;
  deployDelay?: string;
  stateFile?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export async function sandbox(ctx: CommandContext<SandboxFlags>): Promise<void> {
  const { flags } = ctx;
  const port = wholeNumber(flags.port, '--port', 0, 65535);
  const deployMs = flags.deployDelay === undefined ? undefined : wholeNumber(flags.deployDelay, '--deploy-delay', 0, 3_600_000);
  const seed = ['demo', 'empty'].includes(flags.seed) ? flags.seed : ctx.path(flags.seed);
  if (!['demo', 'empty'].includes(flags.seed) && !existsSync(seed)) {
    throw new UsageError(`--seed must be 'demo', 'empty' or an existing JSON file; '${flags.seed}' does not exist.`);
  }
  if (!LOOPBACK.test(flags.host)) {
    ctx.err(`edge-install: warning: the sandbox accepts any credentials; binding ${flags.host} exposes it beyond this machine.`);
  }
  let running;
  try {
    // Loaded here, not at the top: every other command (and --help) starts without it.
    const { startSandbox } = await import('../../sandbox/index.js');
    running = await startSandbox({
      port,
      host: flags.host,
      seed,
      stateFile: flags.stateFile === undefined ? undefined : ctx.path(flags.stateFile),
      delays: deployMs === undefined ? {} : { deployMs },
      log: ctx.global.verbose ? (line) => ctx.err(line) : undefined,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new RuntimeError(`port ${port} on ${flags.host} is already in use; choose another --port, or 0 for a free one.`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`--host ${flags.host} is not an address of this machine.`);
    throw error;
  }
  const server = running;
  // Listen for signals before announcing readiness: a script may stop us right after the line.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      ctx.io.signals.off('SIGINT', stop);
      ctx.io.signals.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    ctx.io.signals.on('SIGINT', stop);
    ctx.io.signals.on('SIGTERM', stop);
  });
  ctx.io.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, distributionIds: server.distributionIds })}\n`);
  await stopped;
}
