/**
 * The layout rules of ARCHITECTURE.md ("Stages have homes") as a reader would check them with
 * grep: a file's path says what it may touch, and each concept is defined once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(join(SRC, dir)).flatMap((name) => {
    const path = join(SRC, dir, name);
    if (statSync(path).isDirectory()) return files(join(dir, name));
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Lines of `dir`'s files matching `pattern`, as `file:line: text`, comments left out. */
function grep(dir: string, pattern: RegExp, except: string[] = []): string[] {
  return files(dir)
    .filter((file) => !except.includes(relative(SRC, file)))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((text, i) => ({ text, i }))
        .filter(({ text }) => !/^\s*(\*|\/\/|\/\*)/.test(text) && pattern.test(text))
        .map(({ text, i }) => `${relative(SRC, file)}:${i + 1}: ${text.trim()}`),
    );
}

/** Runtime imports (not `import type`) of modules matching `module`. */
const runtimeImport = (module: string) => new RegExp(`^import (?!type )[^;]*from '${module}|import\\('${module}`);

// The sandbox is left out of "one home" checks: it is the independent emulator and shares no code with the client.
const client = (lines: string[]) => lines.filter((line) => !line.startsWith('sandbox/'));
/** The files defining something that matches `pattern`. */
const definitions = (pattern: RegExp) => client(grep('', pattern)).map((line) => line.split(':')[0]);

/** Writes to AWS (any Create/Update/Put/Delete/Publish/… command) or to files. */
const WRITES = /\b(Create|Update|Put|Delete|Publish|Tag|Untag|Replicate|Remove|Copy)[A-Za-z]*Command\b|\b(writeFile|mkdir|rename|unlink|appendFile|rm|rmSync|writeFileSync)\(/;

describe('a file’s path says what it may touch', () => {
  it('src/cli parses, prompts and renders: nothing from the AWS SDK, and of src/aws statically only what loads none of it', () => {
    expect(grep('cli', /@aws-sdk\//)).toEqual([]);
    // The clients themselves are made on first use by the command context (a dynamic import).
    const aws = [...new Set(grep('cli', /^import (?!type )[^;]*from '(\.\.\/)+aws\//).map((line) => /aws\/[\w/-]+/.exec(line)![0]))];
    expect(aws.length).toBeGreaterThan(0);
    for (const module of aws) expect(grep(module.replace(/^aws\//, 'aws/').replace(/\/[^/]+$/, ''), runtimeImport('@aws-sdk/')).filter((line) => line.startsWith(`${module}.ts:`)), module).toEqual([]);
  });

  it('src/plan is pure: no I/O, environment, clock or randomness, and no runtime import of a layer that does I/O', () => {
    expect(grep('plan', /node:(fs|crypto|child_process|net|http)|process\.(env|cwd|argv)|Date\.now\(|new Date\(|Math\.random|fetch\(/)).toEqual([]);
    expect(grep('plan', runtimeImport('\\.\\./(aws|apply|gather|state|cli|bundle|sandbox)/'))).toEqual([]);
    expect(grep('plan', runtimeImport('@aws-sdk/'))).toEqual([]);
  });

  it('src/manifest parses without I/O: only the loaders read files', () => {
    const loaders = ['manifest/load.ts', 'manifest/recipe-files.ts', 'manifest/json-schema.ts'];
    expect(grep('manifest', /node:(fs|crypto|child_process)|process\.(env|cwd)|Date\.now\(|new Date\(|Math\.random/, loaders)).toEqual([]);
  });

  it('src/gather and src/aws/observe only read', () => {
    expect(grep('gather', WRITES)).toEqual([]);
    expect(grep('aws/observe', WRITES)).toEqual([]);
  });

  it('src/apply takes the plan: it never assembles one, and knows nothing of the CLI', () => {
    expect(grep('apply', /\bassemble[A-Z]\w*\(/)).toEqual([]);
    expect(grep('apply', /from '\.\.\/cli\//)).toEqual([]);
  });

  it('naming rules live apart from state', () => {
    expect(definitions(/export const (roleName|functionName|cachePolicyName|originId)\b/)).toEqual(['manifest/naming.ts', 'manifest/naming.ts', 'manifest/naming.ts', 'manifest/naming.ts']);
  });
});

describe('each concept has one home', () => {

  it('one interrupt error, one interrupt mechanism', () => {
    expect(definitions(/class InterruptedError\b/)).toEqual(['errors.ts']);
    // Signals reach commands through the CLI's io, and writes are guarded by cli/interrupt.ts alone.
    expect(client(grep('', /process\.on\('SIG/))).toEqual([]);
    expect(definitions(/new AbortController\(\)/)).toEqual(['cli/interrupt.ts']);
  });

  it('one waiting implementation: never the SDK’s waiters', () => {
    expect(grep('', /\bwaitUntil(DistributionDeployed|FunctionActive|FunctionUpdated|FunctionExists|InvalidationCompleted)\w*\b/)).toEqual([]);
    expect(definitions(/export (async )?function pollUntil\b/)).toEqual(['aws/wait.ts']);
  });

  it('one AWS error taxonomy', () => {
    expect(client(grep('', /'(InvalidClientTokenId|ExpiredToken|ThrottlingException)'/, ['aws/errors.ts']))).toEqual([]);
  });

  it('one revision builder, one plan document builder, one notion of equal', () => {
    // A store only numbers a built revision (plan/revision.ts: numbered).
    expect(grep('', /revisionId\(|: Revision = \{/, ['plan/revision.ts'])).toEqual([]);
    expect(definitions(/export function planDocument\b/)).toEqual(['plan/document.ts']);
    expect(definitions(/export function (sameValue|diffFields|normalizeValue)\b/)).toEqual(['plan/values.ts', 'plan/values.ts', 'plan/values.ts']);
    expect(client(grep('', /function (canonical|stable)\(/, ['plan/values.ts']))).toEqual([]);
  });

  it('one owned-names rule, one address format', () => {
    expect(definitions(/export function ownedFunctionNames\b/)).toEqual(['plan/owned-names.ts']);
    expect(grep('', /`behaviors\.\$\{/, ['plan/addresses.ts'])).toEqual([]);
    expect(grep('', /includes\('\(new'\)/)).toEqual([]);
  });
});
