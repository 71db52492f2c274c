/**
 * A process environment where the AWS SDK finds no credentials: no keys, no profiles (config
 * files in an empty directory), no instance metadata. The SDK reads this process's env, not
 * the CLI's io.env, so it is stubbed here; `restore` undoes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

export function stubNoCredentials(): { home: string; files: { AWS_CONFIG_FILE: string; AWS_SHARED_CREDENTIALS_FILE: string }; restore(): void } {
  const home = mkdtempSync(join(tmpdir(), 'ei-home-'));
  const files = { AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') };
  vi.stubEnv('AWS_CONFIG_FILE', files.AWS_CONFIG_FILE);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', files.AWS_SHARED_CREDENTIALS_FILE);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) {
    vi.stubEnv(name, undefined);
  }
  return {
    home,
    files,
    restore: () => {
      vi.unstubAllEnvs();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
