/**
 * `init`'s answers from flags: --set and --name parsed and checked against the recipe, and the
 * messages that name the flag that supplies a missing or wrong answer. A secret value on the
 * command line is refused without being repeated.
 */
import { UsageError } from '../../errors.js';
import { loadRecipe, recipeNames } from '../../manifest/recipe-files.js';
import { closest } from '../../manifest/suggest.js';
import { isGeneratedDefault, listItems, secretQuestions, type Answers, type Recipe, type RecipeQuestion } from '../../manifest/recipes.js';
import { SECRET_SOURCES } from './secret-input.js';

/** Secret keys of every recipe: a --set of one of them is refused before the recipe is even known. */
export function allSecretKeys(): Set<string> {
  return new Set(recipeNames().flatMap((name) => secretQuestions(loadRecipe(name)).map((q) => q.key)));
}

/** The recipes' own (non-secret) question keys: `secretKeys` names keys, it is no secret. */
function allQuestionKeys(): Set<string> {
  return new Set(recipeNames().flatMap((name) => loadRecipe(name).questions.filter((q) => q.type !== 'secret').map((q) => q.key)));
}

function refuseSecretOnArgv(key: string): never {
  // The value is never repeated: it is already in the shell history, not also in a log.
  throw new UsageError(
    `--set ${key}=… refused: ${key} is a secret, and secret values never go on the command line (the process list and shell history keep them). ` +
      `${SECRET_SOURCES(key).replace(/^give it/, 'Give it')}. If it was typed into a shared shell, consider rotating it.`,
  );
}

export function parseSets(sets: string[], secretKeys: Set<string>): Answers {
  const answers: Answers = {};
  for (const item of sets) {
    const at = item.indexOf('=');
    // Without '=' the argument is not repeated: it might be a value pasted in the wrong place.
    if (at <= 0) throw new UsageError(`--set takes key=value (e.g. --set appId=PX12345678); one --set argument has no key before '='.`);
    const key = item.slice(0, at);
    if (secretKeys.has(key) || (/SECRET|TOKEN|PASSWORD/i.test(key) && !allQuestionKeys().has(key))) {
      // Named as the recipe spells it: that is the key --secrets-file and the variable use.
      refuseSecretOnArgv([...secretKeys].find((k) => k.toLowerCase() === key.toLowerCase()) ?? key);
    }
    answers[key] = item.slice(at + 1);
  }
  return answers;
}

/**
 * The keys the custom recipe's `secretKeys` names are secrets too: `--set API_KEY=…` is refused
 * as any recipe's secret is (the value is never repeated).
 */
export function refuseListedSecretsOnArgv(recipe: Recipe, given: Answers): void {
  const listed = recipe.questions.filter((q) => q.type === 'list' && q.key === 'secretKeys').flatMap((q) => listItems(given[q.key]));
  for (const key of Object.keys(given)) {
    const named = listed.find((k) => k.toLowerCase() === key.toLowerCase());
    if (named !== undefined) refuseSecretOnArgv(named);
  }
}

export function missingAnswer(question: RecipeQuestion): string {
  const about = [question.message, question.type === 'choice' ? `one of ${question.choices!.join(', ')}` : question.hint].filter(Boolean).join(', ');
  // A value the vendor issues: init does not make one up unless told to.
  const issued = isGeneratedDefault(question) ? '; init does not invent it (--generate-paths draws a random one)' : '';
  return `missing ${question.key === 'name' ? '--name <id>' : `--set ${question.key}=…`} (${about})${issued}`;
}

export function invalidAnswers(invalid: { question: RecipeQuestion; reason: string }[], given: Answers): string[] {
  return invalid.map(({ question, reason }) => {
    const flag = question.key === 'name' ? `--name ${String(given.name)}` : `--set ${question.key}=${String(given[question.key])}`;
    return `${flag} is not valid: ${reason}`;
  });
}

export function unknownSetKeys(recipe: Recipe, given: Answers): string[] {
  const keys = recipe.questions.filter((q) => q.type !== 'secret').map((q) => q.key);
  return Object.keys(given)
    .filter((key) => !keys.includes(key))
    .map((key) => {
      // A misspelt key (behaviourPath, appid) is named back as the recipe spells it.
      const guess = closest(key, keys);
      return `unknown --set key '${key}'${guess ? ` — did you mean ${guess === 'name' ? '--name' : `--set ${guess}=…`}?` : ''}: the ${recipe.name} recipe asks ${keys.filter((k) => k !== 'name').join(', ')} (and --name)`;
    });
}

/** Exit 2 with every problem listed (one on its own line when there is just one). */
export function fail(lines: string[], header?: string): never {
  if (lines.length === 1 && !header) throw new UsageError(lines[0]!);
  throw new UsageError([header ?? 'cannot run init:', ...lines.map((l) => `  - ${l}`)].join('\n'));
}
