/**
 * PURE: which Lambda functions are the integration's — the one rule every command uses (plan,
 * attach, status, rollback, detach, gc). A function is the integration's when the manifest
 * names it now, or when any revision of the integration (on any distribution) recorded it: as
 * a version it attached, or as a trigger it owned before or after a change. So renaming a
 * function key, or a rollback to a version of a function the manifest has since dropped, never
 * turns the integration's own function into a "foreign" one. (Names alone never make a
 * resource deletable: detach and gc also require the owner tag.)
 */
import type { Manifest } from '../manifest/schema.js';
import { functionName } from '../manifest/naming.js';
import { functionNameOfArn } from './cloudfront-values.js';
import type { Revision } from './revision.js';

export function ownedFunctionNames(manifest: Pick<Manifest, 'name' | 'functions'>, revisions: readonly Revision[]): string[] {
  const names = new Set(Object.keys(manifest.functions).map((key) => functionName(manifest.name, key)));
  for (const r of revisions) {
    if (r.integration !== manifest.name) continue;
    for (const f of r.functions ?? []) names.add(f.name);
    for (const a of [...(r.ownedBefore?.associations ?? []), ...(r.ownedAfter?.associations ?? [])]) {
      const name = functionNameOfArn(a.arn);
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}
