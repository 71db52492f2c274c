/** Service Quotas (CloudFront's quotas) through the real SDK: values, defaults, regions, errors. */
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  ListAWSDefaultServiceQuotasCommand,
  ListServiceQuotasCommand,
  NoSuchResourceException,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
let client: ServiceQuotasClient;
beforeAll(async () => {
  // An account granted 120 cache behaviors per distribution.
  sb = await startTestSandbox({ quotas: { cacheBehaviorsPerDistribution: 120 } });
  client = new ServiceQuotasClient(sb.clientConfig('us-east-1'));
});
afterAll(() => sb.close());

describe('Service Quotas for cloudfront', () => {
  it("GetServiceQuota is the account's value; GetAWSDefaultServiceQuota is AWS's default", async () => {
    const applied = await client.send(new GetServiceQuotaCommand({ ServiceCode: 'cloudfront', QuotaCode: 'L-F432D044' }));
    expect(applied.Quota).toEqual({
      ServiceCode: 'cloudfront',
      ServiceName: 'Amazon CloudFront',
      QuotaArn: 'arn:aws:servicequotas:us-east-1:123456789012:cloudfront/L-F432D044',
      QuotaCode: 'L-F432D044',
      QuotaName: 'Cache behaviors per distribution',
      Value: 120,
      Unit: 'None',
      Adjustable: true,
      GlobalQuota: true,
    });
    const aws = await client.send(new GetAWSDefaultServiceQuotaCommand({ ServiceCode: 'cloudfront', QuotaCode: 'L-F432D044' }));
    expect(aws.Quota!.Value).toBe(75);
  });

  it('lists the quotas the sandbox enforces', async () => {
    const listed = await client.send(new ListServiceQuotasCommand({ ServiceCode: 'cloudfront' }));
    expect(listed.Quotas!.map((q) => [q.QuotaCode, q.Value])).toEqual([
      ['L-F432D044', 120],
      ['L-B4048FB4', 100],
      ['L-7D134442', 20],
    ]);
    const defaults = await client.send(new ListAWSDefaultServiceQuotasCommand({ ServiceCode: 'cloudfront' }));
    expect(defaults.Quotas!.map((q) => q.Value)).toEqual([75, 100, 20]);
  });

  it('CloudFront is global: asked in another region, or for an unknown code → NoSuchResourceException', async () => {
    const elsewhere = new ServiceQuotasClient(sb.clientConfig('eu-west-1'));
    const wrongRegion = await elsewhere.send(new GetServiceQuotaCommand({ ServiceCode: 'cloudfront', QuotaCode: 'L-F432D044' })).catch((e: Error) => e);
    expect(wrongRegion).toBeInstanceOf(NoSuchResourceException);
    expect((wrongRegion as Error).message).toBe('The request failed because the specified service does not exist.');
    const unknown = await client.send(new GetServiceQuotaCommand({ ServiceCode: 'cloudfront', QuotaCode: 'L-00000000' })).catch((e: Error) => e);
    expect(unknown).toBeInstanceOf(NoSuchResourceException);
  });
});
