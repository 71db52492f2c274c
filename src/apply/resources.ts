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
import { interrupted } from '../errors.js';
import { step, UndoLog } from './undo.js';

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
  functionOptions: FunctionStepOptions;
}

/**
 * Runs the steps in order, each named (a failure says which) and recording its undo in
 * `undo`. Between steps it stops if `signal` was aborted (SIGINT): the current step finishes,
 * the next does not start.
 */
export async function applyResources(clients: AwsClients, plan: ResourcePlan, ctx: ApplyResourcesContext, undo: UndoLog = new UndoLog(), signal?: AbortSignal): Promise<ResourceOutputs> {
  const checkpoint = () => {
    if (signal?.aborted) throw interrupted(signal);
  };
  const { observed } = ctx;
  const secret = plan.secret ? await step(`secret ${plan.secret.name}`, () => applySecret(clients, plan.secret!, ctx.secretValues, undo, observed.secret?.arn, ctx.functionOptions)) : undefined;
  checkpoint();
  const role = await step(`role ${plan.role.name}`, () => applyRole(clients, plan.role, undo, observed.role));
  const functions: Record<string, FunctionOutput> = {};
  for (const pair of plan.functions) {
    checkpoint();
    const fn = observed.functions.find((f) => f.key === pair[0].key)!;
    functions[pair[0].key] = await step(`function ${pair[0].name}`, () => applyFunction(clients, pair, ctx.zips[pair[0].key], undo, fn, ctx.functionOptions));
  }
  const cachePolicyIds: Record<string, string> = {};
  for (const change of plan.cachePolicies) {
    checkpoint();
    const current = observed.cachePolicies.find((c) => c.key === change.key);
    const { key, id } = await step(`cache policy ${change.name}`, () => applyCachePolicy(clients, change, undo, current?.config));
    cachePolicyIds[key] = id;
  }
  checkpoint();
  return { secret, roleArn: role.arn, functions, cachePolicyIds };
}
