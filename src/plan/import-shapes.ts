/**
 * PURE: the shape of each recipe's install made by hand, as its seed has users build it, and
 * how import recognises the parts:
 *
 * - first-party-proxy (seeds/fingerprint-cloudfront-integration.txt): a behavior `<path>/*`
 *   (step 5.2) routed to an origin on the agent CDN host with the FPJS_SECRET_NAME and
 *   FPJS_SECRET_REGION headers (step 5.1), the stack's function on its origin-request with
 *   Include body (step 5.3), the stack's cache policy, and the secret those headers name, with
 *   the seed's keys (step 3).
 * - edge-enforcer (seeds/human-lambda-edge-enforcer.txt): the enforcer on the default
 *   behavior's viewer-request (required), the activities function on its origin-response, the
 *   first-party function on a behavior `/<app id without PX>/*` with the seed's cache policy.
 *   The seed lets users name the functions anything, so a function is taken for a part only
 *   when its name says so (HumanEnforcer, px-first-party, …) or --function names it.
 *
 * Each part found goes to Findings with its evidence; each expected part not found goes to
 * `unmatched` with why; what the first attach will add or change goes to `later`.
 */
import type { Origin } from '@aws-sdk/client-cloudfront';
import type { ImportedFunction, ImportedSecret } from '../aws/observe/import-parts.js';
import { ALLOWED_METHODS } from '../manifest/schema.js';
import { managedPolicyName, MANAGED_ORIGIN_REQUEST_POLICIES } from '../manifest/managed-policies.js';
import { originId, OWNER_TAG } from '../manifest/naming.js';
import { behaviorsWithTriggers, type BehaviorView, type Findings, type SecretCandidate } from './import.js';

const ALL_METHODS = [...ALLOWED_METHODS.all].sort().join(',');

export function customHeaders(origin: Origin | undefined): Record<string, string> {
  return Object.fromEntries((origin?.CustomHeaders?.Items ?? []).map((h) => [h.HeaderName ?? '', h.HeaderValue ?? '']));
}

/** What a function's name must say for import to take it for a recipe's function, unless --function names it. */
const NAME_HINTS: Record<string, { test: RegExp; says: string }> = {
  proxy: { test: /fingerprint|fpjs|fp-?pro|proxy/i, says: 'Fingerprint, FPJS or proxy' },
  enforcer: { test: /enforc|human|perimeterx|(^|[^a-z])px/i, says: 'HumanEnforcer, enforcer, human or px' },
  activities: { test: /activit/i, says: 'HumanActivities or activities' },
  'first-party': { test: /first.?party|1st.?party/i, says: 'HumanFirstParty or first-party' },
};

/** Whether `fn` is the recipe's `key` function, and the evidence (or the reason it is not). */
function nameSays(f: Findings, key: string, fn: ImportedFunction): { ok: boolean; evidence: string } {
  const forced = f.options.functionNames[key];
  if (forced !== undefined) return forced === fn.name ? { ok: true, evidence: `named by --function ${key}=${forced}` } : { ok: false, evidence: `--function ${key}=${forced} names another function` };
  const hint = NAME_HINTS[key]!;
  return hint.test.test(fn.name) ? { ok: true, evidence: `its name ${fn.name} says ${key}` } : { ok: false, evidence: `its name does not say ${hint.says}; if it is the ${key} function, pass --function ${key}=${fn.name}` };
}

/** A trigger's function, readable and not another integration's — or why not. */
function usableFunction(f: Findings, arn: string): { fn?: ImportedFunction; why?: string } {
  const fn = f.fn(arn);
  if (!fn?.exists) return { why: `it names ${arn}, which Lambda cannot find (deleted, or in another account)` };
  const other = f.claimedByAnother(fn.tags);
  if (other) return { why: `${fn.name} is tagged edge-install:integration=${other}: it belongs to that integration` };
  return { fn };
}

/**
 * The secret the manifest may name in place of one import refused: the recipe's own name,
 * `edge-install/<integration>` — only while it is free for this integration: it does not exist
 * yet (`edge-install secret set` creates it, tagged as the integration's), or it is this
 * integration's already (its owner tag, a JSON object of keys, not being deleted). Anything
 * else there (the refused secret itself, another integration's, a hand-made one) is not
 * import's to point the manifest at: the first attach would write into it or stop at it.
 */
function ownSecretFree(f: Findings, own: SecretCandidate, refused: SecretCandidate): { free: boolean; created?: boolean; why?: string } {
  if (own.name === refused.name) return { free: false, why: `it is the recipe's own name, ${own.name}` };
  const secret = f.inputs.secrets.find((s) => s.name === own.name && s.region === own.region);
  if (!secret?.exists) return { free: true, created: true };
  if (secret.scheduledForDeletion) return { free: false, why: `the recipe's own name, ${own.name}, is a secret scheduled for deletion` };
  const owner = secret.tags[OWNER_TAG];
  if (owner !== f.options.integration) return { free: false, why: owner === undefined ? `the recipe's own name, ${own.name}, is a secret edge-install did not make` : `the recipe's own name, ${own.name}, is tagged ${OWNER_TAG}=${owner}` };
  if (!secret.keys) return { free: false, why: `the recipe's own name, ${own.name}, is a secret whose value is not a JSON object of keys` };
  return { free: true, created: false };
}

/** The secret import adopts: found by name; or why it is not (unmatched). */
function secretPart(f: Findings, candidate: SecretCandidate, check: (secret: ImportedSecret) => { evidence: string[]; problems: string[] }, missingWhy?: string): ImportedSecret | undefined {
  const secret = f.inputs.secrets.find((s) => s.name === candidate.name && s.region === candidate.region);
  // The secret the manifest names: the one adopted, or one that does not exist yet (free: `secret
  // set` or attach creates it) — never one import refused, which the first attach would then
  // write into (another integration's) or stop at (not a JSON object of keys, being deleted).
  // A refused secret is replaced by the recipe's own name when that is free; when it is not,
  // the manifest would have no secret it may name, so import stops (exit 2, nothing written)
  // and asks for --secret-name: a careful user expects the manifest to claim nothing it refused,
  // and import never invents a secret name of its own.
  const own: SecretCandidate = { name: `edge-install/${f.options.integration}`, region: candidate.region, from: "the recipe's default name" };
  const refuse = (why: string) => {
    const fallback = ownSecretFree(f, own, candidate);
    if (fallback.free) {
      f.unmatched.push({ part: `secret ${candidate.name}`, why: `${why}; the manifest names ${own.name} instead, ${fallback.created ? 'which edge-install secret set creates' : `already ${f.options.integration}'s`}` });
      f.secretChoice = own;
    } else {
      f.unmatched.push({ part: `secret ${candidate.name}`, why: `${why}; it is not adopted and the manifest does not name it` });
      f.missingValues.push({
        key: '(secret)',
        why: `--secret-name <name>: the secret ${candidate.name} is not adopted (${why}) and the manifest cannot name another (${fallback.why}). Pass --secret-name with a secret the install may use: one that does not exist yet (edge-install secret set creates it), or a JSON object of keys that no other integration owns`,
      });
      f.secretChoice = undefined;
    }
    return undefined;
  };
  if (secret?.scheduledForDeletion) return refuse(`it is scheduled for deletion in ${candidate.region} (${candidate.from})`);
  if (!secret?.exists) {
    f.unmatched.push({ part: `secret ${candidate.name}`, why: missingWhy ?? `no secret ${candidate.name} in ${candidate.region} (${candidate.from}); the manifest names it, and edge-install secret set creates it` });
    f.secretChoice = candidate;
    return undefined;
  }
  const other = f.claimedByAnother(secret.tags);
  if (other) return refuse(`tagged edge-install:integration=${other}: it belongs to that integration`);
  if (!secret.keys) return refuse(`its value is not a JSON object of keys, which the built-in handlers read`);
  const { evidence, problems } = check(secret);
  f.adoptSecret(secret, [`in ${secret.region}, ${candidate.from}`, ...evidence]);
  for (const problem of problems) f.unmatched.push({ part: `secret ${secret.name}`, why: problem });
  f.secretChoice = candidate;
  return secret;
}

/** Keys the secret holds, said by name only. */
const keyList = (secret: ImportedSecret) => (secret.keys ? `keys ${secret.keys.join(', ') || '(none)'} (names only)` : 'its value is not a JSON object of keys');

/** Where a behavior's settings differ from the recipe's, as notes for the first attach. */
function behaviorNotes(pattern: string, b: BehaviorView, wanted: { viewer: string; originRequestPolicy: string }): { evidence: string[]; later: string[] } {
  const evidence: string[] = [];
  const later: string[] = [];
  const check = (ok: boolean, good: string, bad: string) => (ok ? evidence.push(good) : later.push(`set behavior ${pattern} as the recipe has it: ${bad}`));
  check(b.viewerProtocolPolicy === wanted.viewer, `viewer protocol ${wanted.viewer}`, `viewer protocol is ${b.viewerProtocolPolicy}, the recipe's is ${wanted.viewer}`);
  check(b.methods.join(',') === ALL_METHODS, 'all seven HTTP methods', `allowed methods are ${b.methods.join(', ')}, the recipe allows all seven`);
  const orp = b.originRequestPolicyId ? (managedPolicyName(b.originRequestPolicyId) ?? b.originRequestPolicyId) : 'none';
  check(b.originRequestPolicyId === MANAGED_ORIGIN_REQUEST_POLICIES[wanted.originRequestPolicy as keyof typeof MANAGED_ORIGIN_REQUEST_POLICIES], `origin request policy ${wanted.originRequestPolicy}`, `origin request policy is ${orp}, the recipe's is ${wanted.originRequestPolicy}`);
  return { evidence, later };
}

// ---- first-party-proxy --------------------------------------------------------------------

/** The secrets a first-party proxy install may keep its settings in. */
export function proxySecretCandidates(f: Pick<Findings, 'options'>, origins: readonly Origin[]): SecretCandidate[] {
  const { secretName, secretRegion, integration } = f.options;
  const fromHeaders = origins
    .map((o) => ({ o, h: customHeaders(o) }))
    .filter(({ h }) => h.FPJS_SECRET_NAME)
    .map(({ o, h }) => ({ name: h.FPJS_SECRET_NAME!, region: h.FPJS_SECRET_REGION || secretRegion || 'us-east-1', from: `named by origin ${o.Id}'s FPJS_SECRET_NAME header` }));
  if (secretName) return [{ name: secretName, region: secretRegion ?? fromHeaders.find((c) => c.name === secretName)?.region ?? 'us-east-1', from: 'named by --secret-name' }];
  return fromHeaders.length ? fromHeaders : [{ name: `edge-install/${integration}`, region: secretRegion ?? 'us-east-1', from: "the recipe's default name; pass --secret-name if the install keeps its settings in another secret" }];
}

export function matchFirstPartyProxy(f: Findings): void {
  const { config } = f.inputs.distribution;
  const given = f.options.given;
  const agentHost = typeof given.agentHost === 'string' ? given.agentHost : 'fpcdn.io';
  const views = behaviorsWithTriggers(config).filter((b) => b.index >= 0);
  const withTrigger = views.filter((b) => b.associations.some((a) => a.event === 'origin-request'));
  const why: string[] = [];
  const candidates = withTrigger.flatMap((b) => {
    const segment = /^\/?([A-Za-z0-9_-]{1,64})\/\*$/.exec(b.pattern)?.[1];
    const origin = f.originById(b.targetOriginId);
    const headers = customHeaders(origin);
    const trigger = b.associations.find((a) => a.event === 'origin-request')!;
    const { fn } = usableFunction(f, trigger.arn);
    if (!segment) return (why.push(`behavior ${b.pattern} has an origin-request trigger, but its pattern is not <behavior path>/* (the seed's step 5.2)`), []);
    if (typeof given.behaviorPath === 'string' && given.behaviorPath !== segment) return [];
    const signs: string[] = [];
    if (origin?.DomainName === agentHost) signs.push(`its origin ${origin.Id} is ${agentHost}`);
    if (headers.FPJS_SECRET_NAME) signs.push(`its origin ${origin!.Id} carries the FPJS_SECRET_NAME header`);
    const named = fn && nameSays(f, 'proxy', fn);
    if (named?.ok) signs.push(named.evidence);
    if (!signs.length) {
      why.push(`behavior ${b.pattern} has an origin-request trigger, but its origin ${origin?.Id ?? b.targetOriginId} (${origin?.DomainName ?? 'not an origin'}) is not ${agentHost} and carries no FPJS_SECRET_NAME header (steps 5.1-5.2; --set agentHost=… if the agent CDN host is another)`);
      return [];
    }
    return [{ b, segment, origin, trigger, signs }];
  });
  if (typeof given.behaviorPath === 'string' && !candidates.length) why.unshift(`no behavior ${given.behaviorPath}/* with an origin-request trigger (--set behaviorPath=${given.behaviorPath})`);
  if (candidates.length > 1) {
    // There is an install; which behavior is it is the user's to say.
    f.found = true;
    f.ambiguous = true;
    f.missingValues.push({ key: 'behaviorPath', why: `several behaviors look like the proxy's (${candidates.map((c) => c.b.pattern).join(', ')}): pass --set behaviorPath=<the one> (without /*)` });
    return;
  }
  const match = candidates[0];
  if (!match) {
    f.unmatched.push({ part: 'proxy behavior', why: withTrigger.length ? why.join('; ') : 'no behavior other than the default has a Lambda@Edge function on origin-request (the seed\'s steps 5.2-5.3)' });
    return;
  }
  const { b, segment, origin, trigger, signs } = match;
  f.found = true;
  f.infer('behaviorPath', segment, `the path pattern ${b.pattern}`);

  // The origin (step 5.1).
  if (!origin) {
    f.unmatched.push({ part: 'proxy origin', why: `behavior ${b.pattern} targets ${b.targetOriginId}, which is not an origin (an origin group?)` });
  } else {
    f.infer('agentHost', origin.DomainName ?? agentHost, `origin ${origin.Id}'s domain`);
    const headers = customHeaders(origin);
    const custom = origin.CustomOriginConfig;
    const evidence = [`domain ${origin.DomainName}`];
    const notes: string[] = [];
    (custom?.OriginProtocolPolicy === 'https-only' ? evidence : notes).push(`protocol ${custom?.OriginProtocolPolicy ?? 'S3'}`);
    (custom?.OriginSslProtocols?.Items?.includes('TLSv1.2') ? evidence : notes).push(`TLS ${(custom?.OriginSslProtocols?.Items ?? []).join(', ') || 'none'}`);
    for (const h of ['FPJS_SECRET_NAME', 'FPJS_SECRET_REGION']) (headers[h] ? evidence : notes).push(headers[h] ? `header ${h}: ${headers[h]}` : `no ${h} header`);
    const sharedWith = behaviorsWithTriggers(config).filter((o) => o.targetOriginId === origin.Id && o.pattern !== b.pattern);
    const ours = originId(f.options.integration, 'vendor');
    if (sharedWith.length) {
      f.left.push({ part: `origin ${origin.Id}`, reason: `also the origin of ${sharedWith.map((o) => (o.pattern === '*' ? 'the default behavior' : o.pattern)).join(', ')}: it is not the proxy's alone, so it is not taken over` });
      // Not adopted, so not owned: the first attach adds its own origin and routes the proxy's
      // behavior to it, but never removes an origin it does not own (the other behaviors use it).
      f.later.push(`add edge-install's origin ${ours} (the same host, the recipe's settings) and route ${b.pattern} to it; origin ${origin.Id} stays, for the behaviors that use it`);
    } else {
      f.adoptOrigin(origin, evidence);
      if (notes.length) f.later.push(`use the recipe's origin settings (https-only, TLSv1.2, both headers): origin ${origin.Id} has ${notes.join(', ')}`);
      // Adopted, so owned: the first attach replaces it with its own and removes it.
      f.later.push(`replace origin ${origin.Id} with edge-install's ${ours} (the same host, the recipe's settings), route ${b.pattern} to it and remove ${origin.Id}`);
    }
  }

  // The behavior (step 5.2).
  const notes = behaviorNotes(b.pattern, b, { viewer: 'redirect-to-https', originRequestPolicy: 'AllViewer' });
  f.adoptBehavior(b.pattern, [`pattern ${b.pattern}: FPJS_BEHAVIOR_PATH ${segment}`, ...signs, ...notes.evidence]);
  f.later.push(...notes.later);
  if (b.cachePolicyId) f.policyCandidates.push({ key: 'proxy', pattern: b.pattern, policyId: b.cachePolicyId });

  // The function on origin-request (step 5.3).
  const used = usableFunction(f, trigger.arn);
  if (!used.fn) f.unmatched.push({ part: `origin-request trigger on ${b.pattern}`, why: used.why! });
  else {
    f.adoptTrigger(b.pattern, 'origin-request', used.fn, 'proxy', [`the origin-request trigger of the proxy behavior (step 5.3), Include body ${trigger.includeBody ? 'on' : 'off'}`]);
    if (!trigger.includeBody) f.later.push(`turn Include body on for ${b.pattern} origin-request (step 5.3 has it on; it is off)`);
  }
  const response = b.associations.find((a) => a.event === 'origin-response');
  if (!response) f.later.push(`add an origin-response trigger on ${b.pattern} (the built-in proxy's; the seed has none)`);
  else {
    const r = usableFunction(f, response.arn);
    if (r.fn && used.fn && r.fn.name === used.fn.name) f.adoptTrigger(b.pattern, 'origin-response', r.fn, 'proxy', ['the same function as origin-request']);
    else f.unmatched.push({ part: `origin-response trigger on ${b.pattern}`, why: `${response.arn} is not the proxy function${r.why ? ` (${r.why})` : ''}: the recipe puts the proxy there, and attach replaces another function only with --replace-foreign` });
  }
  f.later.push(`replace the hand-made function${used.fn ? ` ${used.fn.name}` : ''} on the triggers with the built-in first-party proxy, ${f.options.integration}-proxy (the hand-made one stays in place, and edge-install never deletes it)`);

  // The secret (step 3).
  const candidate = proxySecretCandidates(f, origin ? [origin] : [])[0]!;
  const secret = secretPart(f, candidate, (s) => {
    const evidence = [keyList(s)];
    const problems: string[] = [];
    if (s.keys && !s.keys.includes('FPJS_PRE_SHARED_SECRET')) problems.push(`it has no FPJS_PRE_SHARED_SECRET key (step 3); store it before the first attach: edge-install secret set FPJS_PRE_SHARED_SECRET`);
    const stored = s.plain.FPJS_BEHAVIOR_PATH;
    if (stored !== undefined) (stored === segment ? evidence : problems).push(stored === segment ? 'FPJS_BEHAVIOR_PATH agrees with the path pattern' : `its FPJS_BEHAVIOR_PATH differs from the path pattern ${b.pattern}; the first attach writes ${segment}`);
    return { evidence, problems };
  });
  if (secret) {
    f.secret = secret;
    if (secret.plain.FPJS_AGENT_DOWNLOAD_PATH !== undefined) f.infer('agentDownloadPath', secret.plain.FPJS_AGENT_DOWNLOAD_PATH, `the secret's FPJS_AGENT_DOWNLOAD_PATH`);
    if (secret.plain.FPJS_GET_RESULT_PATH !== undefined) f.infer('getResultPath', secret.plain.FPJS_GET_RESULT_PATH, `the secret's FPJS_GET_RESULT_PATH`);
  }
  for (const key of ['agentDownloadPath', 'getResultPath']) {
    if (!(key in given) && !(key in f.answers)) {
      const secretKey = key === 'agentDownloadPath' ? 'FPJS_AGENT_DOWNLOAD_PATH' : 'FPJS_GET_RESULT_PATH';
      f.missingValues.push({ key, why: `not in ${secret ? `the secret ${secret.name}` : 'a secret import could read'} (${secretKey}); the vendor's support issued it (for JS agent v4 only, --set ${key}= leaves it out)` });
    }
  }
}

// ---- edge-enforcer ------------------------------------------------------------------------

/** The enforcer's settings secret: --secret-name, or the recipe's default name. */
export function enforcerSecretCandidates(f: Pick<Findings, 'options'>): SecretCandidate[] {
  const { secretName, secretRegion, integration } = f.options;
  return secretName
    ? [{ name: secretName, region: secretRegion ?? 'us-east-1', from: 'named by --secret-name' }]
    : [{ name: `edge-install/${integration}`, region: secretRegion ?? 'us-east-1', from: "the recipe's default name; pass --secret-name if the tokens are in another secret" }];
}

/** A trigger on the default behavior taken for the recipe's `key` function, or why not. */
function defaultTrigger(f: Findings, view: BehaviorView, event: string, key: string, required: boolean): ImportedFunction | undefined {
  const trigger = view.associations.find((a) => a.event === event);
  if (!trigger) {
    if (required) f.unmatched.push({ part: `${key} (${event} on the default behavior)`, why: `the default behavior has no Lambda@Edge function on ${event} (the seed's ${key === 'enforcer' ? 'HumanEnforcer, required' : 'HumanActivities'})` });
    return undefined;
  }
  const used = usableFunction(f, trigger.arn);
  if (!used.fn) {
    f.unmatched.push({ part: `${key} (${event} on the default behavior)`, why: `the ${event} trigger on * ${used.why}` });
    return undefined;
  }
  const says = nameSays(f, key, used.fn);
  if (!says.ok) {
    f.unmatched.push({ part: `${key} (${event} on the default behavior)`, why: `the ${event} trigger on * is ${trigger.arn}: ${says.evidence}` });
    return undefined;
  }
  f.adoptTrigger('*', event, used.fn, key, [`on the default behavior's ${event}`, says.evidence]);
  return used.fn;
}

export function matchEdgeEnforcer(f: Findings): void {
  const { config } = f.inputs.distribution;
  const given = f.options.given;
  const views = behaviorsWithTriggers(config);
  const def = views.find((b) => b.index < 0);
  if (!def) {
    f.unmatched.push({ part: 'default behavior', why: 'the distribution has no default behavior' });
    return;
  }
  const enforcer = defaultTrigger(f, def, 'viewer-request', 'enforcer', true);
  if (!enforcer) return;
  f.found = true;
  f.later.push(`replace the hand-made functions on the triggers with the built-in wrappers around the vendor SDK (${f.options.integration}-enforcer, …), bundled from your project, which needs @humansecurity/aws-lambda-edge-enforcer installed (or --set handlerSource=<your handlers' directory>); the hand-made ones stay in place, and edge-install never deletes them`);

  const activities = defaultTrigger(f, def, 'origin-response', 'activities', given.activities === 'true');
  f.infer('activities', !!activities, activities ? 'the origin-response trigger on the default behavior' : "the default behavior's origin-response: no activities function there");

  // First party: /<app id without its first two characters>/*, origin-request (the seed's "Upload the HumanFirstParty Lambda").
  const wantedSuffix = typeof given.appId === 'string' ? given.appId.slice(2) : undefined;
  const candidates = views
    .filter((b) => b.index >= 0)
    .flatMap((b) => {
      const suffix = /^\/?([A-Za-z0-9]{6,16})\/\*$/.exec(b.pattern)?.[1];
      const trigger = b.associations.find((a) => a.event === 'origin-request');
      if (!suffix || !trigger) return [];
      const used = usableFunction(f, trigger.arn);
      if (!used.fn) return [];
      const says = nameSays(f, 'first-party', used.fn);
      const byAppId = wantedSuffix !== undefined && suffix === wantedSuffix;
      if (wantedSuffix !== undefined && !byAppId) return [];
      if (!says.ok && !byAppId) return [];
      return [{ b, suffix, fn: used.fn, evidence: [byAppId ? `pattern ${b.pattern}: the app id ${String(given.appId)} without its first two characters` : `pattern ${b.pattern}: /<app id without PX>/*`, says.ok ? says.evidence : `on the app id's path (--set appId)`] }];
    });
  if (candidates.length > 1) {
    f.ambiguous = true;
    f.missingValues.push({ key: 'appId', why: `several behaviors look like the first-party one (${candidates.map((c) => c.b.pattern).join(', ')}): pass --set appId=PX<the one>` });
    return;
  }
  const fp = candidates[0];
  if (fp) {
    f.infer('firstParty', true, `behavior ${fp.b.pattern}`);
    f.infer('appId', `PX${fp.suffix}`, `the path pattern ${fp.b.pattern} (PX + it)`);
    const notes = behaviorNotes(fp.b.pattern, fp.b, { viewer: 'allow-all', originRequestPolicy: 'AllViewerExceptHostHeader' });
    const routed = fp.b.targetOriginId === def.targetOriginId;
    if (!routed) notes.later.push(`route ${fp.b.pattern} to the default behavior's origin ${def.targetOriginId}, as the recipe has it (it goes to ${fp.b.targetOriginId})`);
    f.adoptBehavior(fp.b.pattern, [...fp.evidence, ...(routed ? ["the default behavior's origin"] : []), ...notes.evidence]);
    f.later.push(...notes.later);
    f.adoptTrigger(fp.b.pattern, 'origin-request', fp.fn, 'first-party', fp.evidence.slice(1));
    if (fp.b.cachePolicyId) f.policyCandidates.push({ key: 'first-party', pattern: fp.b.pattern, policyId: fp.b.cachePolicyId });
  } else {
    if (given.firstParty === 'true' || wantedSuffix !== undefined) {
      f.unmatched.push({ part: 'first-party behavior', why: `no behavior ${wantedSuffix !== undefined ? `/${wantedSuffix}/*` : '/<app id without PX>/*'} with a first-party function on origin-request` });
    }
    f.infer('firstParty', false, 'the behaviors: none is /<app id without PX>/* with a first-party function on origin-request');
  }

  const candidate = enforcerSecretCandidates(f)[0]!;
  const secret = secretPart(
    f,
    candidate,
    (s) => ({
      evidence: [keyList(s)],
      problems: ['PX_AUTH_TOKEN', 'PX_COOKIE_SECRET'].filter((k) => s.keys && !s.keys.includes(k)).map((k) => `it has no ${k} key; store it before the first attach: edge-install secret set ${k}`),
    }),
    `no secret ${candidate.name} in ${candidate.region} (${candidate.from}). The hand-made functions keep the server token and cookie secret in their code (the seed's config.ts); the built-in ones read them from this secret: before the first attach, store them with edge-install secret set PX_AUTH_TOKEN and edge-install secret set PX_COOKIE_SECRET (the first creates the secret)`,
  );
  if (secret?.plain.PX_APP_ID) f.infer('appId', secret.plain.PX_APP_ID, "the secret's PX_APP_ID");
  if (!('appId' in f.answers) && !('appId' in given)) f.missingValues.push({ key: 'appId', why: 'no first-party behavior /<app id without PX>/* and no PX_APP_ID in the secret to take it from' });
}
