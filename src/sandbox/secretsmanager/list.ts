/**
 * ListSecrets: filters, order and pages, as Secrets Manager documents them.
 * - Filter keys: name, description, tag-key, tag-value, primary-region, owning-service, all.
 * - Values match by prefix; a value starting with "!" excludes what it matches. Several
 *   values of one filter are alternatives; several filters must all match.
 *   `all` matches any attribute, or any word of one, without regard to case.
 * - Secrets scheduled for deletion are left out unless IncludePlannedDeletion.
 * - Secrets are listed by CreatedDate (SortOrder asc|desc), MaxResults 1–100 per page.
 */
import { AwsError } from '../errors.js';
import type { SecretRecord } from '../world.js';
import { int, str, strings, structures, validation, type Input } from './input.js';

const FILTER_KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const FILTER_VALUE = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;
const SORT_BY = ['created-date', 'last-accessed-date', 'last-changed-date', 'name'] as const;

interface Filter {
  key: FilterKey;
  values: string[];
}

export function readFilters(input: Input): Filter[] {
  return (structures(input, 'Filters') ?? []).map((raw, index) => {
    const key = str(raw, 'Key');
    if (!FILTER_KEYS.includes(key as FilterKey)) {
      throw validation(key ?? '', `filters.${index + 1}.member.key`, `Member must satisfy enum value set: [${FILTER_KEYS.join(', ')}]`);
    }
    const values = strings(raw, 'Values') ?? [];
    if (values.length < 1 || values.length > 10) throw validation(undefined, `filters.${index + 1}.member.values`, 'Member must have length between 1 and 10');
    for (const value of values) {
      if (value.length > 512 || !FILTER_VALUE.test(value)) {
        throw validation(value, `filters.${index + 1}.member.values`, `Member must satisfy regular expression pattern: ${FILTER_VALUE.source}`);
      }
    }
    return { key: key as FilterKey, values };
  });
}

function attributes(secret: SecretRecord, key: FilterKey): string[] {
  switch (key) {
    case 'name':
      return [secret.name];
    case 'description':
      return secret.description ? [secret.description] : [];
    case 'tag-key':
      return secret.tags.map((t) => t.Key);
    case 'tag-value':
      return secret.tags.map((t) => t.Value);
    case 'primary-region':
      return [secret.region];
    case 'owning-service':
      return [];
    case 'all':
      return (['name', 'description', 'tag-key', 'tag-value', 'primary-region'] as const).flatMap((k) => attributes(secret, k));
  }
}

function valueMatches(secret: SecretRecord, key: FilterKey, value: string): boolean {
  if (key !== 'all') return attributes(secret, key).some((attribute) => attribute.startsWith(value));
  const wanted = value.toLowerCase();
  const words = attributes(secret, key).flatMap((attribute) => [attribute, ...attribute.split(/[\s/_+=.@:-]+/)]);
  return words.some((word) => word.toLowerCase().startsWith(wanted));
}

/** One filter: some positive value matches (if any are given) and no "!" value does. */
function filterMatches(secret: SecretRecord, filter: Filter): boolean {
  const positive = filter.values.filter((v) => !v.startsWith('!'));
  const negative = filter.values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  if (negative.some((v) => valueMatches(secret, filter.key, v))) return false;
  return positive.length === 0 || positive.some((v) => valueMatches(secret, filter.key, v));
}

export function applyFilters(secrets: SecretRecord[], filters: Filter[]): SecretRecord[] {
  return secrets.filter((secret) => filters.every((filter) => filterMatches(secret, filter)));
}

export function sortSecrets(secrets: SecretRecord[], input: Input): SecretRecord[] {
  const order = str(input, 'SortOrder') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw validation(order, 'sortOrder', 'Member must satisfy enum value set: [asc, desc]');
  const by = str(input, 'SortBy') ?? 'created-date';
  if (!SORT_BY.includes(by as (typeof SORT_BY)[number])) throw validation(by, 'sortBy', `Member must satisfy enum value set: [${SORT_BY.join(', ')}]`);
  const compare = (a: SecretRecord, b: SecretRecord): number => {
    if (by === 'name') return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    if (by === 'created-date') return a.created - b.created;
    return a.lastChanged - b.lastChanged;
  };
  const sorted = [...secrets].sort(compare);
  return order === 'desc' ? sorted.reverse() : sorted;
}

/** MaxResults 1–100 (default 100); NextToken is where the previous page stopped. */
export function paginate<T>(items: T[], input: Input): { page: T[]; nextToken?: string } {
  const max = int(input, 'MaxResults') ?? 100;
  if (max < 1) throw validation(max, 'maxResults', 'Member must have value greater than or equal to 1');
  if (max > 100) throw validation(max, 'maxResults', 'Member must have value less than or equal to 100');
  const token = str(input, 'NextToken');
  const start = token === undefined ? 0 : decodeToken(token);
  if (start > items.length) throw new AwsError('InvalidNextTokenException', 400, 'The NextToken value is not valid.');
  const end = start + max;
  return end < items.length ? { page: items.slice(start, end), nextToken: encodeToken(end) } : { page: items.slice(start) };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw new AwsError('InvalidNextTokenException', 400, 'The NextToken value is not valid.');
}
