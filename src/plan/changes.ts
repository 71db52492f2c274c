/**
 * PURE: the vocabulary of a plan — one change to one addressed thing — and the counts a plan's
 * summary gives. Every command's plan (attach, rollback, detach, gc) is made of these.
 */
import type { Address } from './addresses.js';

export type Action = 'create' | 'update' | 'delete';

export interface Change {
  action: Action;
  address: Address;
  /** For behaviors: the index in CacheBehaviors after the change. */
  position?: number;
  /** Owned values only (what is replaced, removed or put back); never a whole config. */
  before?: unknown;
  after?: unknown;
  /** A foreign Lambda@Edge ARN this change replaces (--replace-foreign). */
  replacedForeign?: string;
  /** Why a resource changes, in words (function code or settings). */
  reasons?: string[];
}

export interface Summary {
  create: number;
  update: number;
  delete: number;
}

export function summarize(changes: readonly Change[]): Summary {
  const count = (action: Action) => changes.filter((c) => c.action === action).length;
  return { create: count('create'), update: count('update'), delete: count('delete') };
}
