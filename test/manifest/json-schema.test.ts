import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManifestSchema, manifestJsonSchema, manifestJsonSchemaText, MANIFEST_SCHEMA_FILE } from '../../src/manifest/index.js';

const committed = fileURLToPath(new URL(`../../${MANIFEST_SCHEMA_FILE}`, import.meta.url));

describe('edge-install.schema.json', () => {
  it('is what the zod schema generates (regenerate: npm run build && node dist/manifest/json-schema.js > edge-install.schema.json)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(manifestJsonSchemaText());
  });

  it('has an $id and a title, and describes the file as written (defaults optional)', () => {
    const schema = manifestJsonSchema() as any;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\/.+\/edge-install\.schema\.json$/);
    expect(schema.title).toBe('edge-install manifest');
    expect(schema.required).toEqual(['name', 'functions', 'behaviors']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.functions.additionalProperties.required).toEqual(['handler']);
    expect(schema.properties.functions.additionalProperties.properties.runtime.enum).toEqual(['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x']);
    expect(schema.properties.behaviors.items.properties.triggers.propertyNames ?? schema.properties.behaviors.items.properties.triggers.properties).toBeDefined();
  });

  it('covers every top-level key of the zod schema', () => {
    expect(Object.keys((manifestJsonSchema() as any).properties)).toEqual(Object.keys(ManifestSchema.shape));
  });
});
