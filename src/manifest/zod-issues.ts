/**
 * zod's issues → ManifestIssues: the same path format as every other check, a message in
 * the manifest's words and a concrete fix (known keys, allowed values, the range).
 */
import { z } from 'zod';
import { DISTRIBUTION_ID, DISTRIBUTION_ID_EXAMPLE } from './distribution-id.js';
import { INTEGRATION_NAME, ManifestSchema, RESOURCE_KEY, SECRET_KEY_NAME } from './schema.js';
import { manifestIssue, type ManifestIssue, type PathSegment } from './errors.js';
import { closest, listOf } from './suggest.js';

type ZodIssue = z.core.$ZodIssue;

/** Friendlier fixes for the schema's patterns, keyed by the pattern as zod reports it. */
const PATTERN_FIXES: Record<string, string> = {
  [String(INTEGRATION_NAME)]: 'use 1-32 lowercase letters, digits or hyphens, e.g. "fp-proxy"',
  [String(RESOURCE_KEY)]: 'use 1-32 lowercase letters, digits or hyphens, e.g. "proxy"',
  [String(SECRET_KEY_NAME)]: 'use letters, digits and _, starting with a letter or _, e.g. "FPJS_PRE_SHARED_SECRET"',
  [String(DISTRIBUTION_ID)]: `copy the distribution id from the CloudFront console, e.g. ${DISTRIBUTION_ID_EXAMPLE}`,
  [String(/^[A-Za-z0-9/_+=.@-]+$/)]: 'use letters, digits and /_+=.@- only, e.g. "edge-install/fp-proxy"',
};

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodPrefault) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

/** The schema that describes the value at `path`, when the path leads anywhere. */
export function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const segment of path) {
    if (!current) return undefined;
    const schema = unwrap(current);
    if (schema instanceof z.ZodObject) current = (schema.shape as Record<string, z.ZodType>)[String(segment)];
    else if (schema instanceof z.ZodRecord) current = schema.valueType as z.ZodType;
    else if (schema instanceof z.ZodArray) current = schema.element as z.ZodType;
    else return undefined;
  }
  return current ? unwrap(current) : undefined;
}

/** The keys an object (or an enum-keyed record such as `triggers`) accepts. */
export function knownKeys(root: z.ZodType, path: readonly PathSegment[]): string[] {
  const schema = schemaAt(root, path);
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape as object);
  if (schema instanceof z.ZodRecord) {
    const keys = unwrap(schema.keyType as z.ZodType);
    if (keys instanceof z.ZodEnum) return (keys.options as unknown[]).map(String);
  }
  return [];
}

function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let current = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

/** A value shown in a message: short, and never a would-be secret value. */
export function shown(value: unknown, path: readonly PathSegment[]): string {
  if (path.length >= 4 && path[0] === 'secret' && path[1] === 'keys' && path[3] === 'value') return '(value hidden)';
  const text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a number' : `a fractional number (${value})`;
  if (typeof value === 'boolean') return 'true/false';
  return typeof value;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list [ … ]',
};
const expectedName = (expected: string): string => EXPECTED[expected] ?? expected;

function rangeText(path: readonly PathSegment[], issue: { minimum?: number | bigint; maximum?: number | bigint }): string | undefined {
  const schema = schemaAt(ManifestSchema, path);
  if (!(schema instanceof z.ZodNumber)) return undefined;
  const min = schema.minValue ?? issue.minimum;
  const max = schema.maxValue ?? issue.maximum;
  if (min !== undefined && max !== undefined && Number.isFinite(Number(min)) && Number.isFinite(Number(max))) return `${min} to ${max}`;
  return undefined;
}

function typeIssue(issue: Extract<ZodIssue, { code: 'invalid_type' }>, path: PathSegment[], value: unknown): ManifestIssue {
  const expected = expectedName(issue.expected);
  const key = path.at(-1);
  if (value === undefined) {
    return manifestIssue(path, `is required`, `add ${typeof key === 'string' ? `"${key}"` : 'it'} (${expected})`);
  }
  if (issue.expected === 'int' && typeof value === 'number') {
    const range = rangeText(path, {});
    return manifestIssue(path, `must be a whole number, not ${value}`, `use a whole number${range ? ` from ${range}` : ''}`);
  }
  let fix = `change it to ${expected}`;
  if ((issue.expected === 'number' || issue.expected === 'int') && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    fix = `write ${value.trim()} without quotes`;
  } else if (issue.expected === 'boolean' && (value === 'true' || value === 'false')) {
    fix = `write ${value} without quotes`;
  } else if (issue.expected === 'array' && typeof value === 'string') {
    fix = `write it as a list: [${JSON.stringify(value)}]`;
  }
  return manifestIssue(path, `must be ${expected}, not ${kindOf(value)}`, fix);
}

function sizeIssue(issue: Extract<ZodIssue, { code: 'too_small' | 'too_big' }>, path: PathSegment[], value: unknown): ManifestIssue {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint': {
      const range = rangeText(path, issue);
      return manifestIssue(
        path,
        range ? `must be from ${range} (got ${shown(value, path)})` : `must be ${small ? 'at least' : 'at most'} ${bound} (got ${shown(value, path)})`,
        range ? `use a value from ${range}` : `use ${bound} or ${small ? 'more' : 'less'}`,
      );
    }
    case 'string': {
      if (small && bound === 1) return manifestIssue(path, 'must not be empty', 'give it a value, or remove the key if it is optional');
      const length = typeof value === 'string' ? value.length : 0;
      return small
        ? manifestIssue(path, `must be at least ${bound} characters (it has ${length})`, `lengthen it to ${bound} characters or more`)
        : manifestIssue(path, `must be at most ${bound} characters (it has ${length})`, `shorten it to ${bound} characters or fewer`);
    }
    case 'array':
    case 'set': {
      const count = Array.isArray(value) ? value.length : 0;
      return small
        ? manifestIssue(path, `must list at least ${bound} item${bound === 1 ? '' : 's'}${count ? ` (it has ${count})` : ''}`, `add ${path.at(-1) === 'behaviors' ? 'a behavior (a pathPattern with triggers)' : `at least ${bound} item${bound === 1 ? '' : 's'}`}`)
        : manifestIssue(path, `must list at most ${bound} items (it has ${count})`, `remove items until at most ${bound} remain`);
    }
    default:
      return manifestIssue(path, `is too ${small ? 'small' : 'big'} (${small ? 'minimum' : 'maximum'} ${bound})`, `use a ${small ? 'larger' : 'smaller'} value`);
  }
}

function formatIssueOf(issue: Extract<ZodIssue, { code: 'invalid_format' }>, path: PathSegment[], value: unknown): ManifestIssue {
  const pattern = 'pattern' in issue && typeof issue.pattern === 'string' ? issue.pattern : undefined;
  const custom = !issue.message.startsWith('Invalid');
  const message = custom ? issue.message : pattern ? `does not match ${pattern}` : `is not a valid ${issue.format}`;
  const fix = (pattern && PATTERN_FIXES[pattern]) ?? (pattern ? `change it to match ${pattern}` : `use a valid ${issue.format}`);
  return manifestIssue(path, `${message} (got ${shown(value, path)})`, fix);
}

function unionIssue(issue: Extract<ZodIssue, { code: 'invalid_union' }>, path: PathSegment[], input: unknown): ManifestIssue[] {
  // A branch that failed deeper down matched the value's type: its issues are the real ones.
  const deeper = issue.errors.find((branch) => branch.some((inner) => inner.path.length > 0));
  if (deeper) return deeper.flatMap((inner) => convert({ ...inner, path: [...path, ...inner.path] } as ZodIssue, input));
  const alternatives: string[] = [];
  for (const branch of issue.errors) {
    for (const inner of branch) {
      if (inner.code === 'invalid_type') alternatives.push(expectedName(inner.expected));
      else if (inner.code === 'invalid_value') alternatives.push(...inner.values.map((v) => JSON.stringify(v)));
    }
  }
  const unique = [...new Set(alternatives)];
  const value = valueAt(input, path);
  const what = unique.length > 1 ? `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}` : (unique[0] ?? 'a different value');
  return [manifestIssue(path, `must be ${what}, not ${value === undefined ? 'missing' : kindOf(value)}`, `change it to ${what}`)];
}

function convert(issue: ZodIssue, input: unknown): ManifestIssue[] {
  const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const value = valueAt(input, path);
  switch (issue.code) {
    case 'invalid_type':
      return [typeIssue(issue, path, value)];
    case 'too_small':
    case 'too_big':
      return [sizeIssue(issue, path, value)];
    case 'invalid_format':
      return [formatIssueOf(issue, path, value)];
    case 'not_multiple_of':
      return [manifestIssue(path, `must be a multiple of ${issue.divisor} (got ${shown(value, path)})`, `use a multiple of ${issue.divisor}`)];
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      return [
        manifestIssue(
          path,
          `must be one of ${listOf(allowed, true)} (got ${shown(value, path)}${guess ? `; did you mean "${guess}"?` : ''})`,
          `use one of: ${listOf(allowed, true)}`,
        ),
      ];
    }
    case 'unrecognized_keys': {
      const known = knownKeys(ManifestSchema, path);
      return issue.keys.map((key) => {
        const guess = closest(key, known);
        return manifestIssue([...path, key], `unknown key${guess ? ` (did you mean "${guess}"?)` : ''}`, `remove it, or check its spelling (known keys: ${listOf(known)})`);
      });
    }
    case 'invalid_key': {
      const key = String(path.at(-1));
      const inner = issue.issues[0];
      const pattern = inner && inner.code === 'invalid_format' && 'pattern' in inner && typeof inner.pattern === 'string' ? inner.pattern : undefined;
      const known = knownKeys(ManifestSchema, path.slice(0, -1));
      const guess = known.length ? closest(key, known) : undefined;
      const reason = inner && !inner.message.startsWith('Invalid') ? inner.message : pattern ? `must match ${pattern}` : 'is not allowed here';
      return [
        manifestIssue(
          path,
          `the key "${key}" ${reason}${guess ? ` (did you mean "${guess}"?)` : ''}`,
          known.length ? `use one of: ${listOf(known)}` : `rename it: ${(pattern && PATTERN_FIXES[pattern]) ?? 'see the message for the allowed form'}`,
        ),
      ];
    }
    case 'invalid_union':
      return unionIssue(issue, path, input);
    case 'invalid_element':
      return issue.issues.flatMap((inner) => convert({ ...inner, path: [...path, ...inner.path] } as ZodIssue, input));
    default: {
      // A refinement carries its own fix (schema.ts: `params: { fix }`).
      const fix = issue.code === 'custom' && typeof issue.params?.fix === 'string' ? issue.params.fix : 'correct the value (see the manifest reference in RECIPES.md)';
      return [manifestIssue(path, issue.message, fix)];
    }
  }
}

/** Converts zod's issues for `input` (the value zod parsed) into ManifestIssues, in zod's order. */
export function fromZodIssues(issues: readonly ZodIssue[], input: unknown): ManifestIssue[] {
  return issues.flatMap((issue) => convert(issue, input));
}

