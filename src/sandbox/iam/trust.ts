/**
 * What other services need to know about a role: does it exist, and which service
 * principals may assume it. Lambda checks `lambda.amazonaws.com` (and IAM propagation) on
 * CreateFunction; CloudFront checks `edgelambda.amazonaws.com` too on every association.
 */
import type { RoleRecord, World } from '../world.js';

export function roleByArn(world: World, arn: string): RoleRecord | undefined {
  return world.data.iam.roles.find((role) => role.arn === arn);
}

/** Service principals allowed sts:AssumeRole by a trust policy document (JSON text). */
export function trustedServicePrincipals(document: string): Set<string> {
  const services = new Set<string>();
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(document) as { Statement?: unknown };
  } catch {
    return services;
  }
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  for (const raw of statements) {
    const statement = raw as { Effect?: string; Action?: string | string[]; Principal?: { Service?: string | string[] } } | undefined;
    if (!statement || statement.Effect !== 'Allow') continue;
    const actions = ([] as string[]).concat(statement.Action ?? []);
    if (!actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')) continue;
    for (const service of ([] as string[]).concat(statement.Principal?.Service ?? [])) services.add(service);
  }
  return services;
}
