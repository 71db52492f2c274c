/**
 * `edge-install dev`: the manifest's integration on a local edge in front of an origin, and
 * installed again when a file changes — through real HTTP requests, the command running in
 * this process (--json: one event per line, so the test waits on events, not on a clock).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FP_ANSWERS, recipeProject, runCli, type Project } from '../helpers/cli.js';
import { startLongCli } from '../helpers/long-cli.js';
import { startOrigin, type TestOrigin } from '../sandbox/edge/helpers.js';

const SECRET = 'dev-secret-4a9e0c2b71';
const NO_AWS = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', EDGE_INSTALL_ENDPOINT_URL: '' };
const handler = (version: number) => `
declare const __EDGE_INSTALL_CONFIG__: Record<string, unknown>;
export const handler = async (event: any) => {
  void __EDGE_INSTALL_CONFIG__;
  const request = event.Records[0].cf.request;
  if (event.Records[0].cf.config.eventType === 'origin-response') return event.Records[0].cf.response;
  request.headers['x-dev-version'] = [{ key: 'X-Dev-Version', value: '${version}' }];
  return request;
};
`;

let project: Project;
let site: TestOrigin;
let vendor: TestOrigin;

beforeAll(async () => {
  project = recipeProject('first-party-proxy', FP_ANSWERS, []);
  writeFileSync(join(project.dir, 'handler.ts'), handler(1));
  writeFileSync(join(project.dir, 'secrets.json'), JSON.stringify({ FPJS_PRE_SHARED_SECRET: SECRET }));
  site = await startOrigin();
  vendor = await startOrigin();
});

afterAll(async () => {
  await site.close();
  await vendor.close();
  project.remove();
});

interface Event {
  event: string;
  url?: string;
  versions?: string[];
  generation?: number;
  uri?: string;
  status?: number;
  steps?: { stage: string; detail: string }[];
}

describe('dev', () => {
  it('serves the integration in front of the origin and installs it again when the handler changes', async () => {
    const run = startLongCli(['dev', '--json', '--port', '0', '--origin', site.url, '--origin', `fpcdn.io=${vendor.url}`, '--secrets-file', 'secrets.json', '--config', project.manifestPath], { cwd: project.dir, env: NO_AWS });
    try {
      const ready = (await run.ready) as Event;
      expect(ready.event).toBe('ready');
      expect(ready.versions).toEqual(['fp-proxy-proxy:1']);

      const home = await fetch(`${ready.url}/index.html`);
      expect(home.status).toBe(200);
      expect(await home.text()).toBe('origin says hi');
      expect(site.seen.at(-1)!.url).toBe('/index.html');

      const proxied = await fetch(`${ready.url}/fpjs-abc/agent?apiKey=k`);
      expect(proxied.status).toBe(200);
      expect(vendor.seen.at(-1)!.headers['x-dev-version']).toBe('1');
      const traced = JSON.parse(await run.line((l) => l.includes('"event":"request"') && l.includes('/fpjs-abc/agent'))) as Event;
      expect(traced.steps!.map((s) => s.stage)).toEqual(['behavior', 'cache', 'origin-request', 'origin', 'origin-response']);

      writeFileSync(join(project.dir, 'handler.ts'), handler(2));
      const installed = JSON.parse(await run.line((l) => l.includes('"event":"installed"'))) as Event;
      expect(installed.versions).toEqual(['fp-proxy-proxy:2']);
      await fetch(`${ready.url}/fpjs-abc/agent?apiKey=k`);
      expect(vendor.seen.at(-1)!.headers['x-dev-version']).toBe('2');
    } finally {
      run.stop();
      expect(await run.exited).toBe(0);
    }
  });

  it('keeps serving the last good build when a change does not build, and says why', async () => {
    writeFileSync(join(project.dir, 'handler.ts'), handler(1));
    const run = startLongCli(['dev', '--json', '--port', '0', '--origin', site.url, '--origin', `fpcdn.io=${vendor.url}`, '--config', project.manifestPath], { cwd: project.dir, env: NO_AWS });
    try {
      const ready = (await run.ready) as Event;
      writeFileSync(join(project.dir, 'handler.ts'), 'export const handler = async (event: any) => {');
      const error = JSON.parse(await run.line((l) => l.includes('"event":"error"'))) as { message: string };
      expect(error.message).toMatch(/handler\.ts/);
      const still = await fetch(`${ready.url}/fpjs-abc/agent?apiKey=k`);
      expect(still.status).toBe(200);
      expect(vendor.seen.at(-1)!.headers['x-dev-version']).toBe('1');
    } finally {
      run.stop();
      await run.exited;
      writeFileSync(join(project.dir, 'handler.ts'), handler(1));
    }
  });

  it('serves the built-in proxy with the secret given for this run, which reaches the vendor’s host and never the output', async () => {
    const builtin = recipeProject('first-party-proxy', FP_ANSWERS, [], (m) => {
      for (const fn of Object.values(m.functions)) fn.handler = 'builtin:first-party-proxy';
    });
    writeFileSync(join(builtin.dir, 'secrets.json'), JSON.stringify({ FPJS_PRE_SHARED_SECRET: SECRET }));
    const run = startLongCli(['dev', '--json', '--no-watch', '--port', '0', '--origin', site.url, '--origin', `api.fpjs.io=${vendor.url}`, '--secrets-file', 'secrets.json', '--config', builtin.manifestPath], { cwd: builtin.dir, env: NO_AWS });
    try {
      const ready = (await run.ready) as Event;
      const identified = await fetch(`${ready.url}/fpjs-abc/result?ci=js/3.8.1`, { method: 'POST', body: '{}' });
      expect(identified.status).toBe(200);
      expect(vendor.seen.at(-1)!.headers['fpjs-proxy-secret']).toBe(SECRET);
      await run.line((l) => l.includes('"event":"request"') && l.includes('/fpjs-abc/result'));
    } finally {
      run.stop();
      await run.exited;
      builtin.remove();
    }
    expect(run.output().stdout + run.output().stderr).not.toContain(SECRET);
  });

  it.each([
    [[] as string[], 'names no distribution'],
    [['--origin', 'http://a.test', '--origin', 'http://b.test'], 'give one URL to serve in front of'],
    [['--origin', 'nonsense'], "'nonsense' is not KEY=VALUE"],
    [['--distribution', 'E2QWRUHAPOMQZL'], 'no AWS credentials are set'],
  ])('refuses %j with exit 2 before serving', async (args, message) => {
    const run = await runCli(['dev', '--port', '0', ...args, '--config', project.manifestPath], { cwd: project.dir, env: NO_AWS });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
