/** What `init` shows: the summary before it writes, and what it did. */
import type { InitResult } from '../../apply/init.js';
import type { ScaffoldFile } from '../../gather/init.js';
import type { Answers, Recipe } from '../../manifest/recipes.js';
import type { Manifest } from '../../manifest/schema.js';
import { initSecretResult, storedKeys, type InitSecretStep } from '../../plan/init-secret.js';

export interface InitSummary {
  recipe: Recipe;
  answers: Answers;
  distributions: string[];
  manifestPath: string;
  manifest: Manifest;
  secret: InitSecretStep;
  scaffold: string[];
  /** Where the secret is read by live functions (distribution → functions); empty when nowhere. */
  liveUse?: Map<string, string[]>;
}

const usersText = (liveUse: Map<string, string[]>) => [...liveUse].map(([id, fns]) => `${id} (${fns.join(', ')})`).join(', ');

/** The secret is live: what changing it does. */
export function liveSecretWarning(secret: InitSecretStep, liveUse: Map<string, string[]>): string {
  const c = secret.change!;
  const previous = secret.observed?.versionId ? ` The value it holds now stays in Secrets Manager as version ${secret.observed.versionId} (labelled AWSPREVIOUS once replaced).` : '';
  return `the secret ${c.name} in ${c.region} is read by live functions on ${usersText(liveUse)}: writing ${c.keysToWrite.join(', ')} changes what they run with.${previous}`;
}

/** Without --force, init does not change a live integration's secret. */
export function liveSecretRefusal(secret: InitSecretStep, liveUse: Map<string, string[]>): string {
  return `${liveSecretWarning(secret, liveUse)} init does not change a live integration's secret without --force. Fix: to change a key of it on purpose, run edge-install secret set KEY (recorded, so rollback moves it back), or init again with --force (init --dry-run shows what would be written); to set up a separate integration, give another --name (it gets its own secret).`;
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
    const live = summary.liveUse?.size ? `, LIVE on ${[...summary.liveUse.keys()].join(', ')}` : '';
    const adopted = c.adopt ? `, adopted: edge-install did not create it and tags it ${Object.keys(c.tagsToAdd).join(', ')}; detach leaves it in place` : '';
    rows.push(['secret', `${c.name} in ${c.region} (${c.action === 'create' ? 'new' : `exists${live}${adopted}`}): ${writes}${kept.length ? `; keeps ${kept.join(', ')}` : ''}`]);
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
    const previous = s.previousVersionId ? ` The previous value is version ${s.previousVersionId} (AWSPREVIOUS): \`aws secretsmanager update-secret-version-stage --secret-id ${s.name} --region ${s.region} --version-stage AWSCURRENT --move-to-version-id ${s.previousVersionId} --remove-from-version-id ${s.versionId ?? '<new version id>'}\` puts it back.` : '';
    lines.push(
      s.created
        ? `✓ Created the secret ${s.name} in ${s.region} (keys ${s.keysWritten.join(', ')}).`
        : s.keysWritten.length
          ? `✓ Updated the secret ${s.name}: wrote ${s.keysWritten.join(', ')}.${previous}`
          : `✓ The secret ${s.name} already holds these values.`,
    );
  }
  return lines;
}

/** What init would write (--dry-run): the same shape as what it did, without version ids. */
export function plannedInitResult(secret: InitSecretStep, scaffold: ScaffoldFile[]): InitResult {
  const c = secret.change;
  return { secret: c ? initSecretResult(c, c.action === 'none' ? [] : c.keysToWrite) : undefined, scaffolded: scaffold.map((f) => f.path) };
}

export function initDocument(options: { manifestPath: string; recipe: string; name: string; distributions: string[]; result: InitResult; dryRun?: boolean }) {
  return {
    version: 1,
    dryRun: !!options.dryRun,
    manifest: options.manifestPath,
    recipe: options.recipe,
    name: options.name,
    distributions: options.distributions,
    secret: options.result.secret ?? null,
    scaffolded: options.result.scaffolded,
  };
}
