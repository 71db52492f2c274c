import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox({ seed: 'empty' });
});
afterAll(() => sb.close());

describe('sts', () => {
  it('GetCallerIdentity names the sandbox account', async () => {
    const identity = await sb.sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
    expect(identity.Arn).toMatch(/^arn:aws:iam::123456789012:/);
    expect(await sb.calls()).toEqual([
      { seq: 1, service: 'sts', operation: 'GetCallerIdentity', status: 200, error: null, mutating: false },
    ]);
  });
});
