/**
 * PURE: how a canary splits traffic (`attach --canary header[=<value>] | weight=<1–15>%[,sticky]`)
 * and the TrafficConfig of the continuous deployment policy that does it.
 *
 * AWS facts (CloudFront Developer Guide, "Route requests to the staging distribution" and
 * "Quotas and other considerations for continuous deployment"; API reference,
 * ContinuousDeploymentSingleHeaderConfig / ContinuousDeploymentSingleWeightConfig):
 * - header-based: requests carrying the header with exactly the value go to staging; the header
 *   name must start with `aws-cf-cd-`;
 * - weight-based: a share of requests from 0 to 15% (Weight 0–0.15), optionally sticky:
 *   IdleTTL and MaximumTTL from 300 to 3600 seconds, IdleTTL ≤ MaximumTTL.
 */
import type { TrafficConfig } from '@aws-sdk/client-cloudfront';
import { UsageError } from '../errors.js';

export type CanaryTraffic =
  | { type: 'header'; header: string; value: string }
  | { type: 'weight'; /** Percent, 1–15. */ percent: number; sticky: boolean };

export const HEADER_PREFIX = 'aws-cf-cd-';
export const MAX_WEIGHT_PERCENT = 15;
/**
 * Session stickiness for `weight=…,sticky`: a viewer idle for 30 minutes starts a new session,
 * and no session lasts more than an hour (the longest AWS allows), so a user of a sticky
 * canary sees one side for a whole visit.
 */
export const STICKY_IDLE_SECONDS = 1800;
export const STICKY_MAX_SECONDS = 3600;

/** The header a canary of the integration listens to: one per integration, so two integrations' canaries never share it. */
export const canaryHeader = (integration: string): string => `${HEADER_PREFIX}${integration}`;

const USAGE = "write --canary header (a random value), --canary header=<value>, --canary weight=5% or --canary weight=5%,sticky";

/** Parses the flag's value; a bad one is exit 2 before anything is read. `token` makes a header value when none is given. */
export function parseCanary(text: string, integration: string, token: () => string): CanaryTraffic {
  const spec = text.trim();
  const header = /^header(?:=(.*))?$/s.exec(spec);
  if (header) {
    const value = header[1] ?? token();
    // The value travels in a request header: visible ASCII only, as HTTP allows.
    if (!/^[\x21-\x7e]{1,256}$/.test(value)) throw new UsageError(`--canary header=${value ? '<value>' : ''}: the value must be 1–256 visible ASCII characters (no spaces); ${USAGE}.`);
    return { type: 'header', header: canaryHeader(integration), value };
  }
  const weight = /^weight=(\d+(?:\.\d+)?)%?(,sticky)?$/.exec(spec);
  if (weight) {
    const percent = Number(weight[1]);
    if (!(percent >= 1 && percent <= MAX_WEIGHT_PERCENT)) {
      throw new UsageError(`--canary ${spec}: CloudFront sends at most ${MAX_WEIGHT_PERCENT}% of requests to a staging distribution; give a share from 1% to ${MAX_WEIGHT_PERCENT}%.`);
    }
    return { type: 'weight', percent, sticky: !!weight[2] };
  }
  throw new UsageError(`--canary ${spec} is not a traffic split; ${USAGE}.`);
}

/** The policy's TrafficConfig. */
export function trafficConfig(traffic: CanaryTraffic): TrafficConfig {
  if (traffic.type === 'header') return { Type: 'SingleHeader', SingleHeaderConfig: { Header: traffic.header, Value: traffic.value } };
  return {
    Type: 'SingleWeight',
    SingleWeightConfig: {
      // A decimal share: 5% is 0.05 (rounded so 7% does not become 0.07000000000000001).
      Weight: Math.round(traffic.percent * 100) / 10_000,
      ...(traffic.sticky ? { SessionStickinessConfig: { IdleTTL: STICKY_IDLE_SECONDS, MaximumTTL: STICKY_MAX_SECONDS } } : {}),
    },
  };
}

/** A policy's TrafficConfig read back, in the flag's terms (undefined: not one edge-install can describe). */
export function trafficOf(config: TrafficConfig | undefined): CanaryTraffic | undefined {
  if (config?.Type === 'SingleHeader' && config.SingleHeaderConfig) return { type: 'header', header: config.SingleHeaderConfig.Header ?? '', value: config.SingleHeaderConfig.Value ?? '' };
  if (config?.Type === 'SingleWeight' && config.SingleWeightConfig) {
    return { type: 'weight', percent: Math.round((config.SingleWeightConfig.Weight ?? 0) * 10_000) / 100, sticky: !!config.SingleWeightConfig.SessionStickinessConfig };
  }
  return undefined;
}

/** In words: "requests with aws-cf-cd-x: v", "5% of requests (sticky sessions)". */
export function describeTraffic(traffic: CanaryTraffic): string {
  return traffic.type === 'header' ? `requests with the header ${traffic.header}: ${traffic.value}` : `${traffic.percent}% of requests${traffic.sticky ? ' (sticky sessions)' : ''}`;
}
