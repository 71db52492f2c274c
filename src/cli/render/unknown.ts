/**
 * PURE: how a value not known until apply reads (src/plan/unknown.ts): the version a run
 * publishes as `<function ARN>:(new version)`, a cache policy it creates as
 * `(new cache policy <name>)`. The type, not the text, says a value is unknown: a foreign
 * string that happens to read "(new …)" is shown quoted, as the string it is.
 */
import type { Unknown } from '../../plan/unknown.js';

export function unknownText(value: Unknown): string {
  return value.$unknown === 'version' ? `${value.functionArn}:(new version)` : `(new cache policy ${value.name})`;
}
