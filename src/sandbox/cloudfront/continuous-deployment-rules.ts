/**
 * What CloudFront checks in a ContinuousDeploymentPolicyConfig (CreateContinuousDeploymentPolicy,
 * UpdateContinuousDeploymentPolicy), one function per rule.
 *
 * Sources:
 * - the service model (botocore cloudfront/2020-05-31): StagingDistributionDnsNames and Enabled
 *   are required; TrafficConfig.Type is SingleWeight | SingleHeader; Weight is "a decimal number
 *   between 0 and 0.15"; SessionStickinessConfig IdleTTL and MaximumTTL "Allowed values are
 *   300–3600 seconds", IdleTTL "must be less than or equal to MaximumTTL"; SingleHeaderConfig
 *   Header "must contain the prefix aws-cf-cd-"; StagingDistributionInUse "A continuous
 *   deployment policy for this staging distribution already exists";
 * - CloudFront Developer Guide, "Quotas and other considerations for continuous deployment":
 *   20 policies per account, at most 15% of traffic, stickiness 300–3600 seconds;
 * - CloudFormation, AWS::CloudFront::ContinuousDeploymentPolicy SingleHeaderConfig: Header 1–256
 *   characters, Value 1–1783.
 *
 * The header prefix is compared case-insensitively: no AWS page says either way, and HTTP
 * header names are case-insensitive (RFC 9110, 5.1), so `AWS-CF-CD-Canary` names the same
 * header a viewer sends as `aws-cf-cd-canary`.
 */
import { AwsError } from '../errors.js';
import type { ContinuousDeploymentPolicyRecord, Quotas, World } from '../world.js';
import { child, items, text, type XmlNode } from '../xml.js';
import { checkQuantities } from './distribution-rules.js';
import { distributionByDomain, isStaging, stagingDnsName } from './staging-links.js';

const invalid = (message: string): AwsError => new AwsError('InvalidArgument', 400, message);

const malformed = (why: string): AwsError =>
  new AwsError('MalformedXML', 400, `The XML you provided was not well-formed or did not validate against our published schema: ${why}`);

export const MAX_WEIGHT = 0.15;
export const STICKINESS_TTL = { min: 300, max: 3600 };
export const HEADER_PREFIX = 'aws-cf-cd-';
const MAX_HEADER_NAME = 256;
const MAX_HEADER_VALUE = 1783;
/** RFC 9110 token characters: what an HTTP header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function checkRequiredPolicyMembers(config: XmlNode): void {
  for (const name of ['StagingDistributionDnsNames', 'Enabled']) {
    if (!child(config, name)) throw malformed(`ContinuousDeploymentPolicyConfig is missing the required element ${name}.`);
  }
  const enabled = text(config, 'Enabled');
  if (enabled !== 'true' && enabled !== 'false') throw malformed(`Enabled must be true or false, not '${enabled ?? ''}'.`);
}

/** Exactly one DnsName, the CloudFront domain name of an existing staging distribution. */
export function checkStagingDnsNames(world: World, config: XmlNode): void {
  const names = items(config, 'StagingDistributionDnsNames');
  if (names.length !== 1) {
    throw invalid(`StagingDistributionDnsNames must contain exactly one staging distribution domain name, not ${names.length}.`);
  }
  const name = stagingDnsName(config);
  const staging = distributionByDomain(world, name);
  if (!staging) throw invalid(`The staging distribution domain name ${name} does not belong to a distribution in this account.`);
  if (!isStaging(staging.config)) throw invalid(`The distribution ${staging.id} (${name}) is not a staging distribution.`);
}

/** One policy per staging distribution. */
export function checkStagingNotTaken(world: World, config: XmlNode, selfId?: string): void {
  const name = stagingDnsName(config);
  const other = world.continuousDeploymentPolicies.find((p) => p.id !== selfId && stagingDnsName(p.config) === name);
  if (other) {
    throw new AwsError('StagingDistributionInUse', 409, `A continuous deployment policy for this staging distribution already exists (${other.id} names ${name}).`);
  }
}

export function checkPolicyQuota(policies: ContinuousDeploymentPolicyRecord[], quotas: Quotas): void {
  if (policies.length >= quotas.continuousDeploymentPoliciesPerAccount) {
    throw new AwsError(
      'TooManyContinuousDeploymentPolicies',
      400,
      `You have reached the maximum number of continuous deployment policies for this Amazon Web Services account (${quotas.continuousDeploymentPoliciesPerAccount}).`,
    );
  }
}

function integer(node: XmlNode | undefined, name: string): number {
  const raw = text(node, name);
  if (raw === undefined) throw malformed(`SessionStickinessConfig is missing the required element ${name}.`);
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value)) throw malformed(`${name} must be an integer, not '${raw}'.`);
  return value;
}

function checkSingleWeight(weightConfig: XmlNode): void {
  const raw = text(weightConfig, 'Weight');
  if (raw === undefined) throw malformed('SingleWeightConfig is missing the required element Weight.');
  const weight = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(weight)) throw malformed(`Weight must be a number, not '${raw}'.`);
  if (weight < 0 || weight > MAX_WEIGHT) throw invalid(`The parameter Weight must be between 0 and ${MAX_WEIGHT}, not ${raw}.`);
  const stickiness = child(weightConfig, 'SessionStickinessConfig');
  if (!stickiness) return;
  const idle = integer(stickiness, 'IdleTTL');
  const maximum = integer(stickiness, 'MaximumTTL');
  for (const [name, value] of [['IdleTTL', idle], ['MaximumTTL', maximum]] as const) {
    if (value < STICKINESS_TTL.min || value > STICKINESS_TTL.max) {
      throw invalid(`The parameter ${name} must be from ${STICKINESS_TTL.min} to ${STICKINESS_TTL.max} seconds, not ${value}.`);
    }
  }
  if (idle > maximum) throw invalid(`The parameter IdleTTL (${idle}) must be less than or equal to MaximumTTL (${maximum}).`);
}

function checkSingleHeader(headerConfig: XmlNode): void {
  const header = text(headerConfig, 'Header') ?? '';
  const value = text(headerConfig, 'Value') ?? '';
  if (!header) throw malformed('SingleHeaderConfig is missing the required element Header.');
  if (header.length > MAX_HEADER_NAME || !TOKEN.test(header)) throw invalid(`The parameter Header is not a valid HTTP header name: '${header}'.`);
  if (!header.toLowerCase().startsWith(HEADER_PREFIX)) throw invalid(`The parameter Header must contain the prefix ${HEADER_PREFIX}: '${header}'.`);
  if (!value) throw invalid('The parameter Value of SingleHeaderConfig must not be empty.');
  if (value.length > MAX_HEADER_VALUE) throw invalid(`The parameter Value of SingleHeaderConfig must be at most ${MAX_HEADER_VALUE} characters.`);
}

/** TrafficConfig (optional in the model): its Type and the one matching config. */
export function checkTrafficConfig(config: XmlNode): void {
  const traffic = child(config, 'TrafficConfig');
  if (!traffic) return;
  const type = text(traffic, 'Type');
  const weight = child(traffic, 'SingleWeightConfig');
  const header = child(traffic, 'SingleHeaderConfig');
  if (type === 'SingleWeight') {
    if (!weight) throw invalid('TrafficConfig of Type SingleWeight requires SingleWeightConfig.');
    if (header) throw invalid('TrafficConfig of Type SingleWeight cannot have SingleHeaderConfig.');
    checkSingleWeight(weight);
  } else if (type === 'SingleHeader') {
    if (!header) throw invalid('TrafficConfig of Type SingleHeader requires SingleHeaderConfig.');
    if (weight) throw invalid('TrafficConfig of Type SingleHeader cannot have SingleWeightConfig.');
    checkSingleHeader(header);
  } else {
    throw invalid(`The parameter Type of TrafficConfig must be SingleWeight or SingleHeader, not '${type ?? ''}'.`);
  }
}

/** Every rule, in the order CloudFront applies them (schema, quantities, then meaning). */
export function validatePolicyConfig(world: World, config: XmlNode, selfId?: string): void {
  checkRequiredPolicyMembers(config);
  checkQuantities(config);
  checkTrafficConfig(config);
  checkStagingDnsNames(world, config);
  checkStagingNotTaken(world, config, selfId);
}
