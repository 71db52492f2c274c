/**
 * What a Lambda@Edge replica's execution environment is told about itself: its names and its
 * environment variables. The worker gets exactly these (never the host's environment).
 *
 * Names: Lambda@Edge runs replicas of a us-east-1 function in the region nearest the viewer and
 * prefixes the function name with "us-east-1." — its log group is "/aws/lambda/us-east-1.<name>"
 * in every region (Amazon CloudFront Developer Guide, "Edge function logs": "Lambda@Edge will
 * automatically add the us-east-1 prefix to the function name, so that the log group name is
 * /aws/lambda/us-east-1.<FunctionName>"), and a function's default log group is
 * "/aws/lambda/<function name>", so the replica's function name is "us-east-1.<name>".
 *
 * Variables: Lambda's reserved runtime variables (AWS Lambda Developer Guide, "Defined runtime
 * environment variables": _HANDLER, AWS_REGION, AWS_DEFAULT_REGION, AWS_EXECUTION_ENV
 * ("AWS_Lambda_" + runtime), AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
 * AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_INITIALIZATION_TYPE, AWS_LAMBDA_LOG_GROUP_NAME,
 * AWS_LAMBDA_LOG_STREAM_NAME, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from
 * the execution role, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR, TZ) and the unreserved LANG and PATH.
 * Lambda@Edge functions have no environment variables of their own. No AWS_ENDPOINT_URL: AWS
 * calls reach the sandbox through the network policy, with the real AWS host names.
 */

/** The replica's function name (context.functionName, AWS_LAMBDA_FUNCTION_NAME). */
export function replicaFunctionName(name: string): string {
  return `us-east-1.${name}`;
}

export function logGroupName(name: string): string {
  return `/aws/lambda/${replicaFunctionName(name)}`;
}

export interface EnvironmentFacts {
  name: string;
  version: string;
  handler: string;
  runtime: string;
  memoryMb: number;
  region: string;
  logStream: string;
  taskRoot: string;
}

/** Temporary credentials of the execution role, in their real shapes (ASIA… key id, a session token): dummies, as the sandbox accepts any. */
const ROLE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIASANDBOXEDGE00000',
  AWS_SECRET_ACCESS_KEY: 'sandbox/edge/role/secret/access/key/0000',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEFNhbmRib3hFZGdlUm9sZVNlc3Npb25Ub2tlbg==',
};

export function lambdaEnvironment(facts: EnvironmentFacts): Record<string, string> {
  return {
    _HANDLER: facts.handler,
    AWS_REGION: facts.region,
    AWS_DEFAULT_REGION: facts.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${facts.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: replicaFunctionName(facts.name),
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(facts.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: facts.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(facts.name),
    AWS_LAMBDA_LOG_STREAM_NAME: facts.logStream,
    ...ROLE_CREDENTIALS,
    LAMBDA_TASK_ROOT: facts.taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
  };
}
