/**
 * Reads the recipes (templates/recipes/*.json) — the only files src/manifest reads besides
 * the manifest itself (load.ts). What a recipe means lives in recipes.ts, which is pure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RecipeError, type Recipe } from './recipes.js';

export const RECIPES_DIR = fileURLToPath(new URL('../../templates/recipes/', import.meta.url));

export function recipeNames(dir = RECIPES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function loadRecipe(name: string, dir = RECIPES_DIR): Recipe {
  const known = recipeNames(dir);
  if (!known.includes(name)) throw new RecipeError(`There is no recipe '${name}'. Choose one of: ${known.join(', ')}.`);
  return JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8')) as Recipe;
}

/** The recipe a manifest names, if it is one of edge-install's (a manifest may name none). */
export function findRecipe(name: unknown, dir = RECIPES_DIR): Recipe | undefined {
  return typeof name === 'string' && recipeNames(dir).includes(name) ? loadRecipe(name, dir) : undefined;
}
