import { describe, expect, it } from 'vitest';
import { checkManifest, interpolateManifest, interpolateString, interpolationContext, parseManifest } from '../../src/manifest/index.js';
import { minimalManifest, validManifest } from './fixtures.js';

const context = interpolationContext({
  values: { host: 'fpcdn.io', port: 8443, enabled: true, path: 'fpjs' },
  secret: { name: 'edge-install/x', keys: { TOKEN: { sensitive: true }, PATH: { value: '${values.path}' }, OTHER: {} } },
});
const one = (text: string) => interpolateString(text, context, ['functions', 'f', 'config', 'x']);

describe('interpolateString', () => {
  it('replaces secret.name, secret.region (default us-east-1) and values', () => {
    expect(one('${secret.name}@${secret.region}: ${values.host}')).toEqual({ value: 'edge-install/x@us-east-1: fpcdn.io', issues: [] });
  });

  it('stringifies numbers and booleans, also when the reference is the whole string', () => {
    expect(one('${values.port}').value).toBe('8443');
    expect(one('${values.enabled}').value).toBe('true');
    expect(one('https://${values.host}:${values.port}/').value).toBe('https://fpcdn.io:8443/');
  });

  it('leaves text without references alone, including a lone $', () => {
    expect(one('costs $5 {a} $').value).toBe('costs $5 {a} $');
  });

  it('writes a literal ${ for $${', () => {
    expect(one('$${values.host} is ${values.host}')).toEqual({ value: '${values.host} is fpcdn.io', issues: [] });
  });

  it('tolerates spaces inside the braces', () => {
    expect(one('${ values.host }').value).toBe('fpcdn.io');
  });

  it('refuses sensitive secret keys in both spellings', () => {
    for (const text of ['${secret.keys.TOKEN}', '${secret.TOKEN}']) {
      const { value, issues } = one(text);
      expect(value).toBe(text);
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toBe('functions.f.config.x');
      expect(issues[0]!.message).toContain('sensitive values can never be interpolated');
    }
  });

  it('sends non-sensitive secret keys through values, naming the value when it can', () => {
    expect(one('${secret.keys.PATH}').issues[0]!.fix).toBe('use ${values.path}, which secret.keys.PATH.value is written as');
    expect(one('${secret.OTHER}').issues[0]!.fix).toContain('put the value in values (e.g. values.OTHER)');
  });

  it('lists the known references for an unknown one', () => {
    const { issues } = one('${value.host}');
    expect(issues[0]!.message).toBe('unknown reference ${value.host} (did you mean ${values.host}?)');
    expect(issues[0]!.fix).toContain('${secret.name}, ${secret.region}, ${values.host}, ${values.port}, ${values.enabled}, ${values.path}');
  });

  it('reports each bad reference of a string', () => {
    expect(one('${values.a}-${values.b}').issues.map((i) => i.message)).toEqual(['${values.a} names no entry of values', '${values.b} names no entry of values']);
  });
});

describe('interpolateManifest', () => {
  it('interpolates every string: header values, path patterns, function config (nested), secret key values, distributions', () => {
    const raw = validManifest();
    raw.values.distributionId = 'E1DEMO0EXAMPLE';
    raw.distributions = ['${values.distributionId}'];
    raw.functions.proxy.config.nested = { list: ['${values.agentHost}', 1, true, null] };
    const m = parseManifest(raw);
    expect(m.distributions).toEqual(['E1DEMO0EXAMPLE']);
    expect(m.behaviors[0]!.pathPattern).toBe('fpjs-7x9/*');
    expect(m.origins.vendor!.domainName).toBe('fpcdn.io');
    expect(m.origins.vendor!.customHeaders).toEqual({ FPJS_SECRET_NAME: 'edge-install/fp-proxy', FPJS_SECRET_REGION: 'us-east-1' });
    expect(m.functions.proxy!.config).toEqual({ agentHost: 'fpcdn.io', ingressHost: 'api.fpjs.io', nested: { list: ['fpcdn.io', 1, true, null] } });
    expect(m.secret!.keys.FPJS_GET_RESULT_PATH!.value).toBe('result');
  });

  it('uses the secret region default when the secret names none', () => {
    const raw = validManifest();
    delete raw.secret.region;
    expect(parseManifest(raw).origins.vendor!.customHeaders.FPJS_SECRET_REGION).toBe('us-east-1');
    raw.secret.region = 'eu-central-1';
    expect(parseManifest(raw).origins.vendor!.customHeaders.FPJS_SECRET_REGION).toBe('eu-central-1');
  });

  it('lets the secret name and region use values, then uses the result elsewhere', () => {
    const raw = validManifest();
    raw.values.secretRegion = 'eu-west-1';
    raw.secret.name = 'edge-install/${values.agentDownloadPath}';
    raw.secret.region = '${values.secretRegion}';
    const m = parseManifest(raw);
    expect(m.secret).toMatchObject({ name: 'edge-install/agent', region: 'eu-west-1' });
    expect(m.origins.vendor!.customHeaders).toEqual({ FPJS_SECRET_NAME: 'edge-install/agent', FPJS_SECRET_REGION: 'eu-west-1' });
  });

  it('keeps values and $schema literal, and never interpolates keys', () => {
    const raw = minimalManifest();
    raw.$schema = './${values.x}.json';
    raw.values = { x: 'a', literal: '${values.x}' };
    raw.functions.guard.config = { '${values.x}': '${values.literal}' };
    const m = parseManifest(raw);
    expect(m.$schema).toBe('./${values.x}.json');
    expect(m.values.literal).toBe('${values.x}');
    expect(m.functions.guard!.config).toEqual({ '${values.x}': '${values.x}' });
  });

  it('returns a copy and reports issues with manifest paths', () => {
    const raw = validManifest();
    raw.behaviors[1].triggers['viewer-request'].function = '${values.nope}';
    const before = structuredClone(raw);
    const { value, issues } = interpolateManifest(raw);
    expect(raw).toEqual(before);
    expect(value).not.toBe(raw);
    expect(issues.map((i) => i.path)).toEqual(['behaviors[1].triggers.viewer-request.function']);
  });

  it('keeps a key named __proto__ an ordinary key', () => {
    const raw = JSON.parse('{"name":"x","functions":{"f":{"handler":"./f.ts","config":{"__proto__":{"polluted":"${values.a}"}}}},"values":{"a":"b"},"behaviors":[{"pathPattern":"*","triggers":{"viewer-request":{"function":"f"}}}]}');
    const { value } = interpolateManifest(raw);
    const config = (value as any).functions.f.config;
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
    expect(Object.keys(config)).toEqual(['__proto__']);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('never puts a sensitive value anywhere, even one wrongly written in the manifest', () => {
    const raw = validManifest();
    raw.secret.keys.FPJS_PRE_SHARED_SECRET.value = 'hunter2';
    raw.functions.proxy.config.psk = '${secret.keys.FPJS_PRE_SHARED_SECRET}';
    const { issues } = checkManifest(raw);
    expect(issues.map((i) => i.path).sort()).toEqual(['functions.proxy.config.psk', 'secret.keys.FPJS_PRE_SHARED_SECRET.value']);
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });
});
