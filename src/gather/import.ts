/**
 * GATHER for `import`: everything it reads, nothing it writes — the distribution (config and
 * ETag), every Lambda@Edge function version its triggers name (configuration and tags), the
 * custom cache policies of the behaviors that carry triggers, the functions' execution roles,
 * and the secret(s) the install may keep its settings in: the names an origin header gives
 * (the first-party proxy's FPJS_SECRET_NAME, step 5.1 of its seed), --secret-name, and the
 * recipe's default (always read: the manifest names it in place of a refused secret only if it
 * is free, import-shapes.ts). src/plan/import.ts matches the recipe's shape against this value.
 */
import type { AwsClients } from '../aws/clients.js';
import { observeAccount, type ObservedAccount } from '../aws/observe/account.js';
import { observeDistribution, type ObservedDistribution } from '../aws/observe/distribution.js';
import {
  observeCachePolicyById,
  observeFunctionVersion,
  observeRoleByArn,
  observeSecretNamed,
  type ImportedCachePolicy,
  type ImportedFunction,
  type ImportedRole,
  type ImportedSecret,
} from '../aws/observe/import-parts.js';
import { isAwsError } from '../aws/errors.js';
import { UsageError } from '../errors.js';
import { managedPolicyName } from '../manifest/managed-policies.js';
import { behaviorsWithTriggers, type SecretCandidate } from '../plan/import.js';

export interface ImportInputs {
  distribution: ObservedDistribution;
  account: ObservedAccount;
  /** Every function version a Lambda@Edge trigger of the distribution names. */
  functions: ImportedFunction[];
  /** The account's own cache policies used by behaviors that carry triggers (managed ones are AWS's). */
  cachePolicies: ImportedCachePolicy[];
  /** The execution roles of those functions. */
  roles: ImportedRole[];
  /** Each secret the install may use, looked up by name (whether it exists or not). */
  secrets: ImportedSecret[];
}

export interface ImportGather {
  distributionId: string;
  /** The secrets to look for, given the config as read (plan/import.ts, secretCandidates). */
  secretCandidates: (distribution: ObservedDistribution) => SecretCandidate[];
  /** Secret keys whose values the recipe keeps in plain text (they may be read to infer settings). */
  plainKeys: readonly string[];
}

export async function gatherImport(clients: AwsClients, options: ImportGather): Promise<ImportInputs> {
  const [account, distribution] = await Promise.all([
    observeAccount(clients),
    observeDistribution(clients, options.distributionId).catch((error: unknown) => {
      // An id that names no distribution is bad input (exit 2), as for every command.
      if (isAwsError(error, 'NoSuchDistribution')) throw new UsageError(`no distribution ${options.distributionId} in this account (NoSuchDistribution): check --distribution; \`aws cloudfront list-distributions\` lists them.`, { cause: error });
      throw error;
    }),
  ]);
  const behaviors = behaviorsWithTriggers(distribution.config);
  const arns = [...new Set(behaviors.flatMap((b) => b.associations.map((a) => a.arn)))];
  const policyIds = [...new Set(behaviors.map((b) => b.cachePolicyId).filter((id): id is string => !!id && !managedPolicyName(id)))];
  const [functions, cachePolicies, secrets] = await Promise.all([
    Promise.all(arns.map((arn) => observeFunctionVersion(clients, arn))),
    Promise.all(policyIds.map((id) => observeCachePolicyById(clients, id))),
    Promise.all(options.secretCandidates(distribution).map((c) => observeSecretNamed(clients, c.name, c.region, options.plainKeys))),
  ]);
  const roleArns = [...new Set(functions.map((f) => f.role).filter((r): r is string => !!r))];
  const roles = await Promise.all(roleArns.map((arn) => observeRoleByArn(clients, arn)));
  return { distribution, account, functions, cachePolicies, roles, secrets };
}
