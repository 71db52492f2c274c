/**
 * `edge-install completion <shell>`: the script on stdout (with --json, inside the document).
 *
 * Why generated here, not by a completion library: the candidates (@bomb.sh/tab, @pnpm/tabtab,
 * omelette; tabtab is unmaintained since 2018) complete dynamically — every Tab press starts
 * Node and the CLI again to ask it (`edge-install complete -- …`), and tabtab/omelette also
 * edit the user's shell rc files to install themselves; @bomb.sh/tab is at 0.0.x, an API not
 * yet settled. Our tree is static (commands, subcommands and options are known once the
 * program is built), so a script generated from commander's own tree completes instantly,
 * adds no dependency, and cannot drift from the definitions --help shows: a new command or
 * flag is in the next generated script with no edit here. What it gives up is completing
 * values read from AWS or the manifest (distribution ids, function keys), which a static
 * script cannot know — path values still complete as file names.
 */
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { bashScript } from '../help/completion/bash.js';
import { fishScript } from '../help/completion/fish.js';
import { completionTree } from '../help/completion/tree.js';
import { zshScript } from '../help/completion/zsh.js';

export interface CompletionFlags {
  shell: string;
}

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

export const BIN = 'edge-install';

export async function completion(ctx: CommandContext<CompletionFlags>): Promise<number> {
  const shell = ctx.flags.shell as keyof typeof SCRIPTS;
  // Commander checks the choices first; this is for a caller that runs the handler directly.
  if (!(shell in SCRIPTS)) throw new UsageError(`completion: unknown shell '${ctx.flags.shell}'; one of ${Object.keys(SCRIPTS).join(', ')}.`);
  // The program as a user runs it: built afresh (loaded only here, not on every start).
  const { buildProgram } = await import('../program.js');
  const script = SCRIPTS[shell](completionTree(buildProgram(ctx.io)), BIN);
  if (ctx.global.json) ctx.json({ version: 1, shell, script });
  else ctx.io.stdout.write(script);
  return 0;
}
