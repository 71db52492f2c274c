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
    // The generated secret is handed over in the environment only: nothing looks like it in the output.
    expect(run.stdout + run.stderr).not.toMatch(/FPJS_PRE_SHARED_SECRET[^\n]*[:=]\s*[A-Za-z0-9_-]{20,}/);
  });
});
