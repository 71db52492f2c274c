/** edge-install.json: schema, loading, interpolation and validation (RECIPES.md). */
export * from './schema.js';
export { DEFAULT_SOURCE, ManifestError, formatIssue, formatPath, type ManifestIssue, type PathSegment } from './errors.js';
export { interpolateManifest, interpolateString, interpolationContext, knownReferences, type InterpolationContext, type InterpolationResult } from './interpolate.js';
export * from './managed-policies.js';
export { LIMITS, DEFAULT_ORIGIN, DEFAULT_PATTERN, attachmentsOf, isForbiddenOriginHeader, validateManifest, RULES, type Attachment, type Rule } from './validate.js';
export { checkManifest, parseManifest, type ManifestCheck } from './parse.js';
export { fromZodIssues } from './zod-issues.js';
export { DEFAULT_MANIFEST_PATH, loadManifest, type LoadedManifest } from './load.js';
export { MANIFEST_SCHEMA_FILE, MANIFEST_SCHEMA_ID, manifestJsonSchema, manifestJsonSchemaText } from './json-schema.js';
