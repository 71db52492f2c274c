/**
 * Which of the program's global options (context.ts, addGlobalOptions) a command honours, so its
 * --help lists those and no others. They are named in groups, by what makes an option matter:
 *
 * - output (every command): --json, --no-color, --verbose — every command prints, and every
 *   error is a JSON document under --json and gets its stack under --verbose.
 * - manifest: --config, --region — the command reads edge-install.json (--region is checked
 *   against the manifest's secret.region there).
 * - aws: --profile, --endpoint-url — the command calls AWS (or the sandbox).
 * - state: --state, --state-dir — the command reads or writes revisions, the journal or the lock.
 * - prompts: --yes, --non-interactive — the command asks (an approval, or init's questions).
 *
 * Decision: a definition names its groups (`globals`); one that names none is documented as
 * honouring them all, so a new command's help never claims less than it does. Commander still
 * accepts every global option on every command (they are the program's options), as terraform
 * and the AWS CLI accept theirs: an option a command ignores is harmless, only not advertised.
 * test/cli/help.test.ts checks the groups against what each handler's source uses.
 */
export const GLOBAL_OPTION_GROUPS = {
  output: ['--json', '--no-color', '--verbose'],
  manifest: ['--config', '--region'],
  aws: ['--profile', '--endpoint-url'],
  state: ['--state', '--state-dir'],
  prompts: ['--yes', '--non-interactive'],
} as const;

export type GlobalGroup = Exclude<keyof typeof GLOBAL_OPTION_GROUPS, 'output'>;

export const ALL_GLOBAL_GROUPS: readonly GlobalGroup[] = ['manifest', 'aws', 'state', 'prompts'];

/** The long flags of the global options a command with these groups honours (output always). */
export function honouredGlobalFlags(groups: readonly GlobalGroup[] | undefined): Set<string> {
  return new Set([...GLOBAL_OPTION_GROUPS.output, ...(groups ?? ALL_GLOBAL_GROUPS).flatMap((group) => GLOBAL_OPTION_GROUPS[group])]);
}
