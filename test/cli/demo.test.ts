/** `edge-install demo`: the README's first command, end to end. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('edge-install demo', () => {
  it('walks init → plan → attach → status → rollback and ends with the config restored', async () => {
    const run = await runCli(['demo']);
    expect(run.code, run.stderr).toBe(0);
    for (const step of ['edge-install init', 'edge-install plan', 'edge-install attach --yes', 'edge-install status', 'edge-install rollback --yes']) {
      expect(run.stdout).toContain(step);
    }
    // The plan's diff is shown, with the new behavior and where it goes.
    expect(run.stdout).toContain('fpjs/*');
    expect(run.stdout).toMatch(/Plan: \d+ to create/);
    expect(run.stdout).toMatch(/config restored: E1DEMO0EXAMPLE is identical to the original/);
    // Real traffic through the installed proxy on the local edge, reaching the vendor's stand-ins.
    expect(run.stdout).toMatch(/GET \/fpjs\/agent\?apiKey=demo&version=3&loaderVersion=3\.8\.1 → 200 \(Miss from cloudfront\)/);
    expect(run.stdout).toMatch(/the agent CDN stand-in \(fpcdn\.io\) was asked for \/v3\/demo\/loader_v3\.8\.1\.js\?.*ii=edge-install-cloudfront/);
    expect(run.stdout).toContain('the same again → 200 (Hit from cloudfront)');
    expect(run.stdout).toMatch(/POST \/fpjs\/result → 200/);
    expect(run.stdout).toContain('FPJS-Proxy-Secret: ✓ the pre-shared secret (not shown)');
    expect(run.stdout).toContain('FPJS-Proxy-Forwarded-Host: www.example.com');
    expect(run.stdout).toMatch(/START RequestId: [0-9a-f-]{36} Version: 1/);
    // After rollback the proxy path is the site's again.
    expect(run.stdout).toContain("GET /fpjs/agent → 404 (Miss from cloudfront) the site's own 404 page");
    // The generated secret is handed over in the environment only: nothing looks like it in the output.
    expect(run.stdout + run.stderr).not.toMatch(/FPJS_PRE_SHARED_SECRET[^\n]*[:=]\s*[A-Za-z0-9_-]{20,}/);
  });
});
