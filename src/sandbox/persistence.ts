/** `--state-file`: the whole sandbox state as JSON, rewritten atomically after every write. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SandboxData } from './world.js';

export function readStateFile(path: string): SandboxData | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SandboxData;
  } catch (error) {
    throw new Error(`the state file ${path} is not valid JSON (${(error as Error).message}); move it away or fix it`);
  }
}

export function writeStateFile(path: string, data: SandboxData): void {
  const temporary = `${path}.${process.pid}.tmp`;
  // Only the owner reads it: it holds secret values and, in a rehearsal, origins' custom headers.
  writeFileSync(temporary, JSON.stringify(data), { mode: 0o600 });
  renameSync(temporary, path);
}
