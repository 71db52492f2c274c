/**
 * PURE: what `import` shows (terraform-import style): each part it would adopt, with the
 * evidence and the tags it adds; what it found and leaves as it is; what the recipe expects
 * and it did not find, with why; what the first attach will change; and what it writes. The
 * --json document carries the same. No secret value is ever in the plan: a secret is shown by
 * its name and the names of its keys.
 */
import type { ImportPlan } from '../../plan/import.js';
import { colors } from './colors.js';
import { clean, plural } from './text.js';

const KIND_WORDS: Record<string, string> = {
  origin: 'origin',
  behavior: 'behavior',
  association: 'trigger',
  function: 'function',
  'cache-policy': 'cache policy',
  secret: 'secret',
  role: 'role',
};

export interface ImportShown {
  /** The manifest path as the user gave it. */
  manifest: string;
  /** Where the revision goes. */
  state: string;
}

export function renderImportText(plan: ImportPlan, shown: ImportShown, color: boolean): string {
  const c = colors(color);
  const lines: string[] = [c.bold(`Import of the ${plan.recipe} install on ${plan.distributionId} as ${plan.integration}`)];
  if (plan.adopt.length) {
    lines.push('', c.bold('Adopt'));
    for (const part of plan.adopt) {
      const tags = part.tags ? `  ${c.cyan(`+ tags ${Object.entries(part.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`)}` : '';
      lines.push(`  ${c.cyan('>')} adopt ${KIND_WORDS[part.kind]} ${clean(part.name)}  ${c.dim(`(${clean(part.address)})`)}${tags}`);
      for (const e of part.evidence) lines.push(`      ${c.dim('✓')} ${clean(e)}`);
    }
  }
  if (plan.left.length) {
    lines.push('', c.bold('Left as it is'));
    for (const l of plan.left) lines.push(`  ${c.dim('·')} ${clean(l.part)}: ${clean(l.reason)}`);
  }
  if (plan.unmatched.length) {
    lines.push('', c.bold('Not matched'));
    for (const u of plan.unmatched) lines.push(`  ${c.yellow('!')} ${clean(u.part)}: ${clean(u.why)}`);
  }
  if (!plan.found) {
    lines.push('', c.red(`No ${plan.recipe} install found on ${plan.distributionId}: nothing to import, nothing was written.`));
    return lines.join('\n');
  }
  const values = Object.entries(plan.answers).filter(([k]) => k !== 'name');
  if (values.length) {
    lines.push('', c.bold('Values'));
    for (const [k, v] of values) lines.push(`  ${k} = ${clean(JSON.stringify(v))}  ${c.dim(plan.inferred[k] ? `(from ${clean(plan.inferred[k])})` : '(given or the recipe\'s default)')}`);
  }
  if (plan.later.length) {
    lines.push('', c.bold('The first attach will'));
    for (const l of plan.later) lines.push(`  ${c.dim('·')} ${clean(l)}`);
  }
  if (plan.missing.length) {
    lines.push('', c.bold('Missing values'));
    for (const m of plan.missing) lines.push(`  ${c.red('!')} ${m.key.startsWith('(') ? '' : `--set ${m.key}=…: `}${clean(m.why)}`);
    return lines.join('\n');
  }
  const tagCount = plan.tags.length;
  lines.push(
    '',
    `Import writes ${clean(shown.manifest)}, a first revision (kind import) in ${clean(shown.state)}${tagCount ? `, and edge-install's tags on ${plural(tagCount, 'resource')}` : ''}. Nothing else is written to AWS: the distribution is not changed.`,
  );
  return lines.join('\n');
}

/** `import --json`: one document. */
export function importDocument(plan: ImportPlan, result: { manifest: string; revision?: string; tagged?: string[]; dryRun?: boolean }) {
  return {
    version: 1,
    command: 'import',
    recipe: plan.recipe,
    integration: plan.integration,
    distribution: { id: plan.distributionId, etag: plan.etag },
    found: plan.found,
    adopt: plan.adopt.map((p) => ({ action: 'adopt', kind: p.kind, address: p.address, name: p.name, evidence: p.evidence, ...(p.tags ? { tags: p.tags } : {}) })),
    left: plan.left,
    unmatched: plan.unmatched,
    later: plan.later,
    values: Object.fromEntries(Object.entries(plan.answers).filter(([k]) => k !== 'name')),
    inferred: plan.inferred,
    missing: plan.missing,
    manifest: result.manifest,
    revision: result.revision ?? null,
    tagged: result.tagged ?? [],
    ...(result.dryRun ? { dryRun: true } : {}),
  };
}
