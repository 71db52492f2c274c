/** `edge-install sandbox` as a user runs it: a real process, its ready line, its signals. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/edge-install.js', import.meta.url));

function startCli(...args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited ${code} before the ready line: ${stderr}`)));
  });
  firstLine.catch(() => {}); // awaited only by the tests that expect a ready line
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

describe('edge-install sandbox', () => {
  it('prints exactly one JSON ready line, serves, logs with --verbose and exits cleanly on SIGTERM', async () => {
    const run = startCli('--verbose', 'sandbox', '--port', '0');
    const ready = JSON.parse(await run.firstLine) as { endpoint: string; distributionIds: string[] };
    expect(ready.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.distributionIds).toEqual(['E1DEMO0EXAMPLE']);
    const response = await fetch(`${ready.endpoint}/2020-05-31/distribution/E1DEMO0EXAMPLE`);
    expect(response.status).toBe(200);
    run.child.kill('SIGTERM');
    const [code] = await run.exited;
    expect(code).toBe(0);
    expect(run.output().stdout.trim().split('\n')).toHaveLength(1);
    expect(run.output().stderr).toContain('cloudfront.GetDistribution 200');
  });

  it('serves each distribution on a local edge named in the ready line, through the origin map and the S3 directory', async () => {
    const site = mkdtempSync(join(tmpdir(), 'sandbox-site-'));
    writeFileSync(join(site, 'index.html'), 'hello from the site');
    const api = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`api saw ${req.url}`));
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const run = startCli('--verbose', 'sandbox', '--port', '0', '--origin', `api.example.com=${apiUrl}`, '--s3-dir', `example-site-prod=${site}`, '--edge-region', 'eu-central-1');
    try {
      const ready = JSON.parse(await run.firstLine) as { edge: Record<string, string> };
      const edge = ready.edge.E1DEMO0EXAMPLE!;
      expect(edge).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(`${edge}/index.html`);
      expect(await page.text()).toBe('hello from the site');
      expect(page.headers.get('x-amz-cf-pop')).toMatch(/^FRA/);
      expect(await (await fetch(`${edge}/api/users?x=1`)).text()).toBe('api saw /v2/api/users?x=1');
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      api.close();
      rmSync(site, { recursive: true, force: true });
    }
    // --verbose: each request with its way through the edge.
    expect(run.output().stderr).toMatch(/200 GET \/api\/users {2}Miss {2}eu-central-1 {2}E1DEMO0EXAMPLE\n {4}behavior +\/api\/\*/);
  });

  it('exits on SIGINT with --seed empty', async () => {
    const run = startCli('sandbox', '--port', '0', '--seed', 'empty', '--deploy-delay', '10');
    const ready = JSON.parse(await run.firstLine) as { distributionIds: string[] };
    expect(ready.distributionIds).toEqual([]);
    run.child.kill('SIGINT');
    const [code] = await run.exited;
    expect(code).toBe(0);
  });

  it('a port in use is exit 1 with a message saying what to do', async () => {
    const first = startCli('sandbox', '--port', '0');
    const { endpoint } = JSON.parse(await first.firstLine) as { endpoint: string };
    const second = startCli('sandbox', '--port', new URL(endpoint).port);
    const [code] = await second.exited;
    expect(code).toBe(1);
    expect(second.output().stderr).toMatch(/already in use; choose another --port/);
    first.child.kill('SIGTERM');
    await first.exited;
  });

  it('bad flags are exit 2 with a message naming the flag', async () => {
    for (const [args, text] of [
      [['sandbox', '--port', 'eighty'], '--port'],
      [['sandbox', '--seed', '/nonexistent/seed.json'], '--seed'],
      [['sandbox', '--deploy-delay', '-5'], '--deploy-delay'],
      [['sandbox', '--origin', 'api.example.com'], '--origin'],
      [['sandbox', '--origin', 'api.example.com=ftp://x'], 'not an http(s) URL'],
      [['sandbox', '--s3-dir', 'bucket=/nonexistent/site'], '--s3-dir bucket=/nonexistent/site: the directory does not exist'],
      [['sandbox', '--edge-region', 'mars-1'], '--edge-region mars-1 is not a Region with a regional edge cache'],
    ] as const) {
      const run = startCli(...args);
      const [code] = await run.exited;
      expect(code).toBe(2);
      expect(run.output().stderr).toContain(text);
      expect(run.output().stdout).toBe('');
    }
  });
});
