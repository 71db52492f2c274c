/**
 * Reads a distribution's config and ETag — and checks that the AWS SDK understood all of it.
 * CloudFront does not merge updates: edge-install writes back the whole config, so a member
 * the SDK dropped while parsing (one added to the API after this SDK was released) would be
 * silently deleted. The raw XML is captured and compared with the parsed object; any member
 * missing from the parse is reported, and the planner refuses to write.
 */
import {
  GetDistributionCommand,
  GetDistributionConfigCommand,
  type CloudFrontClient,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { XMLParser } from 'fast-xml-parser';
import { Readable } from 'node:stream';
import { settleWithLimit } from '../../concurrency.js';
import { RuntimeError, UsageError } from '../../errors.js';
import type { AwsClients } from '../clients.js';
import { describeAwsError, isAwsError } from '../errors.js';

export interface ObservedDistribution {
  id: string;
  etag: string;
  status: string;
  domainName: string;
  config: DistributionConfig;
  /** XML members the SDK did not parse, or not exactly (empty when all is understood). */
  unknownMembers: string[];
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

type Loose = Record<string, unknown>;

/**
 * Members present in the raw XML object but absent from the SDK's parse (or whole numbers it
 * could not read exactly), as dotted paths.
 */
export function unparsedMembers(raw: unknown, parsed: unknown, path = ''): string[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(raw as Loose)) {
    const here = path ? `${path}.${key}` : key;
    const counterpart = parsed && typeof parsed === 'object' ? (parsed as Loose)[key] : undefined;
    if (value === undefined) continue;
    if (counterpart === undefined) {
      // The SDK keeps an empty element it knows as "" — an empty one it dropped is unknown to
      // it (its presence may mean something), except an empty list, which it may leave out.
      if (value !== '' || key !== 'Items') out.push(here);
      continue;
    }
    if (typeof counterpart === 'number' && typeof value === 'string' && /^\d+$/.test(value) && String(counterpart) !== value.replace(/^0+(?=\d)/, '')) {
      // A whole number beyond 2^53 becomes the nearest double: written back, it would change.
      out.push(`${here} (${value} is larger than the AWS SDK reads exactly)`);
      continue;
    }
    if (key === 'Items' && value && typeof value === 'object' && Array.isArray(counterpart)) {
      // <Items><Origin>…</Origin><Origin>…</Origin></Items> → [ … ]: unwrap the member name.
      // A list has one member name; any other is one the SDK skipped. Which one it read shows
      // in the count; when that does not tell, every name is reported (refusing is safe).
      const byName = Object.entries(value as Loose).map(([name, m]) => ({ name, members: Array.isArray(m) ? m : [m] }));
      const read = byName.filter((n) => n.members.length === counterpart.length);
      const kept = byName.length === 1 ? byName : read.length === 1 ? read : [];
      for (const n of byName) if (!kept.includes(n)) out.push(`${here}.${n.name}`);
      kept.flatMap((n) => n.members).forEach((member, i) => out.push(...unparsedMembers(member, counterpart[i], `${here}[${i}]`)));
      continue;
    }
    out.push(...unparsedMembers(value, counterpart, here));
  }
  return out;
}

/**
 * Text values the SDK reads, but not as they are: only whitespace with a line break, which its
 * XML parser takes for formatting and reads as empty. Written back, the value would change.
 */
export function blankedValues(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(/<([A-Za-z][\w.-]*)>(\s*)<\/\1>/g)) {
    if (/[\r\n]/.test(m[2]!)) out.push(`${m[1]} (only whitespace with a line break, which the AWS SDK reads as empty)`);
  }
  return out;
}

/** GetDistributionConfig, keeping a copy of the response body before the SDK parses it. */
async function getConfigWithRawBody(client: CloudFrontClient, id: string) {
  let body = '';
  const command = new GetDistributionConfigCommand({ Id: id });
  // Inside the deserializer: sees the HTTP response first, hands it on re-readable.
  const captureBody = (next: (args: unknown) => Promise<{ response: { body: unknown } }>) => async (args: unknown) => {
    const result = await next(args);
    const chunks: Buffer[] = [];
    for await (const chunk of result.response.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    body = Buffer.concat(chunks).toString('utf8');
    result.response.body = Readable.from([Buffer.from(body)]);
    return result;
  };
  command.middlewareStack.addRelativeTo(captureBody as never, { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'edgeInstallRawBody' });
  const output = await client.send(command);
  return { output, body };
}

export async function observeDistribution(clients: AwsClients, id: string): Promise<ObservedDistribution> {
  const [{ output, body }, distribution] = await Promise.all([
    getConfigWithRawBody(clients.cloudfront, id),
    clients.cloudfront.send(new GetDistributionCommand({ Id: id })),
  ]);
  const raw = (xml.parse(body) as Loose).DistributionConfig;
  return {
    id,
    etag: output.ETag!,
    status: distribution.Distribution!.Status!,
    domainName: distribution.Distribution!.DomainName!,
    config: output.DistributionConfig!,
    unknownMembers: [...unparsedMembers(raw, output.DistributionConfig), ...blankedValues(body)],
  };
}

/**
 * Several distributions, at most `limit` read at once (CloudFront throttles readily). Every
 * one is tried; if any cannot be read, the error says so for each (one failure: its own error,
 * with AWS's code and the fix).
 */
export async function observeDistributions(clients: AwsClients, ids: string[], limit = 4): Promise<ObservedDistribution[]> {
  const settled = await settleWithLimit(ids, limit, (id) => observeDistribution(clients, id));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  // An id that names no distribution is bad input, like a malformed one: exit 2, AWS's words and the fix kept.
  if (failures.length && failures.every((e) => isAwsError(e, 'NoSuchDistribution'))) {
    throw new UsageError(failures.map((e) => describeAwsError(e)!.what.replace(/\.$/, '')).join('; ') + '.', { cause: failures[0] });
  }
  if (failures.length === 1) throw failures[0];
  // Each one said; the fix is the first one's (the CLI reads it from the cause).
  // The same words once: missing credentials or an unreachable endpoint read alike for every distribution.
  if (failures.length) throw new RuntimeError(`${[...new Set(failures.map((e) => (describeAwsError(e)?.what ?? (e as Error).message).replace(/\.$/, '')))].join('; ')}.`, { cause: failures[0] });
  return settled.map((s) => (s as PromiseFulfilledResult<ObservedDistribution>).value);
}
