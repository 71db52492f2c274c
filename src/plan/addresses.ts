/**
 * PURE: the addresses of what a plan changes (CLI.md's `address`), as typed values with one
 * format and one parse. Resources: `secret`, `role`, `functions.<key>`,
 * `functions.<key>.version` (the version an apply publishes), `functions.<key>.versions.<n>`
 * (a published version gc deletes), `cachePolicies.<key>`. In a distribution:
 * `origins.<id>`, `behaviors.<pattern>`, `behaviors.<pattern>.<event>` (a trigger; `*` is the
 * default behavior). Path patterns may hold dots; event types never do, so a trigger's
 * address is split at its last dot — and the change's kind says which of the two it is.
 */

export type EventTypeName = 'viewer-request' | 'viewer-response' | 'origin-request' | 'origin-response';

export type Address =
  | { kind: 'secret' }
  | { kind: 'role' }
  /** `key` is the manifest key; for a function the manifest no longer names, its full name. */
  | { kind: 'function'; key: string }
  | { kind: 'version'; key: string; version?: string }
  | { kind: 'cache-policy'; key: string }
  | { kind: 'origin'; id: string }
  | { kind: 'behavior'; pattern: string }
  | { kind: 'association'; pattern: string; event: string };

export type AddressKind = Address['kind'];

export function formatAddress(address: Address): string {
  switch (address.kind) {
    case 'secret':
    case 'role':
      return address.kind;
    case 'function':
      return `functions.${address.key}`;
    case 'version':
      return address.version === undefined ? `functions.${address.key}.version` : `functions.${address.key}.versions.${address.version}`;
    case 'cache-policy':
      return `cachePolicies.${address.key}`;
    case 'origin':
      return `origins.${address.id}`;
    case 'behavior':
      return `behaviors.${address.pattern}`;
    case 'association':
      return `behaviors.${address.pattern}.${address.event}`;
  }
}

export class AddressError extends Error {}

const after = (text: string, prefix: string, kind: string): string => {
  if (!text.startsWith(prefix)) throw new AddressError(`'${text}' is not the address of a ${kind} (${prefix}…)`);
  return text.slice(prefix.length);
};

/** The address `text` of a change of `kind` (the kind says how to read a dotted pattern). */
export function parseAddress(kind: string, text: string): Address {
  switch (kind) {
    case 'secret':
    case 'role':
      return { kind };
    case 'function':
      return { kind, key: after(text, 'functions.', kind) };
    case 'version': {
      const rest = after(text, 'functions.', kind);
      const published = /^(.*)\.versions\.([^.]+)$/.exec(rest);
      if (published) return { kind, key: published[1]!, version: published[2]! };
      if (!rest.endsWith('.version')) throw new AddressError(`'${text}' is not the address of a version (functions.<key>.version)`);
      return { kind, key: rest.slice(0, -'.version'.length) };
    }
    case 'cache-policy':
      return { kind, key: after(text, 'cachePolicies.', kind) };
    case 'origin':
      return { kind, id: after(text, 'origins.', kind) };
    case 'behavior':
      return { kind, pattern: after(text, 'behaviors.', kind) };
    case 'association': {
      const rest = after(text, 'behaviors.', kind);
      const dot = rest.lastIndexOf('.');
      if (dot < 0) throw new AddressError(`'${text}' is not the address of a trigger (behaviors.<pattern>.<event>)`);
      return { kind, pattern: rest.slice(0, dot), event: rest.slice(dot + 1) };
    }
    default:
      throw new AddressError(`unknown kind of change: ${kind}`);
  }
}

/**
 * What detach and gc report per AWS resource (`deleted`, `waiting`, `kept`): its kind and
 * name, as `function:fp-proxy-proxy`, `version:fp-proxy-proxy:3`, `cache-policy:…`,
 * `role:…`, `secret:…`. Named by AWS name, not manifest key: it may have left the manifest.
 */
export type ResourceKind = 'cache-policy' | 'role' | 'function' | 'version' | 'secret';

export interface ResourceRef {
  kind: ResourceKind;
  name: string;
  version?: string;
}

export function formatResource(ref: ResourceRef): string {
  return ref.kind === 'version' ? `version:${ref.name}:${ref.version}` : `${ref.kind}:${ref.name}`;
}

/** `function:fp-proxy-proxy` → `function fp-proxy-proxy`; `version:f:3` → `version f:3`. */
export function resourceText(resource: string): string {
  return resource.replace(':', ' ');
}
