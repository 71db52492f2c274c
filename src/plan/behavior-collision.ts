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
 *    PX>/*): the site's behavior there is most likely a first-party route made by hand — take
 *    the install over with `edge-install import` (which writes the manifest itself and refuses
 *    to overwrite one, so the advice says to move this one aside first), or remove it, or go
 *    without first-party mode;
 *  - any other behavior (triggers on the site's paths): adopt, or choose another path.
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
    return (
      `${taken}: it is HUMAN's first-party path for this app id, so the site (or a first-party setup made by hand) already routes it. ` +
      `Fix: if it is a first-party setup made by hand, take the whole install over instead — import writes the manifest from what it finds and never overwrites one, so move this manifest aside first (mv edge-install.json edge-install.json.bak), then run edge-install import --recipe edge-enforcer --distribution <its id>; otherwise remove that behavior from the distribution, or go without first-party mode (init --set firstParty=false).`
    );
  }
  if (behavior.origin !== undefined && behavior.origin !== 'default' && behavior.origin in manifest.origins) {
    // Never "adopt": the site's behavior would keep its own origin, and the proxy would not reach origins.${behavior.origin}.
    const where = key ? `values.${key} in the manifest (init --set ${key}=<another path>)` : `this behavior's pathPattern in the manifest`;
    return `${taken}: the site uses that path, and the proxy needs a path of its own (the site's behavior is left alone). Fix: choose another path — change ${where} — then plan again.`;
  }
  return `${taken}: set "adopt": true on it in the manifest to only add the triggers to the site's behavior, or choose another pathPattern`;
}
