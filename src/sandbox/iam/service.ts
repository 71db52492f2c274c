/**
 * IAM over the query protocol: roles, their inline policies and attached managed policies.
 * The rules live in roles.ts, policy-documents.ts and validation.ts; this file reads the
 * form parameters and writes IAM's XML. Policy documents go out URL-encoded, as IAM
 * returns them.
 */
import { AwsError } from '../errors.js';
import { memberList, queryRouter, renderQueryError, required, type QueryHandler } from '../protocols/query.js';
import type { Service } from '../request.js';
import type { RoleRecord } from '../world.js';
import { el, type XmlNode } from '../xml.js';
import {
  attachRolePolicy,
  createRole,
  deleteRole,
  deleteRolePolicy,
  detachRolePolicy,
  getRole,
  getRolePolicy,
  listAttachedRolePolicies,
  listRolePolicies,
  policyNameOf,
  putRolePolicy,
  updateAssumeRolePolicy,
} from './roles.js';
import { checkDescription, checkMaxSessionDuration, checkPath, checkPolicyName, checkRoleName, checkTags } from './validation.js';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** IAM's timestamps: ISO 8601 without milliseconds. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function roleXml(role: RoleRecord): XmlNode {
  const tags = Object.entries(role.tags);
  return el(
    'Role',
    el('Path', role.path),
    el('RoleName', role.name),
    el('RoleId', role.id),
    el('Arn', role.arn),
    el('CreateDate', isoSeconds(role.created)),
    el('AssumeRolePolicyDocument', encodeURIComponent(role.assumeRolePolicyDocument)),
    role.description === undefined ? undefined : el('Description', role.description),
    el('MaxSessionDuration', role.maxSessionDuration),
    tags.length ? el('Tags', ...tags.map(([key, value]) => el('member', el('Key', key), el('Value', value)))) : undefined,
  );
}

// ---- parameters ------------------------------------------------------------------------

function roleName(params: URLSearchParams): string {
  const name = required(params, 'RoleName');
  checkRoleName(name);
  return name;
}

function policyName(params: URLSearchParams): string {
  const name = required(params, 'PolicyName');
  checkPolicyName(name);
  return name;
}

function integer(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new AwsError('MalformedQueryString', 400, `${name} must be an integer.`);
  return parsed;
}

/** List operations page with Marker/MaxItems (1–1,000, default 100). */
function page<T>(items: T[], params: URLSearchParams): { items: T[]; marker?: string } {
  const maxItems = integer(params, 'MaxItems') ?? 100;
  if (maxItems < 1 || maxItems > 1000) {
    throw new AwsError('ValidationError', 400, `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`);
  }
  const marker = params.get('Marker');
  const start = marker ? Number.parseInt(marker, 10) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new AwsError('ValidationError', 400, 'Invalid Marker.');
  const end = start + maxItems;
  return end < items.length ? { items: items.slice(start, end), marker: String(end) } : { items: items.slice(start) };
}

function listResult(name: string, members: XmlNode[], marker: string | undefined): XmlNode[] {
  return [el(name, ...members), el('IsTruncated', marker !== undefined), marker === undefined ? undefined : el('Marker', marker)].filter(
    (node): node is XmlNode => node !== undefined,
  );
}

// ---- operations ------------------------------------------------------------------------

const handlers: Record<string, QueryHandler> = {
  CreateRole: (params, _req, world) => {
    const name = roleName(params);
    const document = required(params, 'AssumeRolePolicyDocument');
    const path = params.get('Path') || '/';
    checkPath(path);
    const description = params.get('Description') ?? undefined;
    if (description !== undefined) checkDescription(description);
    const maxSessionDuration = integer(params, 'MaxSessionDuration') ?? 3600;
    checkMaxSessionDuration(maxSessionDuration);
    const tagList = memberList(params, 'Tags');
    checkTags(tagList);
    const tags = Object.fromEntries(tagList.map((tag) => [tag.Key ?? '', tag.Value ?? '']));
    const role = createRole(world, { name, assumeRolePolicyDocument: document, path, description, maxSessionDuration, tags });
    return [roleXml(role)];
  },

  GetRole: (params, _req, world) => [roleXml(getRole(world, roleName(params)))],

  DeleteRole: (params, _req, world) => {
    deleteRole(world, roleName(params));
    return [];
  },

  UpdateAssumeRolePolicy: (params, _req, world) => {
    updateAssumeRolePolicy(world, roleName(params), required(params, 'PolicyDocument'));
    return [];
  },

  PutRolePolicy: (params, _req, world) => {
    putRolePolicy(world, roleName(params), policyName(params), required(params, 'PolicyDocument'));
    return [];
  },

  GetRolePolicy: (params, _req, world) => {
    const role = getRole(world, roleName(params));
    const name = policyName(params);
    const document = getRolePolicy(world, role.name, name);
    return [el('RoleName', role.name), el('PolicyName', name), el('PolicyDocument', encodeURIComponent(document))];
  },

  DeleteRolePolicy: (params, _req, world) => {
    deleteRolePolicy(world, roleName(params), policyName(params));
    return [];
  },

  ListRolePolicies: (params, _req, world) => {
    const { items, marker } = page(listRolePolicies(world, roleName(params)), params);
    return listResult('PolicyNames', items.map((name) => el('member', name)), marker);
  },

  AttachRolePolicy: (params, _req, world) => {
    attachRolePolicy(world, roleName(params), required(params, 'PolicyArn'));
    return [];
  },

  DetachRolePolicy: (params, _req, world) => {
    detachRolePolicy(world, roleName(params), required(params, 'PolicyArn'));
    return [];
  },

  // TagRole: "If a tag with the same key name already exists, then that tag is overwritten";
  // the request fails as a whole past the 50-tag limit (IAM API reference, TagRole).
  TagRole: (params, _req, world) => {
    const role = getRole(world, roleName(params));
    const tagList = memberList(params, 'Tags');
    if (!tagList.length) throw new AwsError('ValidationError', 400, "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
    checkTags(tagList);
    const merged = { ...role.tags };
    const existingKey = (key: string) => Object.keys(merged).find((k) => k.toLowerCase() === key.toLowerCase());
    for (const tag of tagList) {
      const previous = existingKey(tag.Key ?? '');
      if (previous !== undefined) delete merged[previous];
      merged[tag.Key ?? ''] = tag.Value ?? '';
    }
    if (Object.keys(merged).length > 50) throw new AwsError('LimitExceeded', 409, 'The number of tags has reached the maximum limit.');
    role.tags = merged;
    return [];
  },

  UntagRole: (params, _req, world) => {
    const role = getRole(world, roleName(params));
    const keys = memberList(params, 'TagKeys').map((m) => (m[''] ?? '').toLowerCase());
    if (!keys.length) throw new AwsError('ValidationError', 400, "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
    // Tag keys are not distinguished by case (IAM: "Tag keys are case insensitive").
    role.tags = Object.fromEntries(Object.entries(role.tags).filter(([key]) => !keys.includes(key.toLowerCase())));
    return [];
  },

  ListAttachedRolePolicies: (params, _req, world) => {
    const { items, marker } = page(listAttachedRolePolicies(world, roleName(params)), params);
    const members = items.map((arn) => el('member', el('PolicyName', policyNameOf(arn)), el('PolicyArn', arn)));
    return listResult('AttachedPolicies', members, marker);
  },
};

export const iam: Service = {
  name: 'iam',
  maxBodyBytes: 1 << 20,
  resolve: queryRouter(NS, '2010-05-08', handlers),
  renderError: renderQueryError(NS),
  throttleError: () => new AwsError('Throttling', 400, 'Rate exceeded'),
};
