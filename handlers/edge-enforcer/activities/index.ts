/**
 * `builtin:edge-enforcer/activities` (origin-response): the vendor's activities handler,
 * configured from the baked settings and the secret (see ../shared/wrapper.ts). Passes the
 * response through unchanged without its secret.
 */
import { createHumanActivitiesHandler } from '@humansecurity/aws-lambda-edge-enforcer';
import { config as bakedConfig, secretCache } from '../../shared/runtime.js';
import { createVendorWrapper } from '../shared/wrapper.js';

const config = bakedConfig();

export const handler = createVendorWrapper({ role: 'activities', factory: createHumanActivitiesHandler, config, secret: secretCache() });
