/**
 * The questions `init` asks in a terminal. Prompts draw on stderr (stdout stays for results
 * and --json); Ctrl-C at any of them rejects with ExitPromptError, which the CLI turns into
 * exit code 130 — nothing is written before the last step, so nothing is left behind.
 * Validation happens at the prompt, with the same rules as --set (checkAnswer).
 */
import { confirm, input, password, rawlist, search, select } from '@inquirer/prompts';
import type { DistributionListing } from '../../aws/observe/distributions-list.js';
import { checkAnswer, type Answer, type Recipe, type RecipeQuestion } from '../../manifest/recipes.js';

/** Where prompts read and draw: the command's stdin and stderr (stdout stays for results and --json). */
export interface PromptIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * The recipe: a numbered list with nothing chosen beforehand — a `select` would start on its
 * first item, and Enter would install that vendor's integration. Type a number (or move with
 * the arrows) and Enter; Enter alone asks for a choice.
 */
export async function askRecipe(context: PromptIo, recipes: Recipe[]): Promise<string> {
  const width = Math.max(...recipes.map((r) => r.name.length));
  return rawlist(
    {
      message: `Recipe (${recipes.map((_r, i) => i + 1).join(', ')} or ↑↓, then Enter)`,
      choices: recipes.map((r) => ({ value: r.name, name: `${r.name.padEnd(width)}  ${r.description}`, short: r.name })),
    },
    context,
  );
}

export function describeDistribution(d: DistributionListing): string {
  const aliases = d.aliases.length ? d.aliases.join(', ') : '(no aliases)';
  const state = d.enabled ? d.status : `${d.status}, disabled`;
  return `${d.id}  ${aliases}  ${d.domainName}  ${state}  ${d.behaviors} behavior${d.behaviors === 1 ? '' : 's'}`;
}

/** A searchable list: typing filters on id, aliases, domain name and comment. */
export async function askDistribution(context: PromptIo, distributions: DistributionListing[]): Promise<string> {
  return search(
    {
      message: 'Distribution (type to filter)',
      pageSize: 12,
      source: (term) => {
        const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean);
        return distributions
          .filter((d) => {
            const haystack = [d.id, d.domainName, d.comment, ...d.aliases].join(' ').toLowerCase();
            return words.every((w) => haystack.includes(w));
          })
          // Staging distributions are listed, marked, and not selectable: a promote would overwrite what is installed on them.
          .map((d) => ({ value: d.id, name: describeDistribution(d), short: d.id, description: d.comment || undefined, ...(d.staging ? { disabled: '(staging: not a target)' } : {}) }));
      },
    },
    context,
  );
}

/** One non-secret question: text with validation, a choice as a list, yes/no as a confirm. */
export async function askQuestion(context: PromptIo, question: RecipeQuestion, fallback: Answer | undefined): Promise<Answer> {
  if (question.type === 'boolean') {
    return confirm({ message: question.message, default: typeof fallback === 'boolean' ? fallback : undefined }, context);
  }
  if (question.type === 'choice') {
    return select({ message: question.message, choices: question.choices!.map((c) => ({ value: c, name: c })), default: fallback }, context);
  }
  const hint = question.hint && (fallback === undefined || fallback === '') ? ` (${question.hint})` : '';
  return input(
    {
      message: `${question.message}${hint}`,
      default: fallback === undefined || fallback === '' ? undefined : String(fallback),
      // An answer that may be empty (a v4 install's paths, no secret keys) takes Enter as empty.
      required: checkAnswer(question, '') !== undefined,
      validate: (value) => checkAnswer(question, value.trim()) ?? true,
    },
    context,
  ).then((value) => value.trim());
}

/**
 * A secret value, masked, never echoed. A new value is asked twice; when the secret already
 * holds one, an empty answer keeps it (undefined).
 */
export async function askSecret(context: PromptIo, key: string, message: string, stored: boolean, onMismatch: (text: string) => void): Promise<string | undefined> {
  const label = `${message} [${key}]`;
  for (;;) {
    const first = await password(
      {
        message: stored ? `${label} (leave empty to keep the stored value)` : label,
        // No mask character: one per keystroke would show the value's length (issue 18).
        // @inquirer/password then shows "[input is masked]" and nothing of what is typed.
        validate: (value) => stored || value.length > 0 || 'enter a value (it is stored in the secret, never shown)',
      },
      context,
    );
    if (!first) return undefined;
    const second = await password({ message: `Repeat ${key}` }, context);
    if (first === second) return first;
    onMismatch(`The two ${key} entries differ; enter it again.`);
  }
}

export async function askYesNo(context: PromptIo, message: string, fallback: boolean): Promise<boolean> {
  return confirm({ message, default: fallback }, context);
}
