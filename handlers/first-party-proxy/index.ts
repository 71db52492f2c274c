/**
 * `builtin:first-party-proxy`: the first-party proxy (see proxy.ts), configured from the
 * settings baked into the bundle and reading its secret through the per-container cache.
 */
import { bakedConfig } from '../shared/config.js';
import { secretSource } from '../shared/secret-source.js';
import { createFirstPartyProxy } from './proxy.js';

const config = bakedConfig();

export const handler = createFirstPartyProxy({ config, secret: secretSource(config) });
