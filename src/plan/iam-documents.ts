/**
 * The role's policy documents, as values (pure). The trust policy lets Lambda and Lambda@Edge
 * assume the role; the execution policy allows exactly what the handlers do: read the one
 * secret, and write their logs, which Lambda@Edge writes in every region under
 * /aws/lambda/us-east-1.<function>.
 */
import { edgeLogGroup } from '../manifest/naming.js';
import type { ManifestSecret } from '../manifest/schema.js';

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Record<string, unknown>[];
}

export function trustPolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
  };
}

/**
 * Secrets Manager appends six random characters to a secret's ARN; `-??????` matches exactly
 * those (AWS's recommended pattern), so the policy can be written before the secret exists.
 */
export function secretArnPatterns(accountId: string, secret: Pick<ManifestSecret, 'name' | 'region' | 'replicaRegions'>): string[] {
  return [secret.region, ...secret.replicaRegions].map((region) => `arn:aws:secretsmanager:${region}:${accountId}:secret:${secret.name}-??????`);
}

export function executionPolicy(accountId: string, functionNames: string[], secret?: ManifestSecret, customLogGroups: string[] = []): PolicyDocument {
  const statements: Record<string, unknown>[] = [];
  if (secret) {
    statements.push({ Sid: 'ReadIntegrationSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretArnPatterns(accountId, secret) });
  }
  statements.push({
    Sid: 'WriteEdgeLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
    // Lambda@Edge's own groups, and any the manifest names (LoggingConfig.LogGroup), in every Region.
    Resource: [...new Set([...functionNames.map((name) => edgeLogGroup(name)), ...customLogGroups])].sort().map((group) => `arn:aws:logs:*:${accountId}:log-group:${group}*`),
  });
  return { Version: '2012-10-17', Statement: statements };
}
