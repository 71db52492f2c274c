import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

/**
 * The approval every changing command asks for: --yes, or a prompt on a terminal; a
 * non-interactive run without --yes is exit 2 (nothing was written). False means "no".
 */
export async function approve(ctx: CommandContext, command: string, question: string, alternative = ''): Promise<boolean> {
  if (ctx.global.yes) return true;
  if (!ctx.interactive) throw new UsageError(`${command} needs approval: review the changes above and pass --yes${alternative}.`);
  const { confirm } = await import('@inquirer/prompts');
  const approved = await confirm({ message: question, default: false }, { input: ctx.io.stdin, output: ctx.io.stderr as NodeJS.WritableStream });
  if (!approved) ctx.err('Nothing was changed.');
  return approved;
}
