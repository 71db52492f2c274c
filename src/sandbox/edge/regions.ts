/**
 * Where the local edge pretends a request was served. Lambda@Edge runs a function in the AWS
 * Region of the regional edge cache nearest the viewer and writes its logs there (CloudFront
 * Developer Guide, "Lambda@Edge: CloudWatch metrics and CloudWatch Logs"; the regional edge
 * cache Regions are listed in "How CloudFront works with regional edge caches").
 */
export const REGIONAL_EDGE_CACHE_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2',
  'ap-southeast-1', 'ap-southeast-2', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'sa-east-1',
] as const;

/** An edge location's code in x-amz-cf-pop: airport code, number, suffix (e.g. IAD89-P1). */
const POP_OF_REGION: Record<string, string> = {
  'us-east-1': 'IAD89-P1', 'us-east-2': 'CMH68-P1', 'us-west-1': 'SFO53-P1', 'us-west-2': 'SEA19-P1',
  'ap-south-1': 'BOM78-P1', 'ap-northeast-1': 'NRT57-P1', 'ap-northeast-2': 'ICN57-P1', 'ap-southeast-1': 'SIN2-P1',
  'ap-southeast-2': 'SYD62-P1', 'eu-central-1': 'FRA56-P1', 'eu-west-1': 'DUB56-P1', 'eu-west-2': 'LHR61-P1', 'sa-east-1': 'GRU3-P1',
};

export const popOf = (region: string): string => POP_OF_REGION[region] ?? 'IAD89-P1';

export const isEdgeRegion = (region: string): boolean => (REGIONAL_EDGE_CACHE_REGIONS as readonly string[]).includes(region);

/** Round-robin over the regional edge cache Regions, unless one is fixed. */
export class RegionPicker {
  private next = 0;
  constructor(private readonly fixed?: string) {}

  pick(requested?: string): string {
    if (requested) return requested;
    if (this.fixed) return this.fixed;
    const region = REGIONAL_EDGE_CACHE_REGIONS[this.next % REGIONAL_EDGE_CACHE_REGIONS.length]!;
    this.next++;
    return region;
  }
}
