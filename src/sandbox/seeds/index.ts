/**
 * Start states: `empty` (only the AWS-managed policies), `demo` (a realistic production
 * site, see demo.ts), or a path to a JSON state file (what `--state-file` writes and
 * `GET /_sandbox/state` returns).
 */
import { managedCachePolicies, managedOriginRequestPolicies } from '../cloudfront/managed-policies.js';
import { addDistribution } from '../cloudfront/distributions.js';
import { addCloudFrontFunction } from '../cloudfront/functions.js';
import { readStateFile } from '../persistence.js';
import { emptyData, World, type SandboxData } from '../world.js';
import { DEMO_DISTRIBUTION_ID, DEMO_DOMAIN_NAME, DEMO_FUNCTION, DEMO_STATE_BUCKET, DEMO_TAGS, demoDistributionConfig } from './demo.js';

function withManagedPolicies(data: SandboxData): SandboxData {
  const cf = data.cloudfront;
  const missing = <T extends { id: string }>(have: T[], all: T[]): T[] => all.filter((p) => !have.some((h) => h.id === p.id));
  cf.cachePolicies = [...missing(cf.cachePolicies, managedCachePolicies()), ...cf.cachePolicies];
  cf.originRequestPolicies = [...missing(cf.originRequestPolicies, managedOriginRequestPolicies()), ...cf.originRequestPolicies];
  return data;
}

function demoData(): SandboxData {
  const world = new World(withManagedPolicies(emptyData()));
  addCloudFrontFunction(world, { ...DEMO_FUNCTION, published: true });
  addDistribution(world, demoDistributionConfig(), { id: DEMO_DISTRIBUTION_ID, domainName: DEMO_DOMAIN_NAME, deployed: true, tags: { ...DEMO_TAGS } });
  // An empty bucket for trying S3 state (`--state s3://edge-install-demo-state/…`) with nothing to set up.
  world.s3Buckets.push({ name: DEMO_STATE_BUCKET, region: 'us-east-1', created: world.clock.now(), objects: [] });
  return world.data;
}

export function seedData(seed: string): SandboxData {
  if (seed === 'empty') return withManagedPolicies(emptyData());
  if (seed === 'demo') return demoData();
  const data = readStateFile(seed);
  if (!data) throw new Error(`seed '${seed}' is neither 'demo', 'empty' nor an existing JSON state file`);
  return withManagedPolicies(data);
}
