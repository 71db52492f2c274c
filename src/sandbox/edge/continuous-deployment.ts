/**
 * Continuous deployment on the local edge: which distribution serves a request that reached a
 * primary distribution, per the continuous deployment policy attached to it (CloudFront
 * Developer Guide, "Learn how continuous deployment works" and "Quotas and other considerations
 * for continuous deployment"; API Reference, ContinuousDeploymentSingleHeaderConfig,
 * ContinuousDeploymentSingleWeightConfig, SessionStickinessConfig).
 *
 * What AWS documents, and how the sandbox does it:
 * - Viewers send requests to the primary; CloudFront routes some of them to the staging
 *   distribution. "Viewers cannot send requests directly to a staging distribution using a DNS
 *   name, IP address, or CNAME" (the data plane refuses those: see `isStaging`).
 * - Header-based (SingleHeader): staging when the request "contains a header and value that
 *   matches"; the header name is HTTP's (any case), the value is compared exactly. The header is
 *   the one "you want CloudFront to send to your staging distribution": it stays in the request,
 *   so the staging's functions see it and its origin request policy decides whether the origin does.
 * - Weight-based (SingleWeight): that share of requests, drawn from the data plane's generator
 *   (seeded: `EdgeOptions.seed`). With session stickiness "CloudFront sets a cookie so that all
 *   requests from the same viewer in a single session are served by one distribution"; a viewer
 *   idle for IdleTTL starts a new session, and MaximumTTL is "the maximum amount of time to
 *   consider requests from the viewer as being part of the same session". Enabling or disabling
 *   the policy, or the stickiness, resets every session.
 * - A disabled policy (and a promoted one: UpdateDistributionWithStagingConfig disables it)
 *   sends everything to the primary.
 * - Not emulated: "CloudFront sends all requests to the primary distribution during peak traffic
 *   hours" (CloudFront's own peaks, which a local edge has none of).
 *
 * The cookie's name and value are not documented. The sandbox's cookie is `SANDBOX_CD_COOKIE`
 * (a name of its own, so nobody mistakes it for CloudFront's) holding an opaque session id; the
 * session (which side, when it started, when it was last seen) stays in the data plane, so a
 * viewer cannot pick a side by writing the cookie, and idleness is measured on the sandbox clock
 * (a test moves past IdleTTL with `POST /_sandbox/advance`, whatever its cookie's Max-Age said).
 */
import { randomBytes } from 'node:crypto';
import type { ContinuousDeploymentPolicyRecord, DistributionRecord, World } from '../world.js';
import { at, bool, items, num, text } from '../xml.js';
import { parseCookies } from './headers.js';
import type { HeaderPair } from './model.js';

/** The session stickiness cookie the local edge sets and reads (AWS does not document CloudFront's). */
export const SANDBOX_CD_COOKIE = 'sandbox-cf-cd-session';

/** Sessions kept at most; the least recently seen go first. */
const MAX_SESSIONS = 10_000;

export type TrafficRule =
  | { type: 'SingleHeader'; header: string; value: string }
  | { type: 'SingleWeight'; weight: number; stickiness?: { idleTtl: number; maximumTtl: number } };

/** The parts of a ContinuousDeploymentPolicyConfig that routing needs. */
export interface PolicyView {
  id: string;
  enabled: boolean;
  stagingDnsNames: string[];
  /** Undefined for a Type the sandbox does not know (routed to the primary). */
  traffic?: TrafficRule;
}

export function policyView(record: ContinuousDeploymentPolicyRecord): PolicyView {
  const config = record.config;
  const traffic = at(config, 'TrafficConfig');
  const type = text(traffic, 'Type');
  let rule: TrafficRule | undefined;
  if (type === 'SingleHeader') {
    rule = { type, header: text(traffic, 'SingleHeaderConfig', 'Header') ?? '', value: text(traffic, 'SingleHeaderConfig', 'Value') ?? '' };
  } else if (type === 'SingleWeight') {
    const sticky = at(traffic, 'SingleWeightConfig', 'SessionStickinessConfig');
    const idleTtl = num(sticky, 'IdleTTL');
    const maximumTtl = num(sticky, 'MaximumTTL');
    rule = {
      type,
      weight: num(traffic, 'SingleWeightConfig', 'Weight') ?? 0,
      stickiness: sticky && idleTtl !== undefined && maximumTtl !== undefined ? { idleTtl, maximumTtl } : undefined,
    };
  }
  return {
    id: record.id,
    enabled: bool(config, 'Enabled') ?? false,
    stagingDnsNames: items(config, 'StagingDistributionDnsNames').map((n) => (n.text ?? '').toLowerCase()),
    traffic: rule,
  };
}

/** A distribution created as a staging distribution (CopyDistribution with Staging, or a config with `<Staging>true</Staging>`). */
export const isStaging = (record: DistributionRecord): boolean => bool(record.config, 'Staging') === true;

export type Side = 'primary' | 'staging';

/** Where a request that reached a primary goes, and why. */
export interface Routing {
  side: Side;
  /** The distribution whose config serves the request. */
  distributionId: string;
  /** For the trace: the policy and the reason. */
  detail: string;
  /** A Set-Cookie value for the answer: the session stickiness cookie, set (or refreshed) on every answer of a sticky policy. */
  setCookie?: string;
}

interface Session {
  primaryId: string;
  policyId: string;
  side: Side;
  startedAt: number;
  lastSeenAt: number;
}

export class ContinuousDeployment {
  private readonly sessions = new Map<string, Session>();
  /** Per policy, the (enabled, sticky) state last seen: a change resets its sessions. */
  private readonly observed = new Map<string, string>();

  constructor(
    private readonly world: World,
    private readonly random: () => number,
  ) {}

  /** The routing of a request that reached `primary`; undefined when no policy is attached to it. */
  route(primary: DistributionRecord, headers: HeaderPair[]): Routing | undefined {
    const policyId = text(primary.config, 'ContinuousDeploymentPolicyId');
    if (!policyId) return undefined;
    const toPrimary = (why: string): Routing => ({ side: 'primary', distributionId: primary.id, detail: `primary ${primary.id} (${why})` });
    const record = this.world.continuousDeploymentPolicies.find((p) => p.id === policyId);
    if (!record) return toPrimary(`continuous deployment policy ${policyId} does not exist`);
    const policy = policyView(record);
    this.observe(policy);
    if (!policy.enabled) return toPrimary(`continuous deployment policy ${policy.id} is disabled`);
    const staging = this.world.data.cloudfront.distributions.find((d) => policy.stagingDnsNames.includes(d.domainName) && isStaging(d));
    if (!staging) return toPrimary(`continuous deployment policy ${policy.id} names no staging distribution the sandbox has (${policy.stagingDnsNames.join(', ') || 'none'})`);
    const toStaging = (why: string): Routing => ({ side: 'staging', distributionId: staging.id, detail: `staging ${staging.id} (${why})` });
    const rule = policy.traffic;
    if (rule?.type === 'SingleHeader') {
      const lower = rule.header.toLowerCase();
      const matches = headers.some(([name, value]) => name.toLowerCase() === lower && value === rule.value);
      return matches ? toStaging(`header ${rule.header}: ${rule.value}`) : toPrimary(`no header ${rule.header}: ${rule.value}`);
    }
    if (rule?.type !== 'SingleWeight') return toPrimary(`continuous deployment policy ${policy.id} has no traffic configuration the sandbox knows`);
    const pick = (): Side => (this.random() < rule.weight ? 'staging' : 'primary');
    const percent = `${+(rule.weight * 100).toFixed(2)}%`;
    const routed = (side: Side, why: string): Routing => (side === 'staging' ? toStaging(why) : toPrimary(why));
    if (!rule.stickiness) return routed(pick(), `weight ${percent}`);
    return this.sticky(primary.id, policy.id, rule.stickiness, pick, (side, why) => routed(side, `weight ${percent}, ${why}`), headers);
  }

  /** Weight-based routing with session stickiness: the viewer's live session decides, else a new draw starts one. */
  private sticky(primaryId: string, policyId: string, ttl: { idleTtl: number; maximumTtl: number }, pick: () => Side, routed: (side: Side, why: string) => Routing, headers: HeaderPair[]): Routing {
    const now = this.world.now();
    const presented = parseCookies(headers).filter(([name]) => name === SANDBOX_CD_COOKIE).map(([, value]) => value);
    const knownId = presented.find((value) => this.sessions.get(value)?.primaryId === primaryId);
    const known = knownId === undefined ? undefined : this.sessions.get(knownId);
    const ended = !known
      ? undefined
      : known.policyId !== policyId
        ? 'new session (another policy)'
        : now - known.startedAt >= ttl.maximumTtl * 1000
          ? 'session past MaximumTTL, new session'
          : now - known.lastSeenAt >= ttl.idleTtl * 1000
            ? 'session idle past IdleTTL, new session'
            : undefined;
    if (knownId !== undefined) this.sessions.delete(knownId);
    let id: string;
    let session: Session;
    let why: string;
    if (known && !ended) {
      id = knownId!;
      session = { ...known, lastSeenAt: now };
      why = 'session continued';
    } else {
      id = randomBytes(16).toString('hex');
      session = { primaryId, policyId, side: pick(), startedAt: now, lastSeenAt: now };
      why = ended ?? 'new session';
    }
    // Re-inserted: the map's order is least recently seen first.
    this.sessions.set(id, session);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    // The cookie lasts until the session would end: IdleTTL from now, or MaximumTTL from its start if sooner.
    const maxAge = Math.max(0, Math.min(ttl.idleTtl, Math.ceil((session.startedAt + ttl.maximumTtl * 1000 - now) / 1000)));
    return { ...routed(session.side, why), setCookie: `${SANDBOX_CD_COOKIE}=${id}; Max-Age=${maxAge}; Path=/; HttpOnly` };
  }

  /**
   * "CloudFront resets all sessions (even active ones)" when the policy or its stickiness is
   * enabled or disabled. The sandbox sees such a change when the next request meets the policy;
   * a change made and undone between two requests goes unnoticed.
   */
  private observe(policy: PolicyView): void {
    const state = `${policy.enabled}|${policy.traffic?.type === 'SingleWeight' && !!policy.traffic.stickiness}`;
    const before = this.observed.get(policy.id);
    this.observed.set(policy.id, state);
    if (before === undefined || before === state) return;
    for (const [id, session] of this.sessions) if (session.policyId === policy.id) this.sessions.delete(id);
  }

  /** Forget every session (the sandbox was reset). */
  clear(): void {
    this.sessions.clear();
    this.observed.clear();
  }
}
