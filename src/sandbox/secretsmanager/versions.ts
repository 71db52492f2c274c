/**
 * Secret versions and their staging labels, as Secrets Manager documents them:
 * - a new value becomes a new version; unless other labels are given it gets AWSCURRENT,
 *   and the version that had AWSCURRENT gets AWSPREVIOUS; the first version of a secret gets
 *   AWSCURRENT whatever labels are given (PutSecretValue: "If this operation creates the first
 *   version for the secret, then Secrets Manager automatically attaches the staging label
 *   AWSCURRENT to it"); with labels that omit AWSCURRENT, a later version does not become
 *   current;
 * - a label is on at most one version, so attaching it moves it;
 * - ClientRequestToken is the new version's id and makes the call idempotent: the same
 *   token with the same value changes nothing; with a different value it fails, since a
 *   version cannot be changed;
 * - versions without labels are deprecated; beyond 100 versions the oldest of them go.
 */
import { AwsError } from '../errors.js';
import { uuid } from '../ids.js';
import type { SecretRecord, SecretVersionRecord } from '../world.js';
import { invalidParameter, validation, type SecretValue } from './input.js';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';
const MAX_VERSIONS = 100;

export function currentVersion(secret: SecretRecord): SecretVersionRecord | undefined {
  return secret.versions.find((v) => v.stages.includes(AWSCURRENT));
}

export function sameValue(version: SecretVersionRecord, value: SecretValue): boolean {
  return version.secretString === value.secretString && version.secretBinary === value.secretBinary;
}

/** VersionStages: 1–20 labels of 1–256 characters. */
export function checkStages(stages: string[]): void {
  if (stages.length < 1 || stages.length > 20) throw validation(undefined, 'versionStages', 'Member must have length between 1 and 20');
  for (const stage of stages) {
    if (stage.length < 1 || stage.length > 256) throw validation(stage, 'versionStages', 'Member must have length between 1 and 256');
  }
}

/** Attaches each label to `target`, taking it off whichever version had it. */
function moveStages(secret: SecretRecord, target: SecretVersionRecord, stages: string[]): void {
  const previousCurrent = stages.includes(AWSCURRENT) ? currentVersion(secret) : undefined;
  for (const stage of stages) {
    for (const version of secret.versions) version.stages = version.stages.filter((s) => s !== stage);
    if (!target.stages.includes(stage)) target.stages.push(stage);
  }
  if (previousCurrent && previousCurrent !== target) {
    for (const version of secret.versions) version.stages = version.stages.filter((s) => s !== AWSPREVIOUS);
    previousCurrent.stages.push(AWSPREVIOUS);
  }
}

/**
 * UpdateSecretVersionStage (API reference): the label goes to MoveToVersionId; if another
 * version holds it, RemoveFromVersionId must name that version ("If the label is attached and
 * you either do not specify this parameter, or the version ID does not match, then the
 * operation fails"); without MoveToVersionId the label is only removed. Moving AWSCURRENT puts
 * AWSPREVIOUS on the version it left. The message for a missing RemoveFromVersionId is
 * AWS's, as the AWS provider for Terraform quotes it (InvalidParameterException); the one for
 * a RemoveFromVersionId that names another version is ours, with AWS's code.
 */
export function moveStage(secret: SecretRecord, stage: string, moveTo: string | undefined, removeFrom: string | undefined, now: number): void {
  const holder = secret.versions.find((v) => v.stages.includes(stage));
  const target = moveTo === undefined ? undefined : secret.versions.find((v) => v.versionId === moveTo);
  if (moveTo !== undefined && !target) throw new AwsError('ResourceNotFoundException', 400, `Secrets Manager can't find the specified secret value for VersionId: ${moveTo}`);
  if (removeFrom !== undefined && !secret.versions.some((v) => v.versionId === removeFrom)) {
    throw new AwsError('ResourceNotFoundException', 400, `Secrets Manager can't find the specified secret value for VersionId: ${removeFrom}`);
  }
  if (holder && holder !== target) {
    if (removeFrom === undefined && target) {
      throw invalidParameter(`The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`);
    }
    if (removeFrom !== undefined && removeFrom !== holder.versionId) {
      throw invalidParameter(`The staging label ${stage} is currently attached to version ${holder.versionId}, not to version ${removeFrom}; RemoveFromVersionId must name the version that holds it.`);
    }
  }
  if (target) moveStages(secret, target, [stage]);
  else if (holder && removeFrom === holder.versionId) {
    if (stage === AWSCURRENT) throw invalidParameter('You can only move the AWSCURRENT staging label to another version; it cannot be removed from the secret.');
    holder.stages = holder.stages.filter((s) => s !== stage);
  }
  dropDeprecatedVersions(secret);
  secret.lastChanged = now;
}

/** Deprecated versions (no labels) beyond the 100-version limit are removed, oldest first. */
function dropDeprecatedVersions(secret: SecretRecord): void {
  while (secret.versions.length > MAX_VERSIONS) {
    const oldest = secret.versions.find((v) => v.stages.length === 0);
    if (!oldest) return;
    secret.versions = secret.versions.filter((v) => v !== oldest);
  }
}

export interface PutResult {
  version: SecretVersionRecord;
  changed: boolean;
}

/** Stores a value as a new version, or recognises a retry of the same request. */
export function putValue(
  secret: SecretRecord,
  value: SecretValue,
  token: string | undefined,
  stages: string[] = [AWSCURRENT],
  now: number,
): PutResult {
  const versionId = token ?? uuid();
  const existing = secret.versions.find((v) => v.versionId === versionId);
  if (existing) {
    if (sameValue(existing, value)) return { version: existing, changed: false };
    throw new AwsError('ResourceExistsException', 400, "You can't modify an existing version, you can only create a new version.");
  }
  const first = secret.versions.length === 0;
  const version: SecretVersionRecord = { versionId, ...value, stages: [], created: now };
  secret.versions.push(version);
  moveStages(secret, version, first && !stages.includes(AWSCURRENT) ? [...stages, AWSCURRENT] : stages);
  dropDeprecatedVersions(secret);
  secret.lastChanged = now;
  return { version, changed: true };
}

/** GetSecretValue's choice: by VersionId, by VersionStage (default AWSCURRENT), or both agreeing. */
export function selectVersion(secret: SecretRecord, versionId: string | undefined, stage: string | undefined): SecretVersionRecord {
  if (versionId !== undefined) {
    const version = secret.versions.find((v) => v.versionId === versionId);
    if (!version) throw new AwsError('ResourceNotFoundException', 400, `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
    if (stage !== undefined && !version.stages.includes(stage)) {
      throw invalidParameter(`You provided a VersionStage that is not associated to the provided VersionId.`);
    }
    return version;
  }
  const label = stage ?? AWSCURRENT;
  const version = secret.versions.find((v) => v.stages.includes(label));
  if (!version) throw new AwsError('ResourceNotFoundException', 400, `Secrets Manager can't find the specified secret value for staging label: ${label}`);
  return version;
}

/** VersionIdsToStages: the labelled versions. */
export function versionsToStages(secret: SecretRecord): Record<string, string[]> {
  return Object.fromEntries(secret.versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, [...v.stages]]));
}
