/**
 * Does the entry module export `handler`? Lambda loads `index.js` and calls its `handler`
 * export (the function's Handler is `index.handler`), so a module without one deploys fine
 * and fails on every request. We find out before uploading:
 *
 * - ES modules (TypeScript or JS with import/export): esbuild's metafile lists the entry's
 *   exports exactly, following `export … from` and `export *` through the bundle.
 * - CommonJS (.js/.cjs with require/module.exports): exports are assigned at run time, so we
 *   look at the comment-free source for `exports.handler = …`, `module.exports = { handler }`
 *   and `Object.defineProperty(exports, 'handler', …)`. When `module.exports` is set to
 *   something we cannot see into (`require('./impl')`, an identifier), we accept it rather
 *   than refuse a working handler.
 */

export type EntryFormat = 'esm' | 'cjs' | undefined;

export type ExportCheck = { ok: true } | { ok: false; problem: string; fix: string };

const CJS_HANDLER_PATTERNS = [
  /\bexports\s*\.\s*handler\s*=/,
  /\bexports\s*\[\s*(['"`])handler\1\s*\]\s*=/,
  /\bdefineProperty\s*\(\s*(?:module\s*\.\s*)?exports\s*,\s*(['"`])handler\1/,
  /\bmodule\s*\.\s*exports\s*=\s*\{[^]*?\bhandler\b/, // lenient: `handler` anywhere after it
];
/** `module.exports = require('./impl')`, `= someObject`: opaque, accepted. */
const CJS_OPAQUE_EXPORTS = /\bmodule\s*\.\s*exports\s*=\s*(?!\{)[A-Za-z_$]/;

/**
 * @param exports  the entry's exports as esbuild reports them for ESM output
 * @param format   the entry's module format as esbuild detected it
 * @param code     the entry's source without comments (only used for CommonJS)
 * @param shown    how to name the file in messages
 */
export function checkHandlerExport(exports: readonly string[], format: EntryFormat, code: string, shown: string): ExportCheck {
  if (format === 'cjs') {
    if (CJS_HANDLER_PATTERNS.some((pattern) => pattern.test(code)) || CJS_OPAQUE_EXPORTS.test(code)) return { ok: true };
    return {
      ok: false,
      problem: `${shown} (CommonJS) does not export \`handler\`; Lambda calls index.handler.`,
      fix: `add \`exports.handler = async (event) => { … }\` (or \`module.exports = { handler }\`) to ${shown}.`,
    };
  }
  if (exports.includes('handler')) return { ok: true };
  if (exports.includes('default')) {
    return {
      ok: false,
      problem: `${shown} has a default export but no export named \`handler\`; Lambda calls index.handler.`,
      fix: `export it by name in ${shown}: \`export async function handler(event) { … }\` instead of \`export default\` (or add \`export { <its name> as handler }\`).`,
    };
  }
  const found = exports.length > 0 ? `it exports ${exports.map((name) => `\`${name}\``).join(', ')}` : 'it exports nothing';
  return {
    ok: false,
    problem: `${shown} does not export \`handler\` (${found}); Lambda calls index.handler.`,
    fix: `add \`export const handler = async (event) => { … }\` to ${shown}, or rename the exported function to \`handler\`.`,
  };
}
