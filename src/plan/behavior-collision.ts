/**
 * PURE: what to say when a behavior of the manifest has the path pattern of a behavior the
 * site already has and edge-install does not own (issue 18: the advice never suggests adopting
 * the site's own behavior for a vendor proxy).
 *
 * "adopt": true keeps the site's behavior as it is — its origin, its policies — and only adds
 * the manifest's triggers to it. That is right for triggers meant to run on the site's own
 * paths (a custom handler on /api/*). It is wrong for a proxy: a behavior the manifest sends to
 * an origin of its own (the vendor's: first-party-proxy's fpcdn.io) would go on reaching the
 * site's origin, and the site's paths would start running the vendor's handler. So:
 *  - a behavior routed to one of the manifest's origins: choose another path (the recipe
 *    question it comes from, when one does: `--set behaviorPath=…`), never adopt;
 *  - edge-enforcer's first-party path, which HUMAN fixes from the app id (/<app id without
 *    PX>/*), so no other path can be chosen: the site's behavior there is most likely a
 *    first-party route made by hand. The ways out: remove that behavior from the distribution
 *    by hand, go without first-party mode, or — a whole HUMAN install made by hand — take it over
 *    with `edge-install import` into a manifest of its own (`--config <another file>`). Never
 *    import onto this manifest's path: import refuses a manifest that is already there (and,
 *    with --force, one whose integration has revisions), so advice to run it plainly would fail;
 *  - any other behavior (triggers on the site's own paths): adopt, or choose another path.
 */
import type { Manifest, ManifestBehavior } from '../manifest/schema.js';

/** The `values` key a path pattern was made from (`${values.behaviorPath}/*`), if one was. */
function valueKeyOf(manifest: Manifest, pattern: string): string | undefined {
  const bare = pattern.replace(/^\//, '').replace(/\/\*$/, '');
  return Object.entries(manifest.values).find(([, value]) => typeof value === 'string' && value.replace(/^\/|\/$/g, '') === bare)?.[0];
}

export function behaviorCollision(manifest: Manifest, behavior: ManifestBehavior): string {
  const pattern = behavior.pathPattern;
  const taken = `behavior ${pattern} already exists and is not owned by edge-install`;
  const key = valueKeyOf(manifest, pattern);

  if (manifest.recipe === 'edge-enforcer' && key === 'firstPartyPrefix') {
    const distribution = manifest.distributions.length === 1 ? manifest.distributions[0] : '<its id>';
    return (
      `${taken}: it is HUMAN's first-party path for this app id (it cannot be moved to another path), so the site, or a first-party setup made by hand, already routes it. ` +
      `Fix: remove that behavior from the distribution by hand if nothing uses it; or go without first-party mode (write this manifest again without it: edge-install init --recipe edge-enforcer --set firstParty=false --force); ` +
      `or, if it is part of a HUMAN install made by hand, take that install over into a manifest of its own — edge-install import --recipe edge-enforcer --distribution ${distribution} --config <another file>.json (import never writes over this manifest) — and use that one instead of this.`
    );
  }
  if (behavior.origin !== undefined && behavior.origin !== 'default' && behavior.origin in manifest.origins) {
    // Never "adopt": the site's behavior would keep its own origin, and the proxy would not reach origins.${behavior.origin}.
    const where = key ? `values.${key} in the manifest (init --set ${key}=<another path>)` : `this behavior's pathPattern in the manifest`;
    return `${taken}: the site uses that path, and the proxy needs a path of its own (the site's behavior is left alone). Fix: choose another path — change ${where} — then plan again; or, if nothing of the site uses that behavior any more, remove it from the distribution by hand.`;
  }
  return `${taken}: set "adopt": true on it in the manifest to only add the triggers to the site's behavior, or choose another pathPattern`;
}
