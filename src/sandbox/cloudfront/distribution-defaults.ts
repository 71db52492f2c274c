/**
 * What CloudFront stores for a distribution config: the config sent, with every optional member
 * it left out set to CloudFront's default. CloudFront answers GetDistributionConfig and
 * ListDistributions with these (the DistributionSummary shape requires Aliases, CacheBehaviors,
 * CustomErrorResponses, PriceClass, ViewerCertificate, Restrictions, WebACLId, HttpVersion,
 * IsIPV6Enabled and Staging), so a client that wrote a minimal config reads back a fuller one —
 * and must not take the difference for a change.
 *
 * The values are those AWS's own CLI examples show for configs that left the member out
 * (awscli/examples/cloudfront: create-distribution.rst, get-distribution-config.rst,
 * list-distributions.rst) and the API reference's documented defaults: HttpVersion "http2"
 * ("the default value for new distributions"), OriginReadTimeout 30 and OriginKeepaliveTimeout 5
 * ("the default … is 30 seconds", "… 5 seconds"), ConnectionAttempts 3, ConnectionTimeout 10,
 * DefaultTTL 86400 and MaxTTL 31536000 for a behavior with legacy ForwardedValues.
 * IsIPV6Enabled has no documented API default: false here (IPv6 is answered only when asked for).
 * Members a sender gave are never changed.
 */
import { child, el, list, setChild, type XmlNode } from '../xml.js';

type Defaults = [name: string, value: () => XmlNode][];

const CONFIG_DEFAULTS: Defaults = [
  ['Aliases', () => list('Aliases', [])],
  ['DefaultRootObject', () => el('DefaultRootObject', '')],
  ['OriginGroups', () => list('OriginGroups', [])],
  ['CacheBehaviors', () => list('CacheBehaviors', [])],
  ['CustomErrorResponses', () => list('CustomErrorResponses', [])],
  ['Logging', () => el('Logging', el('Enabled', false), el('IncludeCookies', false), el('Bucket', ''), el('Prefix', ''))],
  ['PriceClass', () => el('PriceClass', 'PriceClass_All')],
  [
    'ViewerCertificate',
    () => el('ViewerCertificate', el('CloudFrontDefaultCertificate', true), el('SSLSupportMethod', 'vip'), el('MinimumProtocolVersion', 'TLSv1'), el('CertificateSource', 'cloudfront')),
  ],
  ['Restrictions', () => el('Restrictions', el('GeoRestriction', el('RestrictionType', 'none'), el('Quantity', 0)))],
  ['WebACLId', () => el('WebACLId', '')],
  ['HttpVersion', () => el('HttpVersion', 'http2')],
  ['IsIPV6Enabled', () => el('IsIPV6Enabled', false)],
  ['Staging', () => el('Staging', false)],
];

/** DistributionConfig's members in the service model's order: CloudFront answers in it. */
const CONFIG_ORDER = [
  'CallerReference', 'Aliases', 'DefaultRootObject', 'Origins', 'OriginGroups', 'DefaultCacheBehavior', 'CacheBehaviors',
  'CustomErrorResponses', 'Comment', 'Logging', 'PriceClass', 'Enabled', 'ViewerCertificate', 'Restrictions', 'WebACLId',
  'HttpVersion', 'IsIPV6Enabled', 'ContinuousDeploymentPolicyId', 'Staging',
];

const ORIGIN_DEFAULTS: Defaults = [
  ['OriginPath', () => el('OriginPath', '')],
  ['CustomHeaders', () => list('CustomHeaders', [])],
  ['ConnectionAttempts', () => el('ConnectionAttempts', 3)],
  ['ConnectionTimeout', () => el('ConnectionTimeout', 10)],
  ['OriginShield', () => el('OriginShield', el('Enabled', false))],
  ['OriginAccessControlId', () => el('OriginAccessControlId', '')],
];

const CUSTOM_ORIGIN_DEFAULTS: Defaults = [
  ['OriginReadTimeout', () => el('OriginReadTimeout', 30)],
  ['OriginKeepaliveTimeout', () => el('OriginKeepaliveTimeout', 5)],
];

const BEHAVIOR_DEFAULTS: Defaults = [
  ['TrustedSigners', () => el('TrustedSigners', el('Enabled', false), el('Quantity', 0))],
  ['TrustedKeyGroups', () => el('TrustedKeyGroups', el('Enabled', false), el('Quantity', 0))],
  ['SmoothStreaming', () => el('SmoothStreaming', false)],
  ['Compress', () => el('Compress', false)],
  ['LambdaFunctionAssociations', () => list('LambdaFunctionAssociations', [])],
  ['FunctionAssociations', () => list('FunctionAssociations', [])],
  ['FieldLevelEncryptionId', () => el('FieldLevelEncryptionId', '')],
  ['GrpcConfig', () => el('GrpcConfig', el('Enabled', false))],
];

const LEGACY_TTL_DEFAULTS: Defaults = [
  ['DefaultTTL', () => el('DefaultTTL', 86400)],
  ['MaxTTL', () => el('MaxTTL', 31536000)],
];

function fill(node: XmlNode, defaults: Defaults): void {
  for (const [name, value] of defaults) if (!child(node, name)) setChild(node, value());
}

function fillBehavior(behavior: XmlNode): void {
  fill(behavior, BEHAVIOR_DEFAULTS);
  // TTLs belong to the legacy cache settings only; a cache policy carries its own.
  if (child(behavior, 'ForwardedValues')) fill(behavior, LEGACY_TTL_DEFAULTS);
}

const membersOf = (node: XmlNode | undefined, listName: string) => child(child(node, listName), 'Items')?.children ?? [];

/** A copy of `config` as CloudFront stores it: every default in place, members in the model's order. */
export function withCloudFrontDefaults(config: XmlNode): XmlNode {
  const out = structuredClone(config);
  fill(out, CONFIG_DEFAULTS);
  for (const origin of membersOf(out, 'Origins')) {
    fill(origin, ORIGIN_DEFAULTS);
    const custom = child(origin, 'CustomOriginConfig');
    if (custom) fill(custom, CUSTOM_ORIGIN_DEFAULTS);
  }
  const defaultBehavior = child(out, 'DefaultCacheBehavior');
  if (defaultBehavior) fillBehavior(defaultBehavior);
  for (const behavior of membersOf(out, 'CacheBehaviors')) fillBehavior(behavior);
  // Members the model does not list here (added to the API later) keep their place after these.
  const rank = (name: string) => (CONFIG_ORDER.includes(name) ? CONFIG_ORDER.indexOf(name) : CONFIG_ORDER.length);
  out.children = out.children.map((c, i) => [c, i] as const).sort(([a, i], [b, j]) => rank(a.name) - rank(b.name) || i - j).map(([c]) => c);
  return out;
}
