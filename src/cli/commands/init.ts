/**
 * `edge-install init`: guided setup — recipe, distribution, the recipe's questions, secret
 * values (masked) — writing edge-install.json and creating or updating the secret. Every
 * answer can also come from a flag, a file or the environment (non-interactive, CI).
 */
import type { Command } from 'commander';
import { collect, collectDistribution } from '../context.js';

export interface InitFlags {
  recipe?: string;
  name?: string;
  distribution: string[];
  set: string[];
  secretsFile?: string;
  secretsFromEnv?: boolean;
  secretsStdin?: boolean;
  force?: boolean;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('guided setup: pick a recipe and a distribution, answer its questions and enter secret values; writes edge-install.json and the secret')
    .option('--recipe <recipe>', 'first-party-proxy, edge-enforcer or custom')
    .option('--name <id>', 'integration name (prefixes every resource it owns)')
    .option('--distribution <id>', 'distribution to install on (repeatable)', collectDistribution, [])
    .option('--set <key=value>', "answer one of the recipe's questions (repeatable); never a secret value", collect, [])
    .option('--secrets-file <file>', 'secret values: a JSON object of secret key to value')
    .option('--secrets-from-env', 'secret values from EDGE_INSTALL_SECRET_<KEY> environment variables')
    .option('--secrets-stdin', 'secret values: a JSON object read from stdin')
    .option('--force', 'replace an existing manifest')
    .action(async (flags: InitFlags, command: Command) => (await import('../actions/init.js')).runInit(flags, command));
}
