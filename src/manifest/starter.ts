/**
 * PURE: the custom recipe's starter handler (templates/starters/custom-handler.ts) rendered for
 * the answers: typed for the CloudFront event it is attached to (a request event may return a
 * generated response, a response event gets the response), with the viewer or origin limits,
 * and reading each secret key the handler was said to need through `edge-install/runtime`.
 */
import type { EventType } from './schema.js';

export interface StarterAnswers {
  eventType: EventType;
  /** Secret key names, as in the manifest's secret.keys (none: no secret). */
  secretKeys: string[];
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof let new null return static super switch this throw true try typeof var void while with yield await implements interface package private protected public arguments eval undefined'.split(
    ' ',
  ),
);
/** Names the starter itself uses in the handler's scope. */
const TAKEN = new Set(['event', 'request', 'response', 'settings', 'config', 'secret', 'handler']);

/** `API_KEY` → `apiKey`; a name that is reserved, taken or empty gets `Value` appended. */
export function variableFor(key: string, used: Set<string>): string {
  const words = key.toLowerCase().split('_').filter(Boolean);
  let name = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  if (!/^[a-z_$]/.test(name)) name = `value${name ? name[0]!.toUpperCase() + name.slice(1) : ''}`;
  if (RESERVED.has(name) || TAKEN.has(name)) name = `${name}Value`;
  let unique = name;
  for (let n = 2; used.has(unique); n++) unique = `${name}${n}`;
  used.add(unique);
  return unique;
}

function conditionHolds(condition: string, answers: StarterAnswers): boolean {
  const negated = condition.startsWith('!');
  const name = negated ? condition.slice(1) : condition;
  const side = answers.eventType.split('-');
  const facts: Record<string, boolean> = {
    request: side[1] === 'request',
    response: side[1] === 'response',
    viewer: side[0] === 'viewer',
    origin: side[0] === 'origin',
    secret: answers.secretKeys.length > 0,
  };
  if (!(name in facts)) throw new Error(`the starter template names an unknown condition '${condition}'`);
  return negated ? !facts[name] : facts[name]!;
}

export function renderStarter(template: string, answers: StarterAnswers): string {
  const out: string[] = [];
  const kept: boolean[] = [];
  const keeping = () => kept.every(Boolean);
  for (const line of template.split('\n')) {
    const directive = /^\s*\/\/#(if|endif|secret-reads|template)\b\s*(.*)$/.exec(line);
    if (!directive) {
      if (keeping()) out.push(line.replace(/\{\{eventType\}\}/g, answers.eventType));
      continue;
    }
    const [, kind, rest] = directive;
    if (kind === 'if') kept.push(conditionHolds(rest!.trim(), answers));
    else if (kind === 'endif') kept.pop();
    else if (kind === 'secret-reads' && keeping()) {
      const used = new Set<string>();
      for (const key of answers.secretKeys) {
        const name = variableFor(key, used);
        out.push(`  const ${name} = await secret('${key}');`, `  void ${name}; // use it here`);
      }
    }
  }
  if (kept.length) throw new Error('the starter template has an //#if without //#endif');
  return out.join('\n');
}
