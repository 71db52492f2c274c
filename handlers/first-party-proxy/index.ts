/**
 * `builtin:first-party-proxy`: the first-party proxy (see proxy.ts), configured from the
 * settings baked into the bundle and reading its secret through the per-container cache of
 * shared/runtime.ts — the one custom handlers use as `edge-install/runtime`.
 */
import { config as bakedConfig, secretCache } from '../shared/runtime.js';
import { createFirstPartyProxy } from './proxy.js';

const config = bakedConfig();

export const handler = createFirstPartyProxy({ config, secret: secretCache() });
