/** Which functions are the integration's: one rule, from the manifest and every revision. */
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/parse.js';
import type { OwnedParts } from '../../src/plan/owned-parts.js';
import { ownedFunctionNames } from '../../src/plan/owned-names.js';
import type { Revision } from '../../src/plan/revision.js';

const ARN = (name: string, version: number) => `arn:aws:lambda:us-east-1:123456789012:function:${name}:${version}`;
const NONE: OwnedParts = { origins: [], behaviors: [], associations: [] };
const on = (name: string, version: number): OwnedParts => ({ origins: [], behaviors: [{ pathPattern: '*', index: -1, created: false }], associations: [{ pathPattern: '*', eventType: 'viewer-request', arn: ARN(name, version), includeBody: false }] });

function revision(distributionId: string, parts: { before?: OwnedParts; after?: OwnedParts; functions?: Revision['functions']; integration?: string }): Revision {
  return {
    version: 1,
    revision: `r-${distributionId}`,
    integration: parts.integration ?? 'acme',
    distributionId,
    createdAt: '',
    etagBefore: 'a',
    etagAfter: 'b',
    ownedBefore: parts.before ?? NONE,
    ownedAfter: parts.after ?? NONE,
    replacedForeign: [],
    functions: parts.functions ?? [],
    cachePolicies: {},
  };
}

const manifest = (key: string) => parseManifest({ name: 'acme', functions: { [key]: { handler: './h.ts' } }, behaviors: [{ pathPattern: '*', triggers: { 'viewer-request': { function: key } } }] });

describe('ownedFunctionNames', () => {
  it('the manifest names its functions', () => {
    expect(ownedFunctionNames(manifest('edge'), [])).toEqual(['acme-edge']);
  });

  it('a function key renamed since is still ours through any revision, on any distribution', () => {
    // attach (edge:1) → attach (edge:2) → rollback, recorded as older edge-install did: functions [].
    const revisions = [
      revision('E1', { after: on('acme-edge', 1), functions: [{ key: 'edge', name: 'acme-edge', version: '1', arn: ARN('acme-edge', 1) }] }),
      revision('E1', { before: on('acme-edge', 1), after: on('acme-edge', 2) }),
      revision('E1', { before: on('acme-edge', 2), after: on('acme-edge', 1), functions: [] }),
      revision('E2', { after: on('acme-old', 4) }),
    ];
    expect(ownedFunctionNames(manifest('renamed'), revisions)).toEqual(['acme-edge', 'acme-old', 'acme-renamed']);
  });

  it('another integration’s revisions and a replaced foreign function never count', () => {
    const theirs = revision('E1', { after: on('other-edge', 1), integration: 'other' });
    const replaced = { ...revision('E1', { after: on('acme-edge', 1) }), replacedForeign: [{ pathPattern: '*', eventType: 'viewer-request', arn: ARN('their-auth', 3) }] };
    expect(ownedFunctionNames(manifest('edge'), [theirs, replaced])).toEqual(['acme-edge']);
  });
});
