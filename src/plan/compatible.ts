/**
 * PURE: terraform's apply-time rule. At write time the distribution is planned again, with
 * the real versions and policy ids; what is written must be the change the user approved,
 * except where the approved plan held a value not known until apply (unknown.ts). Anything
 * else that differs — a change that appeared or vanished, another action, another value — is
 * refused as a conflict: the user never approved it.
 */
import { formatAddress } from './addresses.js';
import type { Change } from './changes.js';
import { containsUnknown, isUnknown } from './unknown.js';
import { normalizeValue, sameValue } from './values.js';

/** `actual` is `approved` with each unknown value replaced by some known one. */
function refines(approved: unknown, actual: unknown): boolean {
  const a = normalizeValue(approved);
  const b = normalizeValue(actual);
  // The version this run published, of that function; the id of the policy it created.
  if (isUnknown(a)) return typeof b === 'string' && b !== '' && (a.$unknown !== 'version' || b.startsWith(`${a.functionArn}:`));
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => refines(item, b[i]));
  if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => refines((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return sameValue(a, b);
}

const keyOf = (c: Change) => `${c.address.kind} ${formatAddress(c.address)}`;

export interface CompatibilityOptions {
  /**
   * After a concurrent writer's change was merged (PreconditionFailed, re-read), behaviors it
   * added or removed may shift positions; the approved change is the same otherwise.
   */
  ignorePositions?: boolean;
}

/** How `actual` differs from what was approved, in words (empty: it is the approved change). */
export function incompatibilities(approved: readonly Change[], actual: readonly Change[], options: CompatibilityOptions = {}): string[] {
  const out: string[] = [];
  const remaining = new Map(actual.map((c) => [keyOf(c), c]));
  for (const want of approved) {
    const key = keyOf(want);
    const got = remaining.get(key);
    remaining.delete(key);
    const where = formatAddress(want.address);
    if (!got) {
      // An update to a value not known at plan time that turned out to be the value already
      // there (e.g. a version published earlier with the same code): nothing left to write.
      if (!(want.action === 'update' && containsUnknown(want.after))) out.push(`${want.action} ${where} is no longer part of the change`);
      continue;
    }
    if (got.action !== want.action) out.push(`${where} would be a ${got.action}, not the approved ${want.action}`);
    else if (!refines(want.before, got.before)) out.push(`${where} is no longer what the plan saw`);
    else if (!refines(want.after, got.after)) out.push(`${where} would be set to something other than was approved`);
    else if (!options.ignorePositions && want.position !== got.position) out.push(`${where} would go at position ${got.position ?? 'none'}, not ${want.position ?? 'none'}`);
    else if (want.replacedForeign !== got.replacedForeign) out.push(`${where} would replace another function than was approved`);
  }
  for (const extra of remaining.values()) out.push(`${extra.action} ${formatAddress(extra.address)} was not in the approved plan`);
  return out;
}
