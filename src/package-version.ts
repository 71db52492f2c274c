/** edge-install's own version (package.json), for --version and the built-in handlers' traffic tag. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  // From src/ and from dist/ alike, package.json is one level up.
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
