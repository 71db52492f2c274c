/** FunctionConfiguration as Lambda's rest-json replies carry it. */
import { createHash } from 'node:crypto';
import type { FunctionRecord, FunctionVersionRecord, World } from '../world.js';
import { functionArn, LATEST } from './arns.js';
import { functionState, lastUpdateStatus, versionState } from './rules.js';

export interface RenderOptions {
  /** Append `:VERSION` to FunctionArn (also `:$LATEST` for the unpublished version). */
  qualifiedArn: boolean;
  /**
   * ListFunctions returns a subset of the fields: no State, StateReason(Code) or
   * LastUpdateStatus(Reason)(Code).
   */
  listing?: boolean;
  /** Render the Lambda@Edge replica of this version in that region (ListFunctions MasterRegion). */
  replicaRegion?: string;
}

/** Lambda's timestamp format: `2026-11-21T05:37:00.000+0000`. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function renderConfiguration(
  world: World,
  fn: FunctionRecord,
  record: FunctionVersionRecord,
  options: RenderOptions,
): Record<string, unknown> {
  const now = world.now();
  const config = record.config;
  const isLatest = record.version === LATEST;
  const replica = options.replicaRegion !== undefined;
  const name = replica ? `${fn.region}.${fn.name}` : fn.name;
  const region = options.replicaRegion ?? fn.region;
  const out: Record<string, unknown> = {
    FunctionName: name,
    FunctionArn: functionArn(world, region, name, options.qualifiedArn ? record.version : undefined),
  };
  if (config.runtime !== undefined) out.Runtime = config.runtime;
  out.Role = config.role;
  if (config.handler !== undefined) out.Handler = config.handler;
  out.CodeSize = record.codeSize;
  out.Description = config.description;
  out.Timeout = config.timeout;
  out.MemorySize = config.memorySize;
  out.LastModified = lambdaTimestamp(record.lastModified);
  out.CodeSha256 = record.codeSha256;
  out.Version = record.version;
  if (config.vpcSubnetIds.length > 0) {
    out.VpcConfig = { SubnetIds: [...config.vpcSubnetIds], SecurityGroupIds: [], VpcId: vpcIdFor(config.vpcSubnetIds) };
  }
  if (config.deadLetterTargetArn) out.DeadLetterConfig = { TargetArn: config.deadLetterTargetArn };
  if (config.environment && Object.keys(config.environment).length > 0) {
    out.Environment = { Variables: { ...config.environment } };
  }
  if (config.kmsKeyArn) out.KMSKeyArn = config.kmsKeyArn;
  out.TracingConfig = { Mode: config.tracingMode };
  if (replica) out.MasterArn = functionArn(world, fn.region, fn.name, record.version);
  out.RevisionId = record.revisionId;
  if (config.layers.length > 0) out.Layers = config.layers.map((arn) => ({ Arn: arn, CodeSize: 0 }));
  if (!options.listing) Object.assign(out, stateFields(fn, record, now, isLatest));
  out.PackageType = config.packageType;
  out.Architectures = [...config.architectures];
  out.EphemeralStorage = { Size: config.ephemeralStorage };
  out.SnapStart = { ApplyOn: config.snapStart ?? 'None', OptimizationStatus: config.snapStart && record.version !== '$LATEST' ? 'On' : 'Off' };
  const logging = config.logging ?? {};
  out.LoggingConfig = {
    LogFormat: logging.logFormat ?? 'Text',
    // Log levels apply to the JSON format only (Lambda Developer Guide, "log-level filtering").
    ...(logging.logFormat === 'JSON' ? { ApplicationLogLevel: logging.applicationLogLevel ?? 'INFO', SystemLogLevel: logging.systemLogLevel ?? 'INFO' } : {}),
    LogGroup: logging.logGroup ?? `/aws/lambda/${name}`,
  };
  return out;
}

function stateFields(fn: FunctionRecord, record: FunctionVersionRecord, now: number, isLatest: boolean): Record<string, string> {
  const state = isLatest ? functionState(fn, now) : versionState(fn, record, now);
  if (state === 'Pending') {
    return { State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating' };
  }
  const update = isLatest ? lastUpdateStatus(fn, now) : 'Successful';
  return update === 'InProgress'
    ? {
        State: 'Active',
        LastUpdateStatus: 'InProgress',
        LastUpdateStatusReason: 'The function is being created.',
        LastUpdateStatusReasonCode: 'Creating',
      }
    : { State: 'Active', LastUpdateStatus: 'Successful' };
}

/** A stable, made-up VPC id for a set of subnets (the sandbox emulates no EC2). */
function vpcIdFor(subnets: string[]): string {
  return 'vpc-' + createHash('sha256').update([...subnets].sort().join(',')).digest('hex').slice(0, 17);
}
