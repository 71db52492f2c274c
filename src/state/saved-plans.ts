/**
 * `plan --out` / `attach --plan`: a saved plan is the plan document with the ETags it was made
 * from. It is a commitment, not a recipe: attach re-plans against what exists now and applies
 * only if the result is the same plan — otherwise it is stale and refused.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { PlanDocument } from '../plan/document.js';
import { UsageError } from '../errors.js';
import { firstProblem, SavedPlanSchema } from './records.js';

export interface SavedPlan {
  kind: 'edge-install-plan';
  version: 1;
  createdAt: string;
  manifestPath: string;
  /** Made with --replace-foreign: attach --plan applies it the same way. */
  replaceForeign?: boolean;
  allowContinuousDeployment?: boolean;
  document: PlanDocument;
}

export class SavedPlanError extends UsageError {}

export async function savePlan(file: string, made: { manifestPath: string; replaceForeign: boolean; allowContinuousDeployment?: boolean }, document: PlanDocument): Promise<void> {
  const saved: SavedPlan = { kind: 'edge-install-plan', version: 1, createdAt: new Date().toISOString(), ...made, document };
  await writeFile(file, `${JSON.stringify(saved, null, 2)}\n`);
}

export async function readSavedPlan(file: string): Promise<SavedPlan> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SavedPlanError(`--plan ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a JSON file'}. Save one with edge-install plan --out ${file}.`);
  }
  if ((parsed as SavedPlan | null)?.kind !== 'edge-install-plan') throw new SavedPlanError(`--plan ${file}: not a plan saved by edge-install plan --out.`);
  const checked = SavedPlanSchema.safeParse(parsed);
  if (!checked.success) {
    throw new SavedPlanError(`--plan ${file}: a saved plan, but damaged (${firstProblem(checked.error)}); nothing was written. Make it again with edge-install plan --out ${file}.`);
  }
  return parsed as SavedPlan;
}

/** Why a saved plan no longer matches the current one (empty when it still does). */
export function staleness(saved: PlanDocument, current: PlanDocument): string[] {
  const reasons: string[] = [];
  if (saved.integration !== current.integration) reasons.push(`it is for integration ${saved.integration}, the manifest is for ${current.integration}`);
  for (const d of current.distributions) {
    const before = saved.distributions.find((s) => s.id === d.id);
    if (!before) reasons.push(`it does not cover distribution ${d.id}`);
    else if (before.etag !== d.etag) reasons.push(`distribution ${d.id} changed since the plan was made (ETag ${before.etag} → ${d.etag})`);
    else if (JSON.stringify(before.changes) !== JSON.stringify(d.changes)) reasons.push(`the changes for ${d.id} are no longer the same`);
  }
  for (const s of saved.distributions) if (!current.distributions.some((d) => d.id === s.id)) reasons.push(`it covers distribution ${s.id}, which this run does not`);
  if (JSON.stringify(saved.resources) !== JSON.stringify(current.resources)) reasons.push('the resource changes (functions, secret, role, policies) are no longer the same');
  return reasons;
}
