/**
 * `builtin:edge-enforcer/first-party` (origin-request on `/<app id without PX>/*`): the
 * vendor's first-party handler, configured from the baked settings and the secret (see
 * ../shared/wrapper.ts). Without its secret it runs with the app id alone, as the seed's
 * first-party configuration does.
 */
import { createHumanFirstPartyHandler } from '@humansecurity/aws-lambda-edge-enforcer';
import { config as bakedConfig, secretCache } from '../../shared/runtime.js';
import { createVendorWrapper } from '../shared/wrapper.js';

const config = bakedConfig();

export const handler = createVendorWrapper({ role: 'first-party', factory: createHumanFirstPartyHandler, config, secret: secretCache() });
