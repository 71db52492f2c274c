/**
 * ListSecretVersionIds, as the API reference documents it: the versions of a secret, without
 * their values; by default only versions with at least one staging label ("Versions without
 * staging labels are considered deprecated … By default, versions without staging labels
 * aren't included"; IncludeDeprecated lists them too). MaxResults 1–100 and NextToken page
 * the list as ListSecrets does. A replica region may list them too (a read).
 */
import type { SecretRecord } from '../world.js';
import { bool, type Input } from './input.js';
import { paginate } from './list.js';

/** Epoch seconds, as the JSON protocols send timestamps. */
const seconds = (ms: number): number => ms / 1000;

export function listSecretVersionIds(secret: SecretRecord, arn: string, input: Input): Record<string, unknown> {
  const includeDeprecated = bool(input, 'IncludeDeprecated') ?? false;
  const versions = secret.versions.filter((v) => includeDeprecated || v.stages.length > 0);
  const { page, nextToken } = paginate(versions, input);
  return {
    ARN: arn,
    Name: secret.name,
    Versions: page.map((v) => ({ VersionId: v.versionId, VersionStages: v.stages.length ? [...v.stages] : undefined, CreatedDate: seconds(v.created) })),
    NextToken: nextToken,
  };
}
