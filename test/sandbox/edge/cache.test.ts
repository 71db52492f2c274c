/** The local edge's cache rules (CloudFront Developer Guide, "Manage how long content stays in the cache", "Understand the cache key"). */
import { describe, expect, it } from 'vitest';
import { EdgeCache, ttlSeconds } from '../../../src/sandbox/edge/cache.js';
import { cacheKey } from '../../../src/sandbox/edge/forwarding.js';
import type { EdgeRequest, EdgeResponse } from '../../../src/sandbox/edge/model.js';
import type { CacheSettings } from '../../../src/sandbox/edge/policy-view.js';

const settings = (over: Partial<CacheSettings> = {}): CacheSettings => ({
  minTtl: 10,
  defaultTtl: 100,
  maxTtl: 1000,
  headers: { behavior: 'none', names: [] },
  cookies: { behavior: 'none', names: [] },
  queryStrings: { behavior: 'none', names: [] },
  gzip: false,
  brotli: false,
  ...over,
});
const response = (status: number, headers: [string, string][] = []): EdgeResponse => ({ status, headers, body: Buffer.from('x') });
const request = (over: Partial<EdgeRequest> = {}): EdgeRequest => ({ method: 'GET', uri: '/a', querystring: '', headers: [], body: Buffer.alloc(0), clientIp: '1.2.3.4', ...over });
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('how long a response is cached', () => {
  it.each([
    ['no Cache-Control: DefaultTTL', [], 100],
    ['max-age inside the bounds', [['Cache-Control', 'max-age=500']], 500],
    ['max-age under MinTTL: MinTTL', [['Cache-Control', 'max-age=2']], 10],
    ['max-age over MaxTTL: MaxTTL', [['Cache-Control', 'public, max-age=99999']], 1000],
    ['s-maxage wins over max-age', [['Cache-Control', 'max-age=500, s-maxage=50']], 50],
    ['no-store with MinTTL > 0: MinTTL', [['Cache-Control', 'no-store']], 10],
    ['Expires in 300 s', [['Expires', new Date(NOW + 300_000).toUTCString()]], 300],
  ] as [string, [string, string][], number][])('%s', (_name, headers, ttl) => {
    expect(ttlSeconds(response(200, headers), settings(), NOW)).toBe(ttl);
  });

  it('no-cache with MinTTL 0 is not cached; MaxTTL 0 caches nothing', () => {
    expect(ttlSeconds(response(200, [['Cache-Control', 'no-cache']]), settings({ minTtl: 0 }), NOW)).toBe(0);
    expect(ttlSeconds(response(200, [['Cache-Control', 'max-age=500']]), settings({ minTtl: 0, defaultTtl: 0, maxTtl: 0 }), NOW)).toBe(0);
  });

  it('errors: the larger of max-age and the ErrorCachingMinTTL (10 s by default); never with no-store, nor codes CloudFront does not cache', () => {
    expect(ttlSeconds(response(404), settings(), NOW)).toBe(10);
    expect(ttlSeconds(response(404), settings(), NOW, 300)).toBe(300);
    expect(ttlSeconds(response(404, [['Cache-Control', 'max-age=600']]), settings(), NOW, 300)).toBe(600);
    expect(ttlSeconds(response(404, [['Cache-Control', 'no-store']]), settings(), NOW, 300)).toBe(0);
    expect(ttlSeconds(response(416), settings(), NOW)).toBe(0);
    expect(ttlSeconds(response(429), settings(), NOW)).toBe(0);
  });
});

describe('the cache key', () => {
  it('holds what the policy names and nothing else', () => {
    const policy = settings({ gzip: true, queryStrings: { behavior: 'whitelist', names: ['apiKey'] }, headers: { behavior: 'whitelist', names: ['accept-language'] } });
    const key = (over: Partial<EdgeRequest>) => cacheKey('E1', 'fp/*', request(over), policy);
    expect(key({ method: 'HEAD' })).toBe(key({ method: 'GET' }));
    expect(key({ method: 'OPTIONS' })).not.toBe(key({ method: 'GET' }));
    expect(key({ headers: [['Accept-Encoding', 'gzip;q=0']] })).toBe(key({}));
    expect(key({ querystring: 'apiKey=a&utm=1' })).toBe(key({ querystring: 'utm=2&apiKey=a' }));
    expect(key({ querystring: 'apiKey=a' })).not.toBe(key({ querystring: 'apiKey=b' }));
    expect(key({ headers: [['Accept-Language', 'en']] })).not.toBe(key({ headers: [['accept-language', 'de']] }));
    expect(key({ headers: [['User-Agent', 'a']] })).toBe(key({ headers: [['User-Agent', 'b']] }));
    expect(key({ uri: '/a' })).not.toBe(key({ uri: '/b' }));
  });
});

describe('the edge cache', () => {
  it('misses once an entry expires on the clock given, or a later invalidation matches it', () => {
    const cache = new EdgeCache();
    const stored = (invalidationsSeen: number) => ({ distributionId: 'E1', uri: '/img/a.png', response: response(200), skipViewerResponse: false, invalidationsSeen });
    cache.put('k', stored(0), 60, NOW);
    expect(cache.get('k', NOW + 59_000, [])?.ageSeconds).toBe(59);
    expect(cache.get('k', NOW + 60_000, [])).toBeUndefined();
    // Stored after the first invalidation: only a second one can take it.
    cache.put('k', stored(1), 60, NOW);
    expect(cache.get('k', NOW, [{ paths: ['/img/*'] }])).toBeDefined();
    expect(cache.get('k', NOW, [{ paths: ['/img/*'] }, { paths: ['/other/*'] }])).toBeDefined();
    expect(cache.get('k', NOW, [{ paths: ['/img/*'] }, { paths: ['/img/*'] }])).toBeUndefined();
  });
});
