/**
 * Policy documents as IAM checks them: trust policies (CreateRole, UpdateAssumeRolePolicy)
 * and identity policies (PutRolePolicy). IAM answers `MalformedPolicyDocument` (400) for a
 * document it cannot read, and `LimitExceeded` (409) for one over its size quota, sizes
 * being counted without white space.
 */
import { AwsError } from '../errors.js';

/** Trust policy size quota (ACLSizePerRole, default 2,048 characters). */
export const TRUST_POLICY_MAX_CHARS = 2_048;
/** All inline policies of a role together: 10,240 characters. */
export const ROLE_INLINE_POLICIES_MAX_CHARS = 10_240;

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

export type PolicyKind = 'trust' | 'identity';

function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', 400, message);
}

type Statement = Record<string, unknown>;

/** The document as JSON; anything that does not parse is "invalid Json". */
function parseJson(document: string): unknown {
  try {
    return JSON.parse(document);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
}

/** A policy is an object with a Statement (one statement or a list of them). */
function statementsOf(policy: unknown): Statement[] {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw malformed('Syntax errors in policy.');
  const { Statement: statement } = policy as { Statement?: unknown };
  const statements = Array.isArray(statement) ? statement : [statement];
  if (statement === undefined || statements.length === 0) throw malformed('Syntax errors in policy.');
  for (const s of statements) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw malformed('Syntax errors in policy.');
  }
  return statements as Statement[];
}

/** Version, when given, is 2012-10-17 or the legacy 2008-10-17. */
function checkVersion(policy: object): void {
  const { Version: version } = policy as { Version?: unknown };
  if (version !== undefined && !(typeof version === 'string' && VERSIONS.has(version))) {
    throw malformed('The policy failed legacy parsing');
  }
}

/** Every statement says Allow or Deny. */
function checkEffect(statement: Statement): void {
  if (statement.Effect === undefined) throw malformed('Missing required field Effect');
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw malformed('Syntax errors in policy.');
}

/** Every statement names actions (Action or NotAction). */
function checkActions(statement: Statement): void {
  if (statement.Action === undefined && statement.NotAction === undefined) throw malformed('Policy statement must contain actions.');
}

/** A trust policy says who may assume the role, and has no Resource. */
function checkTrustStatement(statement: Statement): void {
  if (statement.Principal === undefined && statement.NotPrincipal === undefined) throw malformed('Missing required field Principal');
  if (statement.Resource !== undefined || statement.NotResource !== undefined) throw malformed('Has prohibited field Resource');
}

/** An identity policy applies to its role: no Principal, and it names resources. */
function checkIdentityStatement(statement: Statement): void {
  if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) {
    throw malformed('Policy document should not specify a principal.');
  }
  if (statement.Resource === undefined && statement.NotResource === undefined) throw malformed('Policy statement must contain resources.');
}

/** Throws MalformedPolicyDocument unless IAM would accept the document. */
export function validatePolicyDocument(document: string, kind: PolicyKind): void {
  const policy = parseJson(document);
  const statements = statementsOf(policy);
  checkVersion(policy as object);
  for (const statement of statements) {
    checkEffect(statement);
    checkActions(statement);
    if (kind === 'trust') checkTrustStatement(statement);
    else checkIdentityStatement(statement);
  }
}

/** IAM counts policy size without white space. */
export function policySize(document: string): number {
  return document.replace(/\s/g, '').length;
}

/** Trust policy over the ACLSizePerRole quota → LimitExceeded. */
export function checkTrustPolicySize(document: string): void {
  if (policySize(document) > TRUST_POLICY_MAX_CHARS) {
    throw new AwsError('LimitExceeded', 409, `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_MAX_CHARS}`);
  }
}

/** All inline policies of a role, counted together, stay within 10,240 characters. */
export function checkInlinePoliciesSize(roleName: string, documents: string[]): void {
  const total = documents.reduce((sum, document) => sum + policySize(document), 0);
  if (total > ROLE_INLINE_POLICIES_MAX_CHARS) {
    throw new AwsError('LimitExceeded', 409, `Maximum policy size of ${ROLE_INLINE_POLICIES_MAX_CHARS} bytes exceeded for role ${roleName}`);
  }
}
