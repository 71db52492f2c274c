/**
 * PURE: values that are not known until apply — terraform's "(known after apply)". A plan made
 * before a function version is published, or before a cache policy is created, holds one of
 * these where the ARN or id will go. They are a type of their own (not a string that looks
 * special), so a foreign value such as "Shop (new site)" can never pass for one, and so the
 * apply step can check that what it writes holds none and that, apart from these, it writes
 * exactly what was approved (compatible.ts).
 */

export type Unknown =
  /** The version this apply publishes of a function (its unqualified ARN is known). */
  | { readonly $unknown: 'version'; readonly function: string; readonly functionArn: string }
  /** The id of a cache policy this apply creates. */
  | { readonly $unknown: 'cache-policy'; readonly name: string };

export const unknownVersion = (functionName: string, functionArn: string): Unknown => ({ $unknown: 'version', function: functionName, functionArn });

export const unknownCachePolicyId = (name: string): Unknown => ({ $unknown: 'cache-policy', name });

export function isUnknown(value: unknown): value is Unknown {
  return !!value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { $unknown?: unknown }).$unknown === 'string';
}

/** Whether an unknown value sits anywhere in `value`. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === 'object') return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * The planner works on the SDK's config types, whose slots are strings: an unknown value goes
 * into such a slot through this one cast, and nowhere else. containsUnknown finds it again.
 */
export function asSlot(value: string | Unknown): string {
  return value as string;
}
