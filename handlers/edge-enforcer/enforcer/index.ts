/**
 * `builtin:edge-enforcer/enforcer` (viewer-request): the vendor's enforcer, configured from the
 * baked settings and the secret (see ../shared/wrapper.ts). Fails open without its secret.
 */
import { createHumanEnforceHandler } from '@humansecurity/aws-lambda-edge-enforcer';
import { config as bakedConfig, secretCache } from '../../shared/runtime.js';
import { createVendorWrapper } from '../shared/wrapper.js';

const config = bakedConfig();

export const handler = createVendorWrapper({ role: 'enforcer', factory: createHumanEnforceHandler, config, secret: secretCache() });
