/**
 * The published JSON Schema of edge-install.json (`edge-install.schema.json` at the package
 * root), generated from the zod schema so the two cannot drift (a test compares them).
 * It describes the file as written (`io: 'input'`): fields with defaults are optional.
 *
 * Regenerate: `npm run build && node dist/manifest/json-schema.js > edge-install.schema.json`
 * (running this module prints the schema; importing it does nothing).
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ManifestSchema } from './schema.js';

export const MANIFEST_SCHEMA_ID = 'https://unpkg.com/edge-install/edge-install.schema.json';
export const MANIFEST_SCHEMA_FILE = 'edge-install.schema.json';

export function manifestJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ManifestSchema, { io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: MANIFEST_SCHEMA_ID,
    title: 'edge-install manifest',
    description:
      'edge-install.json: what edge-install owns on a CloudFront distribution (functions, origins, cache policies, behaviors and triggers). Strings may use ${secret.name}, ${secret.region} and ${values.<key>}.',
    ...rest,
  };
}

/** The file's exact text: two-space indentation and a final newline. */
export function manifestJsonSchemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(manifestJsonSchemaText());
}
