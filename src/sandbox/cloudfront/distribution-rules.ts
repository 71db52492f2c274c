/**
 * What CloudFront checks on every CreateDistribution / UpdateDistribution, one plain function
 * per rule, with the error code, status and wording CloudFront uses. The config is the XML
 * tree the client sent; nothing here modifies it.
 */
import { AwsError } from '../errors.js';
import type { PolicyRecord, Quotas } from '../world.js';
import { at, child, items, num, text, walk, type XmlNode } from '../xml.js';

const invalid = (message: string): AwsError => new AwsError('InvalidArgument', 400, message);

/** "The value of Quantity and the size of Items don't match" — for every {Quantity, Items} list. */
export function checkQuantities(root: XmlNode): void {
  for (const [node] of walk(root)) {
    const quantity = child(node, 'Quantity');
    if (!quantity || quantity.children.length) continue;
    const declared = Number(quantity.text);
    const actual = child(node, 'Items')?.children.length ?? 0;
    if (!Number.isInteger(declared) || declared !== actual) {
      throw new AwsError('InconsistentQuantities', 400, `The value of Quantity and the size of Items don't match (${node.name}: Quantity ${quantity.text}, Items ${actual}).`);
    }
  }
}

const REQUIRED_MEMBERS = ['CallerReference', 'Origins', 'DefaultCacheBehavior', 'Comment', 'Enabled'];

export function checkRequiredMembers(config: XmlNode): void {
  for (const name of REQUIRED_MEMBERS) {
    if (!child(config, name)) {
      throw new AwsError('MalformedXML', 400, `The XML you provided was not well-formed or did not validate against our published schema: DistributionConfig is missing the required element ${name}.`);
    }
  }
}

// ---- origins ----------------------------------------------------------------------------

export function checkOriginCount(config: XmlNode, quotas: Quotas): void {
  const origins = items(config, 'Origins');
  if (origins.length === 0) throw invalid('The parameter Origins must contain at least one origin.');
  if (origins.length > quotas.originsPerDistribution) {
    throw new AwsError('TooManyOrigins', 400, `You cannot create more origins for the distribution. The limit is ${quotas.originsPerDistribution}.`);
  }
  const seen = new Set<string>();
  for (const origin of origins) {
    const id = text(origin, 'Id') ?? '';
    if (!id) throw invalid('The parameter Origin Id cannot be empty.');
    if (!text(origin, 'DomainName')) throw invalid(`The parameter origin DomainName cannot be empty (origin ${id}).`);
    if (seen.has(id)) throw invalid(`The parameter Origin Id must be unique: ${id} appears twice.`);
    seen.add(id);
  }
}

/**
 * Headers CloudFront will not let an origin custom header set (AWS: "Custom headers that
 * CloudFront can't add to origin requests"), plus the X-Amz- and X-Edge- prefixes.
 */
const FORBIDDEN_ORIGIN_HEADERS = new Set(
  [
    'Cache-Control', 'Connection', 'Content-Length', 'Cookie', 'Host', 'If-Match', 'If-Modified-Since',
    'If-None-Match', 'If-Range', 'If-Unmodified-Since', 'Max-Forwards', 'Pragma', 'Proxy-Authorization',
    'Proxy-Connection', 'Range', 'Request-Range', 'TE', 'Trailer', 'Transfer-Encoding', 'Upgrade', 'Via',
    'X-Real-Ip', 'X-Forwarded-Proto',
  ].map((h) => h.toLowerCase()),
);

export function isForbiddenOriginHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return FORBIDDEN_ORIGIN_HEADERS.has(lower) || lower.startsWith('x-amz-') || lower.startsWith('x-edge-');
}

export function checkOriginCustomHeaders(origin: XmlNode, quotas: Quotas): void {
  const headers = items(origin, 'CustomHeaders');
  if (headers.length > quotas.customHeadersPerOrigin) {
    throw new AwsError('TooManyOriginCustomHeaders', 400, `Your request contains too many origin custom headers (${headers.length}; the limit is ${quotas.customHeadersPerOrigin}).`);
  }
  for (const header of headers) {
    const name = text(header, 'HeaderName') ?? '';
    if (isForbiddenOriginHeader(name)) throw invalid(`The parameter HeaderName : ${name} is not allowed.`);
  }
}

const PROTOCOL_POLICIES = ['http-only', 'match-viewer', 'https-only'];

export function checkCustomOriginConfig(origin: XmlNode): void {
  const custom = child(origin, 'CustomOriginConfig');
  if (!custom) return;
  for (const port of ['HTTPPort', 'HTTPSPort']) {
    const value = num(custom, port);
    if (value === undefined || !(value === 80 || value === 443 || (value >= 1024 && value <= 65535))) {
      throw invalid(`The parameter ${port} is invalid: ${text(custom, port)}. Allowed: 80, 443, 1024-65535.`);
    }
  }
  const policy = text(custom, 'OriginProtocolPolicy') ?? '';
  if (!PROTOCOL_POLICIES.includes(policy)) throw invalid(`The parameter OriginProtocolPolicy is invalid: ${policy}.`);
  const read = num(custom, 'OriginReadTimeout');
  if (read !== undefined && !(read >= 1 && read <= 120)) {
    throw new AwsError('InvalidOriginReadTimeout', 400, `The read timeout specified for the origin is not valid: ${read}. It must be from 1 to 120 seconds.`);
  }
  const keepalive = num(custom, 'OriginKeepaliveTimeout');
  if (keepalive !== undefined && !(keepalive >= 1 && keepalive <= 120)) {
    throw new AwsError('InvalidOriginKeepaliveTimeout', 400, `The keep alive timeout specified for the origin is not valid: ${keepalive}. It must be from 1 to 120 seconds.`);
  }
}

/** Origin group members must be origins of this distribution. */
export function checkOriginGroups(config: XmlNode, originIds: Set<string>): void {
  for (const group of items(config, 'OriginGroups')) {
    for (const member of items(group, 'Members')) {
      const id = text(member, 'OriginId') ?? '';
      if (!originIds.has(id)) throw new AwsError('NoSuchOrigin', 404, `One or more of your origins or origin groups do not exist (origin group ${text(group, 'Id')} names ${id}).`);
    }
  }
}

// ---- cache behaviors --------------------------------------------------------------------

export function allBehaviors(config: XmlNode): XmlNode[] {
  const defaultBehavior = child(config, 'DefaultCacheBehavior');
  return [...(defaultBehavior ? [defaultBehavior] : []), ...items(config, 'CacheBehaviors')];
}

export function checkBehaviorCount(config: XmlNode, quotas: Quotas): void {
  const count = items(config, 'CacheBehaviors').length;
  if (count > quotas.cacheBehaviorsPerDistribution) {
    throw new AwsError('TooManyCacheBehaviors', 400, `Your request contains more CacheBehaviors than are allowed per distribution (${count}; the limit is ${quotas.cacheBehaviorsPerDistribution}).`);
  }
}

/**
 * PathPattern: up to 255 characters of A-Z a-z 0-9 _ - . $ / ~ " ' @ : + &, and the wildcards
 * `*` (any characters) and `?` (exactly one), unique in the list.
 */
export function checkPathPatterns(config: XmlNode): void {
  const seen = new Set<string>();
  for (const behavior of items(config, 'CacheBehaviors')) {
    const pattern = text(behavior, 'PathPattern') ?? '';
    if (pattern.length === 0 || pattern.length > 255) throw invalid(`The parameter PathPattern must be 1 to 255 characters long: '${pattern}'.`);
    if (!/^[A-Za-z0-9_\-.*?$/~"'@:+&]+$/.test(pattern)) throw invalid(`The parameter PathPattern contains invalid characters: '${pattern}'.`);
    if (seen.has(pattern)) throw invalid(`The parameter PathPattern must be unique: '${pattern}' appears twice.`);
    seen.add(pattern);
  }
}

export function checkTargetOrigin(behavior: XmlNode, targets: Set<string>): void {
  const target = text(behavior, 'TargetOriginId') ?? '';
  if (!targets.has(target)) {
    throw new AwsError('NoSuchOrigin', 404, `One or more of your origins or origin groups do not exist (TargetOriginId ${target}).`);
  }
}

const VIEWER_PROTOCOL_POLICIES = ['allow-all', 'https-only', 'redirect-to-https'];

/** A behavior uses a cache policy or the legacy ForwardedValues + TTLs, never both. */
export function checkCacheSettings(behavior: XmlNode, cachePolicies: PolicyRecord[], originRequestPolicies: PolicyRecord[]): void {
  const viewerPolicy = text(behavior, 'ViewerProtocolPolicy') ?? '';
  if (!VIEWER_PROTOCOL_POLICIES.includes(viewerPolicy)) throw invalid(`The parameter ViewerProtocolPolicy is invalid: ${viewerPolicy}.`);
  const cachePolicyId = text(behavior, 'CachePolicyId');
  const forwarded = child(behavior, 'ForwardedValues');
  if (cachePolicyId && forwarded) {
    throw invalid('The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior.');
  }
  if (!cachePolicyId && !forwarded) throw invalid('The parameter ForwardedValues is required when no cache policy is associated to the cache behavior.');
  if (!cachePolicyId && text(behavior, 'MinTTL') === undefined) throw invalid('The parameter MinTTL is required when no cache policy is associated to the cache behavior.');
  if (cachePolicyId && !cachePolicies.some((p) => p.id === cachePolicyId)) {
    throw new AwsError('NoSuchCachePolicy', 404, `The cache policy does not exist: ${cachePolicyId}.`);
  }
  const originRequestPolicyId = text(behavior, 'OriginRequestPolicyId');
  if (originRequestPolicyId && !originRequestPolicies.some((p) => p.id === originRequestPolicyId)) {
    throw new AwsError('NoSuchOriginRequestPolicy', 404, `The origin request policy does not exist: ${originRequestPolicyId}.`);
  }
}

/** The CNAMEs a config claims; each may belong to one distribution only. */
export function aliasesOf(config: XmlNode): string[] {
  return items(config, 'Aliases').map((alias) => (alias.text ?? '').toLowerCase());
}

/** Members CloudFront must see in every behavior, in at least their minimal form. */
export function checkBehaviorShape(behavior: XmlNode): void {
  for (const name of ['TargetOriginId', 'ViewerProtocolPolicy']) {
    if (text(behavior, name) === undefined) {
      throw new AwsError('MalformedXML', 400, `The XML you provided was not well-formed or did not validate against our published schema: ${behavior.name} is missing ${name}.`);
    }
  }
  if (at(behavior, 'AllowedMethods') && items(behavior, 'AllowedMethods').length === 0) {
    throw invalid('The parameter AllowedMethods must list at least GET and HEAD.');
  }
}
