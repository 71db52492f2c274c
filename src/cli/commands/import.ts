/**
 * `edge-install import --recipe <r> --distribution E…`: take over an install made by hand —
 * find the parts that match the recipe's shape, show what would be adopted, and (after
 * approval) tag them and write the manifest and a first revision.
 */
import { collect, collectDistribution, collectMapping, defineCommand } from '../define-command.js';
import type { ImportFlags } from '../handlers/import.js';
import { WRITE_EXIT_CODES } from '../help/exit-codes.js';

export const importCommand = defineCommand<ImportFlags>({
  name: 'import',
  description: 'take over an install made by hand: adopt the parts that match a recipe, write the manifest and a first revision',
  options: [
    { flags: '--recipe <name>', description: 'the recipe the install followed: first-party-proxy (Fingerprint) or edge-enforcer (HUMAN)' },
    {
      flags: '--distribution <id>',
      description: 'the distribution the install is on',
      parse: collectDistribution as never,
      default: [],
    },
    { flags: '--name <id>', description: "the integration's name, which prefixes what edge-install creates later (default: the recipe's)" },
    { flags: '--set <key=value>', description: 'a recipe value import cannot infer from the install, or one that picks among candidates (repeatable), e.g. --set appId=PX12345678', parse: collect as never, default: [] },
    { flags: '--secret-name <name>', description: 'the secret the install keeps its settings in (default: the one the install names, else the recipe\'s)' },
    { flags: '--function <key=name>', description: "take this Lambda function for the recipe's function key when its name does not say so (repeatable), e.g. --function enforcer=bot-guard", parse: collectMapping('--function', 'enforcer=bot-guard', false) as never, default: [] },
    { flags: '--dry-run', description: 'show what would be adopted and stop (nothing is written)' },
    { flags: '--force', description: "replace an existing manifest at --config, only if its integration has no revisions (one that has is refused: import into another --config, or move that manifest and its state aside)" },
  ],
  examples: [
    'edge-install import --recipe first-party-proxy --distribution E1DEMO0EXAMPLE',
    'edge-install import --recipe edge-enforcer --distribution E1DEMO0EXAMPLE --function enforcer=bot-guard --yes',
    'edge-install import --recipe first-party-proxy --distribution E1DEMO0EXAMPLE --dry-run --json',
  ],
  exitCodes: {
    ...WRITE_EXIT_CODES,
    ok: 'imported (or shown, with --dry-run)',
    failure: 'no install of the recipe found on the distribution (each expected part is said with why), the distribution changed meanwhile, or an AWS failure; nothing was written (tags already added are taken off)',
    usage: 'usage or input error (a bad flag, a value import could not infer and nobody gave, a manifest already there, a manifest --force would orphan (its integration has revisions), an integration that already has revisions, no approval); nothing was written to AWS',
  },
  handler: async () => (await import('../handlers/import.js')).importInstall,
});
