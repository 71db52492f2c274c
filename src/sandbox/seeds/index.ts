/** Start states: `empty` (only AWS-managed policies), `demo` (a realistic site), or a JSON state file. */
import { readStateFile } from '../persistence.js';
import { emptyData, type SandboxData } from '../world.js';

export function seedData(seed: string): SandboxData {
  if (seed === 'empty' || seed === 'demo') return emptyData();
  const data = readStateFile(seed);
  if (!data) throw new Error(`seed '${seed}' is neither 'demo', 'empty' nor an existing JSON file`);
  return data;
}
