/** What exists of the integration's functions: $LATEST and every published version. */
import {
  GetFunctionCommand,
  ListVersionsByFunctionCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { functionName } from '../../manifest/naming.js';
import type { AwsClients } from '../clients.js';
import { ifExists } from '../errors.js';

/** The settings edge-install manages, as Lambda reports them. */
export interface FunctionSettings {
  runtime?: string;
  memorySize?: number;
  timeout?: number;
  role?: string;
  handler?: string;
  description?: string;
  /** LoggingConfig.LogGroup when it is not Lambda's default (/aws/lambda/<function>). */
  logGroup?: string;
  /** Lambda@Edge forbids these; edge-install never sets them, so any present is drift. */
  environmentVariables: number;
  layers: number;
  architectures: string[];
}

export interface ObservedVersion {
  version: string;
  arn: string;
  codeSha256: string;
  codeSize: number;
  settings: FunctionSettings;
}

export interface ObservedFunction {
  key: string;
  name: string;
  exists: boolean;
  arn?: string;
  state?: string;
  lastUpdateStatus?: string;
  latest?: ObservedVersion;
  /** Published versions, oldest first. */
  versions: ObservedVersion[];
  tags: Record<string, string>;
}

export function settingsOf(c: FunctionConfiguration): FunctionSettings {
  return {
    runtime: c.Runtime,
    memorySize: c.MemorySize,
    timeout: c.Timeout,
    role: c.Role,
    handler: c.Handler,
    description: c.Description ?? '',
    // Lambda reports its default group too: only another one is a setting of ours.
    logGroup: c.LoggingConfig?.LogGroup && c.LoggingConfig.LogGroup !== `/aws/lambda/${c.FunctionName}` ? c.LoggingConfig.LogGroup : undefined,
    environmentVariables: Object.keys(c.Environment?.Variables ?? {}).length,
    layers: c.Layers?.length ?? 0,
    architectures: c.Architectures ?? ['x86_64'],
  };
}

const versionOf = (c: FunctionConfiguration): ObservedVersion => ({
  version: c.Version!,
  arn: c.FunctionArn!,
  codeSha256: c.CodeSha256!,
  codeSize: c.CodeSize ?? 0,
  settings: settingsOf(c),
});

export function observeFunction(clients: AwsClients, integration: string, key: string): Promise<ObservedFunction> {
  return observeFunctionNamed(clients, functionName(integration, key), key);
}

/** A function by its name; `key` is its manifest key (or, for one the manifest no longer names, its name). */
export async function observeFunctionNamed(clients: AwsClients, name: string, key = name): Promise<ObservedFunction> {
  const got = await ifExists(() => clients.lambda.send(new GetFunctionCommand({ FunctionName: name })), 'ResourceNotFoundException');
  if (!got?.Configuration) return { key, name, exists: false, versions: [], tags: {} };
  const versions: ObservedVersion[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker }));
    for (const v of page.Versions ?? []) if (v.Version !== '$LATEST') versions.push(versionOf(v));
    marker = page.NextMarker;
  } while (marker);
  versions.sort((a, b) => Number(a.version) - Number(b.version));
  const config = got.Configuration;
  return {
    key,
    name,
    exists: true,
    arn: config.FunctionArn,
    state: config.State,
    lastUpdateStatus: config.LastUpdateStatus,
    latest: versionOf({ ...config, Version: '$LATEST' }),
    versions,
    tags: got.Tags ?? {},
  };
}
