/**
 * `edge-install completion <shell>`: prints a completion script for bash, zsh or fish, generated
 * from the program's own command tree (commands, `state push`-style subcommands, options).
 */
import { defineCommand } from '../define-command.js';
import type { CompletionFlags } from '../handlers/completion.js';

export const completion = defineCommand<CompletionFlags>({
  name: 'completion',
  description: 'print a shell completion script (commands, subcommands, options) for bash, zsh or fish',
  arguments: [{ name: '<shell>', description: 'the shell to complete in', choices: ['bash', 'zsh', 'fish'] }],
  examples: [
    'source <(edge-install completion bash)   # add to ~/.bashrc',
    'edge-install completion zsh > "${fpath[1]}/_edge-install"',
    'edge-install completion fish > ~/.config/fish/completions/edge-install.fish',
  ],
  globals: [],
  exitCodes: { usage: 'usage error (a shell other than bash, zsh or fish; an unknown flag)', failure: false, interrupted: false },
  handler: async () => (await import('../handlers/completion.js')).completion,
});
