/**
 * `edge-install invoke`: a manifest function bundled as attach bundles it and run once in the
 * local edge's runtime, judged as CloudFront judges it — in-process through main(argv), with
 * no AWS account and no call to any endpoint.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipeProject, runCli, FP_ANSWERS, type Project } from '../helpers/cli.js';

const SECRET = 'invoke-secret-9f3c1a77e2';
const NO_AWS = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', EDGE_INSTALL_ENDPOINT_URL: '' };

let proxy: Project;
let custom: Project;

beforeAll(() => {
  proxy = recipeProject('first-party-proxy', FP_ANSWERS, ['E2QWRUHAPOMQZL'], (m) => {
    for (const fn of Object.values(m.functions)) fn.handler = 'builtin:first-party-proxy';
  });
  writeFileSync(join(proxy.dir, 'secrets.json'), JSON.stringify({ FPJS_PRE_SHARED_SECRET: SECRET }));
  custom = recipeProject('first-party-proxy', FP_ANSWERS, ['E2QWRUHAPOMQZL']);
  writeFileSync(join(custom.dir, 'thrower.ts'), `export const handler = async () => { console.log('about to fail'); throw new Error('kaput'); };`);
  writeFileSync(join(custom.dir, 'host-changer.ts'), `export const handler = async (event: any) => { const r = event.Records[0].cf.request; r.headers['via'] = [{ key: 'Via', value: 'me' }]; return r; };`);
  writeFileSync(join(custom.dir, 'not-found.ts'), `export const handler = async (event: any) => { const r = event.Records[0].cf.response; r.headers['x-status-seen'] = [{ key: 'X-Status-Seen', value: r.status }]; return r; };`);
});

afterAll(() => {
  proxy.remove();
  custom.remove();
});

const invoke = (project: Project, args: string[]) => runCli(['invoke', ...args, '--config', project.manifestPath], { cwd: project.dir, env: NO_AWS });

const withHandler = (project: Project, file: string) => {
  const manifest = JSON.parse(JSON.stringify(project.manifest)) as Project['manifest'];
  for (const fn of Object.values(manifest.functions)) fn.handler = `./${file}`;
  writeFileSync(project.manifestPath, JSON.stringify(manifest, null, 2));
};

describe('invoke with the built-in first-party proxy', () => {
  it('runs the agent download on origin-request (the trigger it is attached to first) and shows the request CloudFront would send to the agent CDN', async () => {
    const run = await invoke(proxy, ['proxy', '--path', '/fpjs-abc/agent', '--query', 'apiKey=pubkey123&version=3&loaderVersion=3.8.1', '--secrets-file', 'secrets.json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('proxy (fp-proxy-proxy) on origin-request on fpjs-abc/*, with the body');
    expect(run.stdout).toContain('CloudFront would send to https://fpcdn.io this request:');
    expect(run.stdout).toMatch(/GET \/v3\/pubkey123\/loader_v3\.8\.1\.js\?.*ii=edge-install-cloudfront%2F/);
    expect(run.stdout).toMatch(/START RequestId: .* Version: \$LATEST/);
    expect(run.stdout).toMatch(/REPORT RequestId: .*Init Duration/);
  });

  it('reads the secret given for this run and never prints it, even where the function forwards it', async () => {
    const run = await invoke(proxy, ['proxy', '--method', 'POST', '--path', '/fpjs-abc/result', '--query', 'ci=js/3.8.1', '--body', '{"a":1}', '--secrets-file', 'secrets.json', '--header', 'cookie: _iidt=abc', '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    const doc = JSON.parse(run.stdout) as { cloudFront: { action: string; request: { headers: [string, string][]; body: { data: string } }; origin: { domainName: string } }; eventType: string };
    expect(doc.eventType).toBe('origin-request');
    expect(doc.cloudFront.action).toBe('forward');
    expect(doc.cloudFront.origin.domainName).toBe('api.fpjs.io');
    const secretHeader = doc.cloudFront.request.headers.find(([n]) => n.toLowerCase() === 'fpjs-proxy-secret');
    expect(secretHeader?.[1]).toBe('‹secret FPJS_PRE_SHARED_SECRET›');
    expect(doc.cloudFront.request.body.data).toBe('{"a":1}');
  });

  it('without the secret value, says so and runs the way the vendor proxy does without it', async () => {
    const run = await invoke(proxy, ['proxy', '--method', 'POST', '--path', '/fpjs-abc/result']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("no value for the secret's FPJS_PRE_SHARED_SECRET in this run");
  });
});

describe('invoke judges the result as CloudFront would', () => {
  it('a function that throws is CloudFront’s 503, with its log lines; exit 1', async () => {
    withHandler(custom, 'thrower.ts');
    const run = await invoke(custom, ['proxy', '--event', 'viewer-request']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('CloudFront would answer 503 (LambdaExecutionError)');
    expect(run.stdout).toContain('kaput');
    expect(run.stdout).toMatch(/\tINFO\tabout to fail/);
    expect(run.stdout).toContain('note: proxy is not attached to viewer-request in the manifest');
  });

  it('a result that changes a read-only header is CloudFront’s 502 naming it', async () => {
    withHandler(custom, 'host-changer.ts');
    const run = await invoke(custom, ['proxy', '--event', 'origin-request', '--json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as { cloudFront: { action: string; status: number; resultType: string; errors: string[] } };
    expect(doc.cloudFront).toMatchObject({ action: 'error', status: 502, resultType: 'LambdaValidationError' });
    expect(doc.cloudFront.errors.join(' ')).toMatch(/via/i);
  });

  it('a response event runs on the status given', async () => {
    withHandler(custom, 'not-found.ts');
    const run = await invoke(custom, ['proxy', '--event', 'origin-response', '--response-status', '404']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('CloudFront would go on with this response:');
    expect(run.stdout).toContain('X-Status-Seen: 404');
  });
});

describe('invoke refuses bad input with exit 2', () => {
  it.each([
    [['nope'], "has no function 'nope'; its functions are: proxy"],
    [['proxy', '--event', 'viewer-reqest'], '--event viewer-reqest: not a CloudFront event'],
    [['proxy', '--header', 'no-colon'], "--header 'no-colon' is not NAME:VALUE"],
    [['proxy', '--path', 'relative'], "--path relative must start with '/'"],
    [['proxy', '--body', '@missing.bin'], '--body @missing.bin: the file cannot be read'],
    [['proxy', '--origin', 'fpcdn.io=ftp://x'], "'ftp://x' is not an http(s) URL"],
    [['proxy', '--edge-region', 'us-east1'], '--edge-region us-east1 is not a Region with a regional edge cache'],
  ])('%j', async (args, message) => {
    const run = await invoke(proxy, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
