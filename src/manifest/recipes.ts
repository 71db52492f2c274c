/**
 * Recipes (templates/recipes/*.json): questions, and a manifest template that the answers
 * expand into an `edge-install.json`. The template vocabulary is small on purpose:
 * - `${answers.x}` is replaced when the recipe is expanded (names, derived values);
 *   `${values.x}` and `${secret.*}` stay in the manifest and are interpolated when it is loaded,
 *   so the user can change a value in one place later;
 * - an object or array item with `"$if": "x"` / `"$unless": "x"` is kept only when answer x is
 *   true / false;
 * - `{ "$each": "x", "$value": v }` is an object with one member per item of the list answer x
 *   (the custom recipe's secret keys), each v;
 * - `derived` values: `{ "from": "x", "sliceFrom": n }` (PX12345678 → 12345678) or
 *   `{ "from": "x", "map": { … }, "otherwise": … }` where `${answer}` is the answer itself.
 *   A derived value the template uses as `${values.x}` is kept in the manifest's values, and
 *   loading the manifest checks it still agrees with the value it comes from
 *   ({@link staleDerivedValues}): change `values.appId` and forget the first-party path, and
 *   the error says what it must become.
 * Secret questions are never part of the manifest: their answers go to the secret only.
 * `values` holds only what the manifest refers to as `${values.x}`: an answer that shaped the
 * manifest when it was expanded (a trigger's event, whether a function exists) is not kept
 * there, where changing it would change nothing; it is changed where it landed.
 * Random defaults (`{ "random": n }`: the proxy's paths, which the vendor issues) are drawn only
 * when asked (`init --generate-paths`); otherwise such a question has no default.
 *
 * PURE: the recipe files are read by recipe-files.ts; random defaults take the random bytes as
 * an argument.
 */
import { UsageError } from '../errors.js';
import type { ManifestInput } from './schema.js';

export type Answer = string | boolean;
export type Answers = Record<string, Answer>;

export interface RecipeQuestion {
  key: string;
  /** `list`: names separated by commas (or spaces), each matching `pattern`; may be empty. */
  type?: 'text' | 'choice' | 'boolean' | 'secret' | 'list';
  message: string;
  default?: Answer | { random: number };
  choices?: string[];
  pattern?: string;
  hint?: string;
}

type Derivation =
  | { from: string; sliceFrom: number }
  | { from: string; map: Record<string, unknown>; otherwise: unknown };

export interface Recipe {
  name: string;
  description: string;
  questions: RecipeQuestion[];
  derived?: Record<string, Derivation>;
  manifest: Record<string, unknown>;
}

/** A recipe that cannot be used (bad input, CLI.md): exit code 2. */
export class RecipeError extends UsageError {}

/** Random bytes for random defaults (node:crypto's randomBytes, or fixed ones in tests). */
export type RandomBytes = (n: number) => Buffer;

/**
 * Where `init` points `$schema` when the project has no edge-install installed to point at: the
 * schema file the package ships, as `npm install -D edge-install` puts it next to the manifest.
 */
export const SCHEMA_POINTER = './node_modules/edge-install/edge-install.schema.json';

/** The items of a list answer: `A, B C` → [A, B, C]. */
export function listItems(value: Answer | undefined): string[] {
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}

/** An answer as it is kept: text trimmed, a list as `A,B`. */
export function normalizeAnswer(question: RecipeQuestion, value: Answer): Answer {
  if (typeof value !== 'string') return value;
  return question.type === 'list' ? listItems(value).join(',') : value.trim();
}

/** A random default (drawn only when asked for: the vendor issues these values). */
export function isGeneratedDefault(question: RecipeQuestion): boolean {
  return question.default !== undefined && typeof question.default === 'object';
}

/** URL-safe random path segments, as the vendor's support would issue them. */
export function randomSegment(length: number, bytes: RandomBytes): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...bytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Why an answer is not acceptable, or undefined. Used by prompts and by --set alike. */
export function checkAnswer(question: RecipeQuestion, value: Answer): string | undefined {
  if (question.type === 'boolean') return typeof value === 'boolean' ? undefined : 'answer true or false';
  if (typeof value !== 'string') return 'expected text';
  if (question.type === 'choice' && !question.choices!.includes(value)) return `choose one of: ${question.choices!.join(', ')}`;
  if (question.type === 'list') {
    const items = listItems(value);
    const bad = items.find((item) => question.pattern && !new RegExp(question.pattern).test(item));
    if (bad !== undefined) return `${JSON.stringify(bad)}: ${question.hint ?? `each must match ${question.pattern}`}`;
    const twice = items.find((item, i) => items.findIndex((other) => other.toLowerCase() === item.toLowerCase()) !== i);
    if (twice !== undefined) return `${twice} is listed twice (names are compared without case)`;
    return undefined;
  }
  if (question.pattern && !new RegExp(question.pattern).test(value)) return question.hint ?? `must match ${question.pattern}`;
  return undefined;
}

/** A question's default (random ones drawn now, when `bytes` are given), or undefined when it has none. */
export function defaultAnswer(question: RecipeQuestion, bytes: RandomBytes | undefined): Answer | undefined {
  const d = question.default;
  if (d !== undefined && typeof d === 'object') return bytes ? randomSegment(d.random, bytes) : undefined;
  return d;
}

function derive(derivation: Derivation, answers: Answers): unknown {
  const answer = answers[derivation.from];
  if ('sliceFrom' in derivation) return String(answer).slice(derivation.sliceFrom);
  const key = String(answer);
  const picked = Object.hasOwn(derivation.map, key) ? derivation.map[key] : derivation.otherwise;
  return typeof picked === 'string' ? picked.replace(/\$\{answer\}/g, key) : picked;
}

function substitute(text: string, answers: Record<string, unknown>): string {
  return text.replace(/\$\{answers\.([A-Za-z0-9_]+)\}/g, (_match, key: string) => {
    if (!(key in answers)) throw new RecipeError(`The recipe refers to answers.${key}, which no question or derivation provides.`);
    return String(answers[key]);
  });
}

function kept(node: Record<string, unknown>, answers: Record<string, unknown>): boolean {
  if (typeof node.$if === 'string' && answers[node.$if] !== true) return false;
  if (typeof node.$unless === 'string' && answers[node.$unless] === true) return false;
  return true;
}

function expandNode(node: unknown, answers: Record<string, unknown>): unknown {
  if (typeof node === 'string') return substitute(node, answers);
  if (node && typeof node === 'object' && !Array.isArray(node) && typeof (node as Record<string, unknown>).$each === 'string') {
    const { $each, $value } = node as { $each: string; $value: unknown };
    if (!($each in answers)) throw new RecipeError(`The recipe's $each refers to answers.${$each}, which no question provides.`);
    return Object.fromEntries(listItems(answers[$each] as Answer).map((item) => [item, expandNode($value, answers)]));
  }
  if (Array.isArray(node)) {
    return node.filter((item) => !(item && typeof item === 'object' && !Array.isArray(item)) || kept(item as Record<string, unknown>, answers)).map((item) => expandNode(item, answers));
  }
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$if' || key === '$unless') continue;
      if (value && typeof value === 'object' && !Array.isArray(value) && !kept(value as Record<string, unknown>, answers)) continue;
      out[substitute(key, answers)] = expandNode(value, answers);
    }
    return out;
  }
  return node;
}

/**
 * The manifest a recipe expands to. `answers` must hold every non-secret question's answer
 * (see resolveAnswers); secret answers, if present, are ignored.
 */
export function expandRecipe(recipe: Recipe, answers: Answers, distributions: string[] = [], schema: string = SCHEMA_POINTER): ManifestInput {
  const plain: Answers = {};
  for (const question of recipe.questions) {
    if (question.type === 'secret') continue;
    const answer = answers[question.key];
    if (answer === undefined) throw new RecipeError(`The recipe ${recipe.name} needs an answer for ${question.key}.`);
    plain[question.key] = answer;
  }
  const derived = Object.fromEntries(Object.entries(recipe.derived ?? {}).map(([key, d]) => [key, derive(d, plain)]));
  const all = { ...plain, ...derived };
  const manifest = expandNode(recipe.manifest, all) as Record<string, unknown>;
  const inValues = valuesReferenced(recipe);
  const values = Object.fromEntries(Object.entries({ ...plain, ...derived }).filter(([key]) => key !== 'name' && inValues.has(key)));
  return {
    $schema: schema,
    ...manifest,
    distributions,
    values,
  } as unknown as ManifestInput;
}

/**
 * Fills in every non-secret answer: given ones are checked, missing ones take their default
 * (random ones only with `bytes`: without them such a question is missing).
 * Returns the questions still unanswered (no answer, no default) so the caller can prompt,
 * or name the --set flag in non-interactive mode.
 */
export function resolveAnswers(recipe: Recipe, given: Answers, bytes?: RandomBytes): { answers: Answers; missing: RecipeQuestion[]; invalid: { question: RecipeQuestion; reason: string }[] } {
  const answers: Answers = {};
  const missing: RecipeQuestion[] = [];
  const invalid: { question: RecipeQuestion; reason: string }[] = [];
  for (const question of recipe.questions) {
    if (question.type === 'secret') continue;
    let value = given[question.key] ?? defaultAnswer(question, bytes);
    if (value !== undefined) value = normalizeAnswer(question, value);
    // --set gives text; a yes/no question takes true/false.
    if (question.type === 'boolean' && (value === 'true' || value === 'false')) value = value === 'true';
    if (value === undefined) {
      missing.push(question);
      continue;
    }
    const reason = checkAnswer(question, value);
    if (reason) invalid.push({ question, reason });
    else answers[question.key] = value;
  }
  return { answers, missing, invalid };
}

/** The `${values.x}` keys a recipe's manifest template refers to. */
function valuesReferenced(recipe: Recipe): Set<string> {
  return new Set([...JSON.stringify(recipe.manifest).matchAll(/\$\{values\.([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!));
}

/** Derived values kept in a manifest's values that no longer agree with the value they come from. */
export function staleDerivedValues(recipe: Recipe, values: Record<string, unknown>): { key: string; from: string; expected: string }[] {
  const stale: { key: string; from: string; expected: string }[] = [];
  for (const [key, derivation] of Object.entries(recipe.derived ?? {})) {
    if (!(key in values) || !(derivation.from in values)) continue;
    const expected = String(derive(derivation, { [derivation.from]: values[derivation.from] as Answer }));
    if (String(values[key]) !== expected) stale.push({ key, from: derivation.from, expected });
  }
  return stale;
}

export function secretQuestions(recipe: Recipe): RecipeQuestion[] {
  return recipe.questions.filter((q) => q.type === 'secret');
}
