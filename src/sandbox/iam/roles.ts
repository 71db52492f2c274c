/**
 * IAM roles and the policies on them, with IAM's rules:
 * - role names are unique in the account, without regard to case;
 * - a role can be deleted only once its inline policies are deleted and its managed
 *   policies detached (`DeleteConflict` 409);
 * - managed policies are AWS's (`arn:aws:iam::aws:policy/…`) or the account's own, at most
 *   10 per role;
 * - a new or changed trust policy takes a while to reach every region (eventual
 *   consistency): until `propagatedAt`, Lambda cannot assume the role.
 */
import { AwsError } from '../errors.js';
import { roleId } from '../ids.js';
import type { RoleRecord, World } from '../world.js';
import { checkInlinePoliciesSize, checkTrustPolicySize, validatePolicyDocument } from './policy-documents.js';

/** Managed policies attached to a role (PoliciesPerRole, default 10). */
export const MANAGED_POLICIES_PER_ROLE = 10;

export interface NewRole {
  name: string;
  assumeRolePolicyDocument: string;
  path: string;
  description?: string;
  maxSessionDuration: number;
  tags: Record<string, string>;
}

function noSuchRole(name: string): AwsError {
  return new AwsError('NoSuchEntity', 404, `The role with name ${name} cannot be found.`);
}

export function roleArn(world: World, path: string, name: string): string {
  return `arn:aws:iam::${world.accountId}:role${path}${name}`;
}

/** Role names are not distinguished by case. */
export function findRole(world: World, name: string): RoleRecord | undefined {
  const wanted = name.toLowerCase();
  return world.data.iam.roles.find((role) => role.name.toLowerCase() === wanted);
}

export function getRole(world: World, name: string): RoleRecord {
  const role = findRole(world, name);
  if (!role) throw noSuchRole(name);
  return role;
}

/** A trust policy must be a valid trust document within the size quota. */
function checkTrustPolicy(document: string): void {
  validatePolicyDocument(document, 'trust');
  checkTrustPolicySize(document);
}

/** IAM is eventually consistent: a trust change is usable by other services a little later. */
/** Takes the caller's `now` so a record's timestamps agree to the millisecond. */
function propagationDue(world: World, now: number): number {
  return now + world.delays.iamPropagationMs;
}

export function createRole(world: World, input: NewRole): RoleRecord {
  if (findRole(world, input.name)) throw new AwsError('EntityAlreadyExists', 409, `Role with name ${input.name} already exists.`);
  checkTrustPolicy(input.assumeRolePolicyDocument);
  const now = world.now();
  const role: RoleRecord = {
    name: input.name,
    id: roleId(),
    arn: roleArn(world, input.path, input.name),
    path: input.path,
    description: input.description,
    maxSessionDuration: input.maxSessionDuration,
    assumeRolePolicyDocument: input.assumeRolePolicyDocument,
    created: now,
    propagatedAt: propagationDue(world, now),
    inlinePolicies: {},
    attachedPolicyArns: [],
    tags: input.tags,
  };
  world.data.iam.roles.push(role);
  return role;
}

/** Managed policies must be detached, then inline policies deleted, before the role goes. */
export function deleteRole(world: World, name: string): void {
  const role = getRole(world, name);
  if (role.attachedPolicyArns.length > 0) throw new AwsError('DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
  if (Object.keys(role.inlinePolicies).length > 0) throw new AwsError('DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
  world.data.iam.roles = world.data.iam.roles.filter((r) => r !== role);
}

export function updateAssumeRolePolicy(world: World, name: string, document: string): void {
  const role = getRole(world, name);
  checkTrustPolicy(document);
  role.assumeRolePolicyDocument = document;
  role.propagatedAt = propagationDue(world, world.now());
}

// ---- inline policies -------------------------------------------------------------------

/** Adds or replaces an inline policy; all of a role's inline policies share one size quota. */
export function putRolePolicy(world: World, roleName: string, policyName: string, document: string): void {
  const role = getRole(world, roleName);
  validatePolicyDocument(document, 'identity');
  const others = Object.entries(role.inlinePolicies)
    .filter(([name]) => name !== policyName)
    .map(([, doc]) => doc);
  checkInlinePoliciesSize(role.name, [...others, document]);
  role.inlinePolicies[policyName] = document;
}

export function getRolePolicy(world: World, roleName: string, policyName: string): string {
  const role = getRole(world, roleName);
  const document = Object.hasOwn(role.inlinePolicies, policyName) ? role.inlinePolicies[policyName] : undefined;
  if (document === undefined) throw new AwsError('NoSuchEntity', 404, `The role policy with name ${policyName} cannot be found.`);
  return document;
}

export function deleteRolePolicy(world: World, roleName: string, policyName: string): void {
  getRolePolicy(world, roleName, policyName);
  delete getRole(world, roleName).inlinePolicies[policyName];
}

export function listRolePolicies(world: World, roleName: string): string[] {
  return Object.keys(getRole(world, roleName).inlinePolicies).sort();
}

// ---- managed policies ------------------------------------------------------------------

/** AWS's managed policies, or the account's own. */
const attachablePolicyArn = (account: string): RegExp => new RegExp(`^arn:aws:iam::(aws|${account}):policy/(.+/)?[\\w+=,.@-]+$`);

/** The policy's name: the last segment of its ARN. */
export function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** AWS managed policies and the account's own policies can be attached; nothing else. */
function checkAttachable(world: World, arn: string): void {
  if (!arn.startsWith('arn:')) throw new AwsError('InvalidInput', 400, `ARN ${arn} is not valid.`);
  if (!attachablePolicyArn(world.accountId).test(arn)) throw new AwsError('NoSuchEntity', 404, `Policy ${arn} does not exist or is not attachable.`);
}

/** Attaching a policy that is already attached changes nothing. */
export function attachRolePolicy(world: World, roleName: string, policyArn: string): void {
  const role = getRole(world, roleName);
  checkAttachable(world, policyArn);
  if (role.attachedPolicyArns.includes(policyArn)) return;
  if (role.attachedPolicyArns.length >= MANAGED_POLICIES_PER_ROLE) {
    throw new AwsError('LimitExceeded', 409, `Cannot exceed quota for PoliciesPerRole: ${MANAGED_POLICIES_PER_ROLE}`);
  }
  role.attachedPolicyArns.push(policyArn);
}

export function detachRolePolicy(world: World, roleName: string, policyArn: string): void {
  const role = getRole(world, roleName);
  if (!role.attachedPolicyArns.includes(policyArn)) throw new AwsError('NoSuchEntity', 404, `Policy ${policyArn} was not found.`);
  role.attachedPolicyArns = role.attachedPolicyArns.filter((arn) => arn !== policyArn);
}

export function listAttachedRolePolicies(world: World, roleName: string): string[] {
  return [...getRole(world, roleName).attachedPolicyArns];
}
