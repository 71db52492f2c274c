/**
 * PURE: the human diff of a plan, as `plan`, `attach`, `rollback`, `detach` and `gc` show it
 * (terraform-plan style). Input is the plan document (src/plan/document.ts), the same one
 * `--json` prints, so what a user reads and what a script reads can never disagree. No I/O,
 * no environment: the caller decides colour. Without colour the text holds no escape sequence.
 */
import { resourceText } from '../../plan/addresses.js';
import type { PlanDocument } from '../../plan/document.js';
import { colors } from './colors.js';
import { renderDistribution } from './distribution-text.js';
import { renderResource } from './resources-text.js';
import { cleanDeep, clean, ITEM, Out, plural, type PolicyNames } from './text.js';

export interface PlanTextOptions {
  /** Colour and bold/dim (ANSI). The caller decides (NO_COLOR, --no-color, TTY). */
  color: boolean;
  /** The last line when there is nothing to do, in the command's words (default: plan's). */
  nothing?: string;
  /**
   * `plan` only: the command that applies this plan, said last (issue 18: a plan ends with the
   * next command, as terraform's does), and where the plan was saved (--out). Nothing is said
   * after a plan with conflicts or errors: the ✗ line says what to do instead.
   */
  next?: { command: string; savedTo?: string };
  /** The integration's own policies by id, so that lines name them (policy-names.ts). */
  policyNames?: PolicyNames;
}

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `edge-install <args>`, each argument quoted for the shell. */
export function commandLine(args: string[]): string {
  return ['edge-install', ...args].map(shellWord).join(' ');
}

export function renderPlanText(document: PlanDocument, options: PlanTextOptions): string {
  const c = colors(options.color);
  const out = new Out(c, options.policyNames);
  // Messages keep their line breaks (Out.messages escapes each line); everything else is
  // escaped onto one line.
  const doc: PlanDocument = {
    ...cleanDeep(document),
    distributions: document.distributions.map((d) => ({ ...cleanDeep(d), warnings: d.warnings, conflicts: d.conflicts, errors: d.errors, ...(d.notes ? { notes: d.notes } : {}) })),
    ...(document.notes ? { notes: document.notes } : {}),
  };

  const { create, update, delete: remove } = doc.summary;
  const total = create + update + remove;
  const conflicts = doc.distributions.reduce((n, d) => n + d.conflicts.length, 0);
  const errors = doc.distributions.reduce((n, d) => n + d.errors.length, 0);

  out.line(c.bold(`Integration ${doc.integration}`));
  if (total > 0) out.line(c.dim(`Symbols: ${c.green('+')} create  ${c.yellow('~')} update  ${c.red('-')} delete`));

  if (doc.resources.length) {
    out.line();
    out.line(c.bold('Resources'));
    for (const change of doc.resources) renderResource(out, change);
  }
  for (const distribution of doc.distributions) {
    out.line();
    renderDistribution(out, distribution);
  }
  if (doc.kept?.length) {
    out.line();
    out.line(c.bold('Kept'));
    for (const k of doc.kept) out.line(`${ITEM}${resourceText(clean(k.resource))}: ${clean(k.reason)}`);
  }
  if (doc.notes?.length) {
    out.line();
    out.messages('', c.dim('·'), doc.notes);
  }

  out.line();
  if (total === 0 && conflicts === 0 && errors === 0) out.line(c.green(options.nothing ?? 'No changes. The infrastructure matches the manifest.'));
  else out.line(c.bold(`Plan: ${create} to create, ${update} to update, ${remove} to delete.`));
  if (conflicts || errors) {
    const problems = [conflicts ? plural(conflicts, 'conflict') : '', errors ? plural(errors, 'error') : ''].filter(Boolean).join(' and ');
    out.line(c.red(`✗ Nothing will be written: resolve the ${problems} above, then plan again.`));
  } else if (options.next) {
    if (options.next.savedTo !== undefined) out.line(`Saved the plan to ${clean(options.next.savedTo)}.`);
    if (total === 0) out.line('Nothing to do.');
    else {
      out.line();
      out.line(`Next: ${c.bold(clean(options.next.command))}`);
    }
  }
  return out.text();
}
