/** What `init` shows: the summary before it writes, and what it did. */
import type { InitResult } from '../../apply/init.js';
import type { Answers, Recipe } from '../../manifest/recipes.js';
import type { Manifest } from '../../manifest/schema.js';
import { storedKeys, type InitSecretStep } from '../../plan/init-secret.js';

export interface InitSummary {
  recipe: Recipe;
  answers: Answers;
  distributions: string[];
  manifestPath: string;
  manifest: Manifest;
  secret: InitSecretStep;
  scaffold: string[];
}

export function initSummaryText(summary: InitSummary): string {
  const { manifest, secret } = summary;
  const rows: [string, string][] = [
    ['recipe', summary.recipe.name],
    ['name', manifest.name],
    ['distribution', summary.distributions.join(', ')],
  ];
  for (const q of summary.recipe.questions) {
    if (q.type === 'secret' || q.key === 'name') continue;
    rows.push([q.key, String(summary.answers[q.key])]);
  }
  if (manifest.secret && secret.change) {
    const c = secret.change;
    const writes = c.keysToWrite.length ? `writes ${c.keysToWrite.join(', ')}` : 'no value changes';
    const kept = storedKeys(secret.observed).filter((k) => !c.keysToWrite.includes(k));
    rows.push(['secret', `${c.name} in ${c.region} (${c.action === 'create' ? 'new' : 'exists'}): ${writes}${kept.length ? `; keeps ${kept.join(', ')}` : ''}`]);
  }
  for (const file of summary.scaffold) rows.push(['starter', file]);
  rows.push(['manifest', summary.manifestPath]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['', 'Summary', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), ''].join('\n');
}

export function initResultLines(shownManifest: string, result: InitResult, shownPath: (path: string) => string): string[] {
  const lines = [`✓ Wrote ${shownManifest}.`];
  for (const file of result.scaffolded) lines.push(`✓ Wrote a starter handler to ${shownPath(file)}: edit it, then run plan.`);
  if (result.secret) {
    const s = result.secret;
    lines.push(s.created ? `✓ Created the secret ${s.name} in ${s.region} (keys ${s.keysWritten.join(', ')}).` : s.keysWritten.length ? `✓ Updated the secret ${s.name}: wrote ${s.keysWritten.join(', ')}.` : `✓ The secret ${s.name} already holds these values.`);
  }
  return lines;
}

export function initDocument(options: { manifestPath: string; recipe: string; name: string; distributions: string[]; result: InitResult }) {
  return {
    version: 1,
    manifest: options.manifestPath,
    recipe: options.recipe,
    name: options.name,
    distributions: options.distributions,
    secret: options.result.secret ?? null,
    scaffolded: options.result.scaffolded,
  };
}
