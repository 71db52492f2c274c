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
      'behavior fpjs/* already exists and is not owned by edge-install: the site uses that path, and the proxy needs a path of its own (the site\'s behavior is left alone). Fix: choose another path — change values.behaviorPath in the manifest (init --set behaviorPath=<another path>) — then plan again.',
    );
    expect(advice).not.toMatch(/adopt/i);
  });

  it('a proxy behavior with a literal pattern: its pathPattern, never adopt', () => {
    const m = parseManifest({ name: 'acme', functions: fn, origins: { vendor: { domainName: 'vendor.example' } }, behaviors: [{ pathPattern: '/v/*', origin: 'vendor', triggers: { 'origin-request': { function: 'proxy' } } }] });
    const advice = behaviorCollision(m, m.behaviors[0]!);
    expect(advice).toContain("change this behavior's pathPattern in the manifest");
    expect(advice).not.toMatch(/adopt/i);
  });

  it("edge-enforcer's first-party path is HUMAN's: import a hand-made setup, or remove it, or no first-party; never adopt", () => {
    const m = parseManifest({
      name: 'px',
      recipe: 'edge-enforcer',
      values: { appId: 'PX12345678', firstPartyPrefix: '12345678' },
      functions: enforcerFns,
      behaviors: [
        { pathPattern: '*', triggers: { 'viewer-request': { function: 'enforcer' } } },
        { pathPattern: '/12345678/*', origin: 'default', triggers: { 'origin-request': { function: 'first-party' } } },
      ],
    });
    const advice = behaviorCollision(m, m.behaviors[1]!);
    expect(advice).toContain("HUMAN's first-party path for this app id");
    // import refuses to overwrite a manifest, so the advice says to move this one aside first.
    expect(advice).toContain('move this manifest aside first (mv edge-install.json edge-install.json.bak), then run edge-install import --recipe edge-enforcer --distribution <its id>');
    expect(advice).toContain('--set firstParty=false');
    expect(advice).not.toMatch(/"adopt"/);
  });

  it('triggers for the site\'s own paths (custom): adopt, or another pathPattern', () => {
    const m = parseManifest({ name: 'acme', recipe: 'custom', functions: fn, behaviors: [{ pathPattern: '/api/*', origin: 'default', triggers: { 'origin-request': { function: 'proxy' } } }] });
    expect(behaviorCollision(m, m.behaviors[0]!)).toContain('set "adopt": true on it in the manifest');
  });
});
