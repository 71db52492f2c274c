/**
 * `${secret.name}`, `${secret.region}` and `${values.<key>}` in the strings of a manifest.
 *
 * Interpolation runs on the raw JSON, before zod: every check (zod's formats, path pattern
 * characters, header values, …) then sees the value that will be deployed, and the JSON
 * Schema describes the file as written. So `${secret.region}` falls back to the schema's
 * default region when the secret names none.
 *
 * - Every string value is interpolated except `$schema` and the strings inside `values`
 *   (answers are literal, so references never chain). `secret.name` and `secret.region`
 *   may use `${values.*}` only. Object keys are never interpolated.
 * - Numbers and booleans from `values` become strings (`${values.port}` → "8443"): a
 *   reference always produces text, even when it is the whole string.
 * - `$${` writes a literal `${`.
 * - Secret keys are never interpolated. A sensitive one can never be (it would end up in a
 *   bundle, a plan or a log); a non-sensitive one is referenced through `${values.*}`.
 * - A string with a bad reference is left as written and reported; later checks do not
 *   report that place again.
 */
import { SecretSchema } from './schema.js';
import { manifestIssue, type ManifestIssue, type PathSegment } from './errors.js';
import { closest, listOf } from './suggest.js';

type Scalar = string | number | boolean;

export interface InterpolationContext {
  /** Absent when the manifest has no secret section. */
  secret?: {
    name: string | undefined;
    region: string;
    /** Secret key name → whether it is sensitive. */
    keys: Record<string, boolean>;
    /** Secret key name → the `${values.x}` its value is written as, to point at in a fix. */
    valueRefs: Record<string, string>;
  };
  values: Record<string, Scalar>;
  /** `values` entries that exist but are not a string, number or boolean. */
  badValues: Set<string>;
}

export interface InterpolationResult {
  /** The manifest with references replaced (a deep copy; the input is not modified). */
  value: unknown;
  issues: ManifestIssue[];
}

const DEFAULT_SECRET_REGION: string = SecretSchema.shape.region.parse(undefined);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The references a manifest offers, read leniently from the raw JSON (zod has not run yet). */
export function interpolationContext(raw: unknown): InterpolationContext {
  const root = isRecord(raw) ? raw : {};
  const values: Record<string, Scalar> = {};
  const badValues = new Set<string>();
  if (isRecord(root.values)) {
    for (const [key, value] of Object.entries(root.values)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[key] = value;
      else badValues.add(key);
    }
  }
  const context: InterpolationContext = { values, badValues };
  if (isRecord(root.secret)) {
    const secret = root.secret;
    const keys: Record<string, boolean> = {};
    const valueRefs: Record<string, string> = {};
    for (const [key, spec] of Object.entries(isRecord(secret.keys) ? secret.keys : {})) {
      keys[key] = isRecord(spec) && spec.sensitive === true;
      const exact = isRecord(spec) && typeof spec.value === 'string' ? /^\$\{\s*(values\.[^}]+?)\s*\}$/.exec(spec.value) : null;
      if (exact) valueRefs[key] = exact[1]!;
    }
    // The secret's own name and region may use ${values.*}: resolve them with values only.
    const own = { values, badValues };
    const name = typeof secret.name === 'string' ? interpolateString(secret.name, own, ['secret', 'name']) : undefined;
    const region = typeof secret.region === 'string' ? interpolateString(secret.region, own, ['secret', 'region']) : undefined;
    context.secret = {
      name: name && name.issues.length === 0 ? name.value : typeof secret.name === 'string' ? secret.name : undefined,
      region: region && region.issues.length === 0 ? region.value : typeof secret.region === 'string' ? secret.region : DEFAULT_SECRET_REGION,
      keys,
      valueRefs,
    };
  }
  return context;
}

/** Every reference a manifest can use, for "known references" lists. */
export function knownReferences(context: InterpolationContext): string[] {
  return [...(context.secret ? ['secret.name', 'secret.region'] : []), ...Object.keys(context.values).map((key) => `values.${key}`)];
}

const reference = (expression: string): string => `\${${expression}}`;

/** Resolves one `${…}` expression, or explains why it cannot be. */
function resolve(expression: string, context: InterpolationContext, path: PathSegment[]): { value: string } | { issue: ManifestIssue } {
  const fail = (message: string, fix: string) => ({ issue: manifestIssue(path, message, fix) });
  const known = knownReferences(context);
  const knownList = listOf(known.map(reference));

  if (expression.startsWith('values.')) {
    const key = expression.slice('values.'.length);
    if (Object.hasOwn(context.values, key)) return { value: String(context.values[key]) };
    if (context.badValues.has(key)) {
      return fail(`${reference(expression)} cannot be interpolated: values.${key} is not a string, number or boolean`, `make values.${key} a string, number or boolean`);
    }
    const guess = closest(key, Object.keys(context.values));
    return fail(
      `${reference(expression)} names no entry of values${guess ? ` (did you mean ${reference(`values.${guess}`)}?)` : ''}`,
      `add "${key}" to values, or use one of: ${knownList}`,
    );
  }

  if (expression === 'secret.name' || expression === 'secret.region') {
    if (path.length === 2 && path[0] === 'secret') {
      return fail(`the secret's own ${String(path[1])} cannot reference ${reference(expression)}`, 'write the value, or use ${values.*}');
    }
    if (!context.secret) return fail(`${reference(expression)} is used but the manifest has no secret`, 'add a secret section, or remove the reference');
    const value = expression === 'secret.name' ? context.secret.name : context.secret.region;
    if (value === undefined) return fail(`${reference(expression)} is used but the secret has no name`, 'give the secret a name');
    return { value };
  }

  if (expression.startsWith('secret.')) {
    const rest = expression.slice('secret.'.length);
    const key = rest.startsWith('keys.') ? rest.slice('keys.'.length) : rest;
    const keys = context.secret?.keys ?? {};
    if (Object.hasOwn(keys, key)) {
      if (keys[key]) {
        return fail(
          `${reference(expression)} refers to the sensitive secret key ${key}: sensitive values can never be interpolated`,
          `remove the reference; a handler reads ${key} from the secret at run time, and the manifest only holds ${reference('secret.name')} / ${reference('secret.region')}`,
        );
      }
      const via = context.secret?.valueRefs[key];
      return fail(
        `${reference(expression)}: secret keys cannot be interpolated (only ${reference('secret.name')}, ${reference('secret.region')} and ${reference('values.*')} can)`,
        via ? `use ${reference(via)}, which secret.keys.${key}.value is written as` : `put the value in values (e.g. values.${key}) and reference ${reference(`values.${key}`)} here and in secret.keys.${key}.value`,
      );
    }
  }

  const guess = closest(expression, known);
  return fail(
    `unknown reference ${reference(expression)}${guess ? ` (did you mean ${reference(guess)}?)` : ''}`,
    `use one of: ${knownList}; write $\${ for a literal \${`,
  );
}

/** Interpolates one string; `path` is where it sits, for issues. */
export function interpolateString(text: string, context: InterpolationContext, path: PathSegment[]): { value: string; issues: ManifestIssue[] } {
  const issues: ManifestIssue[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    if (text.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const end = text.indexOf('}', dollar + 2);
    if (end === -1) {
      issues.push(manifestIssue(path, `unterminated reference "${text.slice(dollar)}"`, 'close it with }, or write $${ for a literal ${'));
      break;
    }
    const result = resolve(text.slice(dollar + 2, end).trim(), context, path);
    if ('issue' in result) issues.push(result.issue);
    else out += result.value;
    i = end + 1;
  }
  return { value: issues.length ? text : out, issues };
}

/** Interpolates every string of a raw manifest (see the module comment for what is skipped). */
export function interpolateManifest(raw: unknown): InterpolationResult {
  const context = interpolationContext(raw);
  const issues: ManifestIssue[] = [];
  const ownContext: InterpolationContext = { values: context.values, badValues: context.badValues };

  const walk = (value: unknown, path: PathSegment[]): unknown => {
    if (typeof value === 'string') {
      const isSecretOwn = path.length === 2 && path[0] === 'secret' && (path[1] === 'name' || path[1] === 'region');
      const result = interpolateString(value, isSecretOwn ? ownContext : context, path);
      issues.push(...result.issues);
      return result.value;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const literal = path.length === 0 && (key === '$schema' || key === 'values');
        // defineProperty: a key named __proto__ stays an ordinary key, as JSON.parse made it.
        Object.defineProperty(out, key, { value: literal ? structuredClone(item) : walk(item, [...path, key]), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return value;
  };

  return { value: walk(raw, []), issues };
}
