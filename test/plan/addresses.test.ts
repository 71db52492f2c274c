/** Typed addresses: one format, one parse, for every kind of change (dots in path patterns included). */
import { describe, expect, it } from 'vitest';
import { formatAddress, formatResource, parseAddress, type Address } from '../../src/plan/addresses.js';

const ADDRESSES: [Address, string][] = [
  [{ kind: 'secret' }, 'secret'],
  [{ kind: 'role' }, 'role'],
  [{ kind: 'function', key: 'proxy' }, 'functions.proxy'],
  [{ kind: 'version', key: 'proxy' }, 'functions.proxy.version'],
  [{ kind: 'version', key: 'fp-proxy-proxy', version: '3' }, 'functions.fp-proxy-proxy.versions.3'],
  [{ kind: 'cache-policy', key: 'proxy' }, 'cachePolicies.proxy'],
  [{ kind: 'origin', id: 'ei-fp-proxy-vendor' }, 'origins.ei-fp-proxy-vendor'],
  [{ kind: 'behavior', pattern: '/fpjs/*' }, 'behaviors./fpjs/*'],
  [{ kind: 'behavior', pattern: '*.js' }, 'behaviors.*.js'],
  [{ kind: 'association', pattern: '*', event: 'viewer-request' }, 'behaviors.*.viewer-request'],
  [{ kind: 'association', pattern: '/a.b/*.json', event: 'origin-request' }, 'behaviors./a.b/*.json.origin-request'],
];

describe('addresses', () => {
  it.each(ADDRESSES)('%j ⇄ %s', (address, text) => {
    expect(formatAddress(address)).toBe(text);
    expect(parseAddress(address.kind, text)).toEqual(address);
  });

  it('the kind decides how a dotted pattern is read', () => {
    expect(parseAddress('behavior', 'behaviors./x.viewer-request')).toEqual({ kind: 'behavior', pattern: '/x.viewer-request' });
    expect(parseAddress('association', 'behaviors./x.viewer-request')).toEqual({ kind: 'association', pattern: '/x', event: 'viewer-request' });
  });

  it('a text of another kind is refused', () => {
    expect(() => parseAddress('origin', 'behaviors./x')).toThrow("'behaviors./x' is not the address of a origin (origins.…)");
    expect(() => parseAddress('association', 'behaviors.x')).toThrow("'behaviors.x' is not the address of a trigger");
  });

  it('resources are named by AWS name', () => {
    expect(formatResource({ kind: 'version', name: 'fp-proxy-proxy', version: '1' })).toBe('version:fp-proxy-proxy:1');
    expect(formatResource({ kind: 'secret', name: 'edge-install/fp-proxy' })).toBe('secret:edge-install/fp-proxy');
  });
});
