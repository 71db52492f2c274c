/**
 * The function step around Lambda's Failed states, which the sandbox does not model: a stand-in
 * Lambda client answers GetFunctionConfiguration from a script, and the test checks what the
 * step sends. An update left Failed by an earlier run is repaired by the next update (the
 * step must not refuse to send it); a Failed state after this run's own update is that step
 * failing, with Lambda's reason.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { applyFunction } from '../../src/apply/steps/functions.js';
import { UndoLog } from '../../src/apply/undo.js';
import type { AwsClients } from '../../src/aws/clients.js';
import type { ObservedFunction } from '../../src/aws/observe/functions.js';
import { timingFor } from '../../src/aws/polling.js';
import type { FunctionChange, VersionChange } from '../../src/plan/resources.js';

const NAME = 'acme-edge';
const ARN = `arn:aws:lambda:us-east-1:123456789012:function:${NAME}`;

/** A Lambda client whose GetFunctionConfiguration answers come from `states`, one per call (the last repeats). */
function lambdaStandIn(states: Partial<FunctionConfiguration>[]) {
  const sent: string[] = [];
  let reads = 0;
  const lambda = {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      sent.push(name);
      if (name === 'GetFunctionConfiguration') return { FunctionName: NAME, State: 'Active', ...states[Math.min(reads++, states.length - 1)] };
      if (name === 'PublishVersion') return { Version: '2', FunctionArn: `${ARN}:2` };
      return {};
    },
  };
  return { clients: { lambda } as unknown as AwsClients, sent };
}

const settings = { runtime: 'nodejs20.x', memorySize: 128, timeout: 5, role: 'arn:aws:iam::123456789012:role/acme-edge', handler: 'index.handler', description: 'd' };
const change: FunctionChange = { kind: 'function', action: 'update', address: { kind: 'function', key: 'edge' }, key: 'edge', name: NAME, settings, codeSha256: 'sha', codeSize: 1, updateCode: true, updateSettings: false, tags: {}, tagsToAdd: {}, adopt: false, reasons: ['code changed'] };
const version: VersionChange = { kind: 'version', action: 'create', address: { kind: 'version', key: 'edge' }, key: 'edge', name: NAME, codeSha256: 'sha' };
const observed: ObservedFunction = { key: 'edge', name: NAME, exists: true, versions: [], tags: {} };
const options = { timing: { ...timingFor('http://127.0.0.1:1'), lambda: { intervalMs: 0, maxIntervalMs: 0, timeoutMs: 60_000 } } };

describe('the function step and Failed states', () => {
  it('an update an earlier run left Failed is repaired: the new code is sent, then published', async () => {
    const { clients, sent } = lambdaStandIn([{ LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'earlier' }, { LastUpdateStatus: 'Successful' }]);
    const out = await applyFunction(clients, [change, version], Buffer.from('zip'), new UndoLog(), observed, options);
    expect(sent).toEqual(['GetFunctionConfiguration', 'UpdateFunctionCode', 'GetFunctionConfiguration', 'PublishVersion']);
    expect(out.version).toBe('2');
  });

  it('this run’s own update ending Failed fails the step with Lambda’s reason, and publishes nothing', async () => {
    const { clients, sent } = lambdaStandIn([{ LastUpdateStatus: 'Successful' }, { LastUpdateStatus: 'InProgress' }, { LastUpdateStatus: 'Failed', LastUpdateStatusReasonCode: 'InvalidZipFileException', LastUpdateStatusReason: 'Could not unzip' }]);
    const failure = await applyFunction(clients, [change, version], Buffer.from('zip'), new UndoLog(), observed, options).catch((e: unknown) => e as Error);
    expect(failure.message).toBe(`Lambda could not make function ${NAME} ready: InvalidZipFileException Could not unzip`);
    expect(sent).not.toContain('PublishVersion');
  });
});
