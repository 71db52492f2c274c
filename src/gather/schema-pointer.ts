/**
 * GATHER for `init`: what the manifest's `$schema` points at — the schema file of the
 * edge-install installed in the project (the nearest node_modules/edge-install, from the
 * manifest's directory up), as a path relative to the manifest, so an editor validates the file
 * against the version that will run it. Never a URL: the file must exist in the installed
 * package. Without an installed edge-install (run with npx), the path it will have once
 * `npm install -D edge-install` puts it next to the manifest.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { SCHEMA_POINTER } from '../manifest/recipes.js';

const SCHEMA_FILE = join('node_modules', 'edge-install', 'edge-install.schema.json');

export function gatherSchemaPointer(manifestDir: string): string {
  for (let dir = manifestDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, SCHEMA_FILE))) {
      const rel = relative(manifestDir, join(dir, SCHEMA_FILE)).split(sep).join('/');
      return rel.startsWith('.') ? rel : `./${rel}`;
    }
    if (dirname(dir) === dir) return SCHEMA_POINTER;
  }
}
