/**
 * Steps 1–5 of an apply (ARCHITECTURE.md): secret, role, functions and versions, cache
 * policies — everything an install needs before the distribution is touched, in order,
 * each doing only what the plan says differs.
 */
import type { AwsClients } from '../aws/clients.js';
import type { ObservedResources } from '../aws/observe/index.js';
import type { ResourcePlan } from '../plan/resources.js';
import { applyCachePolicy } from './steps/cache-policies.js';
import { applyFunction, type FunctionOutput, type FunctionStepOptions } from './steps/functions.js';
import { applyRole } from './steps/role.js';
import { applySecret, type SecretValues } from './steps/secret.js';

export interface ResourceOutputs {
  secret?: { arn: string; versionId?: string };
  roleArn: string;
  functions: Record<string, FunctionOutput>;
  cachePolicyIds: Record<string, string>;
}

export interface ApplyResourcesContext {
  observed: ObservedResources;
  /** Every secret value known for this run (manifest non-sensitive values and given sensitive ones). */
  secretValues: SecretValues;
  /** Zipped bundles by function key (needed only for functions whose code is uploaded). */
  zips: Record<string, Buffer>;
  functionOptions?: FunctionStepOptions;
}

export async function applyResources(clients: AwsClients, plan: ResourcePlan, ctx: ApplyResourcesContext): Promise<ResourceOutputs> {
  const secret = plan.secret ? await applySecret(clients, plan.secret, ctx.secretValues, ctx.observed.secret?.arn) : undefined;
  const role = await applyRole(clients, plan.role, ctx.observed.role.arn);
  const functions: Record<string, FunctionOutput> = {};
  for (const pair of plan.functions) {
    functions[pair[0].key] = await applyFunction(clients, pair, ctx.zips[pair[0].key], ctx.functionOptions);
  }
  const cachePolicyIds: Record<string, string> = {};
  for (const change of plan.cachePolicies) {
    const { key, id } = await applyCachePolicy(clients, change);
    cachePolicyIds[key] = id;
  }
  return { secret, roleArn: role.arn, functions, cachePolicyIds };
}
