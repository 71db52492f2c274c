/**
 * Issue 18, item 9: when a recipe's path collides with a behavior the site already has, the
 * advice never suggests adopting the site's behavior for a vendor proxy (first-party-proxy,
 * edge-enforcer's first-party path); it does for triggers meant for the site's own paths.
 */
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/parse.js';
import { behaviorCollision } from '../../src/plan/behavior-collision.js';

const fn = { proxy: { handler: './h.ts' } };
const enforcerFns = { enforcer: { handler: './h.ts' }, 'first-party': { handler: './h.ts' } };

describe('the advice for a path the site already uses', () => {
  it('first-party-proxy: another path, named by the recipe question it comes from; never adopt', () => {
    const m = parseManifest({
      name: 'fp-proxy',
      recipe: 'first-party-proxy',
      values: { behaviorPath: 'fpjs', agentDownloadPath: 'agent' },
      functions: fn,
      origins: { vendor: { domainName: 'fpcdn.io' } },
      behaviors: [{ pathPattern: 'fpjs/*', origin: 'vendor', triggers: { 'origin-request': { function: 'proxy' } } }],
    });
    const advice = behaviorCollision(m, m.behaviors[0]!);
    expect(advice).toBe(
      'behavior fpjs/* already exists and is not owned by edge-install: the site uses that path, and the proxy needs a path of its own (the site\'s behavior is left alone). Fix: choose another path — change values.behaviorPath in the manifest (init --set behaviorPath=<another path>) — then plan again; or, if nothing of the site uses that behavior any more, remove it from the distribution by hand.',
    );
    // import is no way out here: it would take the site's behavior for the proxy's.
    expect(advice).not.toContain('import');
    expect(advice).not.toMatch(/adopt/i);
  });

  it('a proxy behavior with a literal pattern: its pathPattern, never adopt', () => {
    const m = parseManifest({ name: 'acme', functions: fn, origins: { vendor: { domainName: 'vendor.example' } }, behaviors: [{ pathPattern: '/v/*', origin: 'vendor', triggers: { 'origin-request': { function: 'proxy' } } }] });
    const advice = behaviorCollision(m, m.behaviors[0]!);
    expect(advice).toContain("change this behavior's pathPattern in the manifest");
    expect(advice).not.toMatch(/adopt/i);
  });

  it("edge-enforcer's first-party path is HUMAN's: remove it, or no first-party, or import a hand-made setup into a manifest of its own; never adopt", () => {
    const m = parseManifest({
      name: 'px',
      recipe: 'edge-enforcer',
      distributions: ['E1DEMO0EXAMPLE'],
      values: { appId: 'PX12345678', firstPartyPrefix: '12345678' },
      functions: enforcerFns,
      behaviors: [
        { pathPattern: '*', triggers: { 'viewer-request': { function: 'enforcer' } } },
        { pathPattern: '/12345678/*', origin: 'default', triggers: { 'origin-request': { function: 'first-party' } } },
      ],
    });
    const advice = behaviorCollision(m, m.behaviors[1]!);
    expect(advice).toBe(
      "behavior /12345678/* already exists and is not owned by edge-install: it is HUMAN's first-party path for this app id (it cannot be moved to another path), so the site, or a first-party setup made by hand, already routes it. " +
        'Fix: remove that behavior from the distribution by hand if nothing uses it; or go without first-party mode (write this manifest again without it: edge-install init --recipe edge-enforcer --set firstParty=false --force); ' +
        'or, if it is part of a HUMAN install made by hand, take that install over into a manifest of its own — edge-install import --recipe edge-enforcer --distribution E1DEMO0EXAMPLE --config <another file>.json (import never writes over this manifest) — and use that one instead of this.',
    );
    // import refuses a manifest already there: the advice never runs it onto this one (no plain import, no --force, no mv).
    expect(advice).toMatch(/edge-install import [^—]*--config <another file>\.json/);
    expect(advice).not.toMatch(/edge-install import [^—]*--force|mv edge-install\.json/);
    expect(advice).not.toMatch(/"adopt"|adopt/);
  });

  it("edge-enforcer's first-party advice with several distributions says which to give", () => {
    const m = parseManifest({
      name: 'px',
      recipe: 'edge-enforcer',
      distributions: ['E1DEMO0EXAMPLE', 'E2DEMO0EXAMPLE'],
      values: { appId: 'PX12345678', firstPartyPrefix: '12345678' },
      functions: enforcerFns,
      behaviors: [
        { pathPattern: '*', triggers: { 'viewer-request': { function: 'enforcer' } } },
        { pathPattern: '/12345678/*', origin: 'default', triggers: { 'origin-request': { function: 'first-party' } } },
      ],
    });
    expect(behaviorCollision(m, m.behaviors[1]!)).toContain('edge-install import --recipe edge-enforcer --distribution <its id> --config <another file>.json');
  });

  it('triggers for the site\'s own paths (custom): adopt, or another pathPattern', () => {
    const m = parseManifest({ name: 'acme', recipe: 'custom', functions: fn, behaviors: [{ pathPattern: '/api/*', origin: 'default', triggers: { 'origin-request': { function: 'proxy' } } }] });
    expect(behaviorCollision(m, m.behaviors[0]!)).toContain('set "adopt": true on it in the manifest');
  });
});
