/** What CloudFront checks on CreateCachePolicy / UpdateCachePolicy. */
import { AwsError } from '../errors.js';
import type { PolicyRecord, Quotas } from '../world.js';
import { at, bool, items, num, text, type XmlNode } from '../xml.js';

const invalid = (message: string): AwsError => new AwsError('InvalidArgument', 400, message);

export function checkPolicyName(config: XmlNode): string {
  const name = text(config, 'Name') ?? '';
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(name)) throw invalid(`The parameter Name is invalid: '${name}'. Use 1-128 letters, digits, hyphens and underscores.`);
  return name;
}

/** Names are unique per account among custom policies. */
export function checkNameIsFree(policies: PolicyRecord[], name: string, exceptId?: string): void {
  if (policies.some((p) => p.type === 'custom' && p.id !== exceptId && text(p.config, 'Name') === name)) {
    throw new AwsError('CachePolicyAlreadyExists', 409, `A cache policy with this name already exists. You must provide a unique name. To modify an existing cache policy, use UpdateCachePolicy. (${name})`);
  }
}

export function checkCustomPolicyQuota(policies: PolicyRecord[], quotas: Quotas): void {
  if (policies.filter((p) => p.type === 'custom').length >= quotas.customCachePoliciesPerAccount) {
    throw new AwsError('TooManyCachePolicies', 400, `You have reached the maximum number of cache policies for this AWS account (${quotas.customCachePoliciesPerAccount}).`);
  }
}

/** MinTTL ≤ DefaultTTL ≤ MaxTTL. */
export function checkTtls(config: XmlNode): void {
  const min = num(config, 'MinTTL');
  const def = num(config, 'DefaultTTL') ?? 86400;
  const max = num(config, 'MaxTTL') ?? 31536000;
  if (min === undefined || min < 0) throw invalid('The parameter MinTTL is required and must not be negative.');
  if (!(min <= def && def <= max)) throw invalid(`The TTLs must satisfy MinTTL <= DefaultTTL <= MaxTTL (got ${min}, ${def}, ${max}).`);
}

const KEY_PARTS = [
  { config: 'HeadersConfig', behavior: 'HeaderBehavior', list: 'Headers', allowed: ['none', 'whitelist'], tooMany: 'TooManyHeadersInCachePolicy' },
  { config: 'CookiesConfig', behavior: 'CookieBehavior', list: 'Cookies', allowed: ['none', 'whitelist', 'allExcept', 'all'], tooMany: 'TooManyCookiesInCachePolicy' },
  { config: 'QueryStringsConfig', behavior: 'QueryStringBehavior', list: 'QueryStrings', allowed: ['none', 'whitelist', 'allExcept', 'all'], tooMany: 'TooManyQueryStringsInCachePolicy' },
] as const;

export const MAX_KEY_NAMES = 10;

/** Behaviors are known values, a whitelist names something, and at most 10 names of each kind. */
export function checkCacheKey(config: XmlNode): void {
  const parameters = at(config, 'ParametersInCacheKeyAndForwardedToOrigin');
  if (!parameters) throw new AwsError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema: ParametersInCacheKeyAndForwardedToOrigin is required.');
  for (const part of KEY_PARTS) {
    const behavior = text(parameters, part.config, part.behavior) ?? '';
    if (!(part.allowed as readonly string[]).includes(behavior)) throw invalid(`The parameter ${part.behavior} is invalid: '${behavior}'.`);
    const names = items(parameters, part.config, part.list);
    if (names.length > MAX_KEY_NAMES) {
      throw new AwsError(part.tooMany, 400, `Your policy contains more ${part.list} than allowed (${names.length}; the limit is ${MAX_KEY_NAMES}).`);
    }
    if ((behavior === 'whitelist' || behavior === 'allExcept') && names.length === 0) {
      throw invalid(`The parameter ${part.list} must name at least one value when ${part.behavior} is ${behavior}.`);
    }
  }
}

/** With MaxTTL 0 nothing is cached, so nothing may be added to the cache key, compression included. */
export function checkCachingDisabled(config: XmlNode): void {
  if (num(config, 'MaxTTL') !== 0) return;
  const parameters = at(config, 'ParametersInCacheKeyAndForwardedToOrigin');
  for (const part of KEY_PARTS) {
    if ((text(parameters, part.config, part.behavior) ?? 'none') !== 'none') {
      throw invalid(`The parameter ${part.behavior} is invalid for policy with caching disabled.`);
    }
  }
  for (const flag of ['EnableAcceptEncodingGzip', 'EnableAcceptEncodingBrotli']) {
    if (bool(parameters, flag)) throw invalid(`The parameter ${flag} is invalid for policy with caching disabled.`);
  }
}
