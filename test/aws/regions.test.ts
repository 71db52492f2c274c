/**
 * The region list is AWS's, as the AWS SDK ships it: an SDK update that knows a new region
 * fails here until src/aws/regions.ts lists it too. Typos get a suggestion.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWS_REGIONS, regionProblem } from '../../src/aws/regions.js';

/** The SDK's endpoint data (util-endpoints partitions), read from the installed @aws-sdk/core. */
function sdkRegions(): string[] {
  const require = createRequire(import.meta.url);
  const core = dirname(require.resolve('@aws-sdk/core/package.json', { paths: [dirname(require.resolve('@aws-sdk/client-secrets-manager'))] }));
  const text = readFileSync(join(core, 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js'), 'utf8');
  const info = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as { partitions: { id: string; regions: Record<string, unknown> }[] };
  const aws = info.partitions.find((p) => p.id === 'aws')!;
  return Object.keys(aws.regions).filter((r) => !r.startsWith('aws-')).sort();
}

describe('AWS regions', () => {
  it('are the aws partition of the installed SDK', () => {
    expect([...AWS_REGIONS].sort()).toEqual(sdkRegions());
  });

  it('a typo is refused with the region it likely meant', () => {
    expect(regionProblem('us-east-1')).toBeUndefined();
    expect(regionProblem('us-east1')).toBe("'us-east1' is not an AWS region (did you mean us-east-1?)");
    expect(regionProblem('eu-wset-1')).toContain('did you mean eu-west-1?');
    expect(regionProblem('mars-north-1')).toBe("'mars-north-1' is not an AWS region");
    expect(regionProblem('us-gov-west-1')).toContain('another AWS partition');
  });
});
