import { cloudfront } from './cloudfront/service.js';
import { iam } from './iam/service.js';
import { lambda } from './lambda/service.js';
import { logs } from './logs/service.js';
import { monitoring } from './metrics/service.js';
import type { Service, ServiceName } from './request.js';
import { secretsmanager } from './secretsmanager/service.js';
import { s3 } from './s3/service.js';
import { servicequotas } from './servicequotas/service.js';
import { sts } from './sts/service.js';

export const SERVICES: Record<ServiceName, Service> = { cloudfront, lambda, iam, secretsmanager, sts, servicequotas, logs, monitoring, s3 };
