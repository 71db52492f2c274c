/**
 * Read-only, for gc: the integration's Lambda functions with every published version — those
 * named by the manifest or a revision, or named `<integration>-…` — each only if it carries the
 * owner tag (a name alone is never enough to delete anything). Named ones without the tag are
 * reported, so gc can say why it leaves them.
 */
import { GetFunctionCommand, ListFunctionsCommand, ListVersionsByFunctionCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { ADOPTED_TAG, functionName, OWNER_TAG } from '../../manifest/naming.js';
import type { AwsClients } from '../clients.js';
import { ifExists } from '../errors.js';

export interface ObservedOwnedFunction {
  name: string;
  latest: FunctionConfiguration;
  /** Published versions, oldest first. */
  versions: FunctionConfiguration[];
}

async function listFunctionNames(clients: AwsClients): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.lambda.send(new ListFunctionsCommand({ Marker: marker }));
    names.push(...(page.Functions ?? []).map((f) => f.FunctionName!).filter(Boolean));
    marker = page.NextMarker;
  } while (marker);
  return names;
}

async function listVersions(clients: AwsClients, name: string): Promise<FunctionConfiguration[] | undefined> {
  const out: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await ifExists(() => clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker })), 'ResourceNotFoundException');
    if (!page) return undefined;
    out.push(...(page.Versions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

/** `known`: the names the manifest and the revisions give (owned-names.ts). */
export async function observeOwnedFunctions(
  clients: AwsClients,
  integration: string,
  known: readonly string[],
  limit = 4,
): Promise<{ functions: ObservedOwnedFunction[]; untagged: string[]; adopted: string[] }> {
  const named = new Set(known);
  const existing = await listFunctionNames(clients);
  const candidates = [...new Set(existing.filter((n) => named.has(n) || n.startsWith(functionName(integration, ''))))].sort();
  const functions: ObservedOwnedFunction[] = [];
  const untagged: string[] = [];
  const adopted: string[] = [];
  for (let i = 0; i < candidates.length; i += limit) {
    const batch = await Promise.all(
      candidates.slice(i, i + limit).map(async (name) => {
        const got = await ifExists(() => clients.lambda.send(new GetFunctionCommand({ FunctionName: name })), 'ResourceNotFoundException');
        if (!got?.Configuration) return undefined;
        if (got.Tags?.[OWNER_TAG] !== integration) {
          // Someone else's function that happens to share the prefix is none of our business; one
          // the manifest or a revision names is worth a word.
          if (named.has(name)) untagged.push(name);
          return undefined;
        }
        // Adopted: it and its versions were there before edge-install; gc leaves all of it.
        if (got.Tags?.[ADOPTED_TAG] === 'true') {
          adopted.push(name);
          return undefined;
        }
        const all = await listVersions(clients, name);
        if (!all) return undefined;
        return { name, latest: got.Configuration, versions: all.filter((v) => v.Version !== '$LATEST').sort((a, b) => Number(a.Version) - Number(b.Version)) };
      }),
    );
    functions.push(...batch.filter((f): f is ObservedOwnedFunction => !!f));
  }
  return { functions, untagged: untagged.sort(), adopted: adopted.sort() };
}
