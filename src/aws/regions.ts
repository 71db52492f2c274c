/**
 * Where edge-install's AWS resources live. Lambda@Edge functions and CloudFront are in
 * us-east-1 whatever the user's region (AWS: "Lambda@Edge … functions must be created in the
 * US East (N. Virginia) Region"); only the secret has a region of its own.
 */
import { closest } from '../manifest/suggest.js';

export const EDGE_REGION = 'us-east-1';

/**
 * The Regions with a regional edge cache, where Lambda@Edge replicas run and write their logs
 * and metrics (CloudFront Developer Guide, "How CloudFront works with regional edge caches";
 * AWS does not publish the list as such: these are the Regions named there).
 */
export const REGIONAL_EDGE_CACHE_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2',
  'ap-southeast-1', 'ap-southeast-2', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'sa-east-1',
];

/**
 * The regions a secret can be in: those of the `aws` partition, the one Lambda@Edge runs in
 * (its functions' role cannot read a secret in the China, GovCloud or isolated partitions).
 * From AWS's endpoint data as the AWS SDK ships it (@aws-sdk/core, util-endpoints
 * partitions: partition "aws", "regions"); test/aws/regions.test.ts fails when the installed
 * SDK knows a region this list lacks, so an SDK update brings new regions in.
 */
export const AWS_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'me-west-1',
  'mx-central-1',
  'sa-east-1',
  'sa-west-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

export const isAwsRegion = (value: string): boolean => AWS_REGIONS.includes(value);

/** The region `value` was likely meant to be (`us-east1` → us-east-1), if it looks like a typo of one. */
export function regionGuess(value: string): string | undefined {
  return closest(value, AWS_REGIONS);
}

/** China, GovCloud, the isolated and sovereign partitions: regions of AWS, not of Lambda@Edge's partition. */
export const isOtherPartitionRegion = (value: string): boolean => /^(cn|us-gov|us-iso[a-z]*|eu-iso[a-z]*|eusc)-[a-z]+-\d+$/.test(value);

/** Why `value` is not a region a secret can be in (with the likely one); undefined when it is one. */
export function regionProblem(value: string): string | undefined {
  if (isAwsRegion(value)) return undefined;
  if (isOtherPartitionRegion(value)) return `'${value}' is in another AWS partition: Lambda@Edge runs in the aws partition, and its functions cannot read a secret there`;
  const guess = regionGuess(value);
  return `'${value}' is not an AWS region${guess ? ` (did you mean ${guess}?)` : ''}`;
}
