/**
 * Service Quotas over json 1.1 (`X-Amz-Target: ServiceQuotasV20190624.<Operation>`, the
 * service model's target prefix), for the CloudFront quotas the sandbox enforces. CloudFront
 * is global: its quotas are served in us-east-1 only. Values are the sandbox's quotas (the
 * account's applied ones); the AWS defaults are CloudFront's documented defaults. Quota codes
 * as Service Quotas names them for service code `cloudfront`. Lambda@Edge's "Triggers per
 * distribution" is not served: no public source gives it a Service Quotas code (CloudFront
 * still enforces it: TooManyLambdaFunctionAssociations).
 */
import { AwsError } from '../errors.js';
import { jsonTargetRouter, renderJsonError, type JsonHandler } from '../protocols/json.js';
import type { Service } from '../request.js';
import type { Quotas, World } from '../world.js';

interface QuotaSpec {
  code: string;
  name: string;
  /** The world's value (what the account has). */
  applied: (quotas: Quotas) => number;
  /** AWS's default (CloudFront Developer Guide, "Quotas"). */
  awsDefault: number;
}

const CLOUDFRONT_QUOTAS: QuotaSpec[] = [
  { code: 'L-F432D044', name: 'Cache behaviors per distribution', applied: (q) => q.cacheBehaviorsPerDistribution, awsDefault: 75 },
  { code: 'L-B4048FB4', name: 'Origins per distribution', applied: (q) => q.originsPerDistribution, awsDefault: 100 },
  { code: 'L-7D134442', name: 'Cache policies per AWS account', applied: (q) => q.customCachePoliciesPerAccount, awsDefault: 20 },
];

const GLOBAL_REGION = 'us-east-1';

function quota(world: World, spec: QuotaSpec, value: number) {
  return {
    ServiceCode: 'cloudfront',
    ServiceName: 'Amazon CloudFront',
    QuotaArn: `arn:aws:servicequotas:${GLOBAL_REGION}:${world.accountId}:cloudfront/${spec.code}`,
    QuotaCode: spec.code,
    QuotaName: spec.name,
    Value: value,
    Unit: 'None',
    Adjustable: true,
    GlobalQuota: true,
  };
}

const required = (input: Record<string, unknown>, key: string): string => {
  const value = input[key];
  if (typeof value !== 'string' || value === '') throw new AwsError('IllegalArgumentException', 400, `${key} is required.`);
  return value;
};

/** The CloudFront quotas, or NoSuchResourceException: another service, or a region other than us-east-1. */
function cloudfrontQuotas(input: Record<string, unknown>, region: string): QuotaSpec[] {
  const serviceCode = required(input, 'ServiceCode');
  if (serviceCode !== 'cloudfront' || region !== GLOBAL_REGION) throw new AwsError('NoSuchResourceException', 400, 'The request failed because the specified service does not exist.');
  return CLOUDFRONT_QUOTAS;
}

function oneQuota(input: Record<string, unknown>, region: string): QuotaSpec {
  const specs = cloudfrontQuotas(input, region);
  const code = required(input, 'QuotaCode');
  const spec = specs.find((q) => q.code === code);
  if (!spec) throw new AwsError('NoSuchResourceException', 400, 'The specified resource does not exist.');
  return spec;
}

const handlers: Record<string, JsonHandler> = {
  GetServiceQuota: (input, req, world: World) => {
    const spec = oneQuota(input, req.region);
    return { Quota: quota(world, spec, spec.applied(world.quotas)) };
  },
  GetAWSDefaultServiceQuota: (input, req, world: World) => {
    const spec = oneQuota(input, req.region);
    return { Quota: quota(world, spec, spec.awsDefault) };
  },
  ListServiceQuotas: (input, req, world: World) => ({ Quotas: cloudfrontQuotas(input, req.region).map((spec) => quota(world, spec, spec.applied(world.quotas))) }),
  ListAWSDefaultServiceQuotas: (input, req, world: World) => ({ Quotas: cloudfrontQuotas(input, req.region).map((spec) => quota(world, spec, spec.awsDefault)) }),
};

export const servicequotas: Service = {
  name: 'servicequotas',
  maxBodyBytes: 1 << 20,
  resolve: jsonTargetRouter('ServiceQuotasV20190624', handlers),
  renderError: renderJsonError,
  throttleError: () => new AwsError('TooManyRequestsException', 400, 'Rate exceeded'),
};
