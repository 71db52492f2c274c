import { confirm } from '@inquirer/prompts';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';

/**
 * The approval every changing command asks for: --yes, or a prompt on a terminal; a
 * non-interactive run without --yes is exit 2 (nothing was written). False means "no".
 */
export async function approve(ctx: CliContext, command: string, question: string, alternative = ''): Promise<boolean> {
  if (ctx.flags.yes) return true;
  if (!ctx.interactive) throw new UsageError(`${command} needs approval: review the changes above and pass --yes${alternative}.`);
  const approved = await confirm({ message: question, default: false }, { output: process.stderr });
  if (!approved) ctx.err('Nothing was changed.');
  return approved;
}
