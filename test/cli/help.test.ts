/**
 * Help that teaches (issue 18 item 1): every command's --help — iterated from the program's own
 * command tree, so a new command is checked without an edit here — lists the global options it
 * honours, two or more examples and its exit codes; `help <command…>` prints the same; a
 * lower-case distribution id and a misspelt `--set` key get a "did you mean" (exit 2, no AWS
 * call); `completion <shell>` scripts complete commands, two-word commands and options, run in
 * a real bash (and zsh and fish where installed); README.md's command reference is the help text.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodesOf } from '../../src/cli/help/exit-codes.js';
import { commandPath, helpExtrasOf } from '../../src/cli/help/format.js';
import { GLOBAL_OPTION_GROUPS, honouredGlobalFlags, type GlobalGroup } from '../../src/cli/help/global-options.js';
import { allCommands, completionTree } from '../../src/cli/help/completion/tree.js';
import { commandReference, commandsOf, referenceIn } from '../../src/cli/help/reference.js';
import type { CliIo } from '../../src/cli/io.js';
import { buildProgram, COMMANDS } from '../../src/cli/program.js';
import { runCli } from '../helpers/cli.js';
import { INSTANT, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** An io that prints nothing: for building the program to read its tree. */
const quietIo = (): CliIo => ({
  stdout: { write: () => true, isTTY: false },
  stderr: { write: () => true, isTTY: false },
  stdin: Object.assign(Readable.from([]), { isTTY: false }),
  env: { NO_COLOR: '1' },
  cwd: ROOT,
  signals: new EventEmitter(),
});

const program = buildProgram(quietIo());
/** Every command but the program itself: `plan`, `state`, `state push`, … */
const commands = commandsOf(program).slice(1);
const ALL_GLOBAL_FLAGS = Object.values(GLOBAL_OPTION_GROUPS).flat();

/** The lines of one section of a help text (`Examples:` → the lines up to the blank one). */
function section(help: string, title: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(title);
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('--help of every command', () => {
  it('the tree has the commands of the issue, two-word ones included', () => {
    const paths = commands.map(commandPath);
    for (const path of ['edge-install state push', 'edge-install state pull', 'edge-install secret set', 'edge-install secret keys', 'edge-install secret rotate', 'edge-install revisions show', 'edge-install completion']) {
      expect(paths).toContain(path);
    }
  });

  for (const command of commands) {
    const words = commandPath(command).split(' ').slice(1);
    it(`${words.join(' ')} --help: global options it honours, ≥2 examples, exit codes; help ${words.join(' ')} is the same`, async () => {
      const run = await runCli([...words, '--help']);
      expect(run.code).toBe(0);
      const help = run.stdout;
      const globals = section(help, 'Global Options:').join('\n');
      const honoured = honouredGlobalFlags(helpExtrasOf(command).globals);
      for (const flag of ALL_GLOBAL_FLAGS) {
        // Each honoured global option listed by its flag; the others not advertised.
        if (honoured.has(flag)) expect(globals, `${flag} in ${words.join(' ')}'s help`).toMatch(new RegExp(`(^|\\s)${flag}\\b`, 'm'));
        else expect(globals).not.toMatch(new RegExp(`(^|\\s)${flag}\\b`, 'm'));
      }
      // --json, --no-color and --verbose matter to every command.
      for (const flag of GLOBAL_OPTION_GROUPS.output) expect(globals).toContain(flag);
      expect(globals).not.toContain('--version');

      const examples = section(help, 'Examples:');
      expect(examples.length, `examples of ${words.join(' ')}`).toBeGreaterThanOrEqual(2);
      for (const example of examples) expect(example).toMatch(/^ {2}\$ \S/);

      const codes = section(help, 'Exit codes:');
      expect(codes.some((l) => /^ {2}0 /.test(l))).toBe(true);
      expect(codes.some((l) => /^ {2}2 /.test(l))).toBe(true);
      expect(codes.map((l) => l.trim().split(/\s+/)[0]).filter((c) => /^\d/.test(c!))).toEqual(exitCodesOf(helpExtrasOf(command).exitCodes).map((c) => c.code));

      const viaHelp = await runCli(['help', ...words]);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe(help);
    });
  }

  it('the program help lists every exit code, 3 included, and the help command', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    const codes = section(run.stdout, 'Exit codes:').map((l) => l.trim().split(/\s+/)[0]);
    for (const code of ['0', '1', '2', '3', '130/143/129']) expect(codes).toContain(code);
    expect(run.stdout).toMatch(/help \[command\.\.\.\]\s+show the help of a command/);
    expect((await runCli(['help'])).stdout).toBe(run.stdout);
  });

  it('plan --help tells what 3 means, and only with --detailed-exitcode', async () => {
    const codes = section((await runCli(['plan', '--help'])).stdout, 'Exit codes:').join('\n');
    expect(codes).toMatch(/^ {2}3\s+with --detailed-exitcode: changes pending/m);
    expect(section((await runCli(['attach', '--help'])).stdout, 'Exit codes:').join('\n')).not.toMatch(/^ {2}3 /m);
  });

  it('`help` finds the command words among global options, before or after', async () => {
    const push = (await runCli(['state', 'push', '--help'])).stdout;
    expect(push).toContain('Usage: edge-install state push');
    expect((await runCli(['--config', 'x.json', 'help', 'state', 'push'])).stdout).toBe(push);
    expect((await runCli(['help', 'state', 'push', '--json'])).stdout).toBe(push);
    // Commander's own help command of a group works too.
    expect((await runCli(['state', 'help', 'push'])).stdout).toBe(push);
    expect((await runCli(['help', 'secret', 'set'])).stdout).toContain('Usage: edge-install secret set');
  });

  it('`help` of an unknown command is a usage error (exit 2) with a suggestion', async () => {
    const run = await runCli(['help', 'plna']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'plna'[\s\S]*Did you mean plan\?/);
    const sub = await runCli(['help', 'state', 'psuh']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/unknown command 'psuh'[\s\S]*Did you mean push\?/);
  });
});

/** Which global option groups a handler's own source shows it uses. */
const USES: Record<GlobalGroup, RegExp> = {
  manifest: /loadManifest\(|ctx\.manifestPath|global\.config/,
  aws: /ctx\.clients\(|ctx\.endpointUrl|global\.profile|global\.endpointUrl/,
  state: /ctx\.state\(|ctx\.stateChoice\(|withLock\(|global\.state/,
  prompts: /approve\(|ctx\.interactive|global\.yes|global\.nonInteractive/,
};

describe('the help says what the handler does', () => {
  for (const definition of COMMANDS) {
    it(`${definition.name}: the global options its handler uses are in its help; exit 3 is documented where a handler returns it`, () => {
      const file = /handlers\/([\w-]+)\.[jt]s/.exec(definition.handler.toString())?.[1];
      expect(file, `the handler of ${definition.name} is loaded from src/cli/handlers/`).toBeDefined();
      const source = readFileSync(join(ROOT, 'src/cli/handlers', `${file}.ts`), 'utf8');
      const declared = definition.globals ?? ['manifest', 'aws', 'state', 'prompts'];
      for (const [group, pattern] of Object.entries(USES) as [GlobalGroup, RegExp][]) {
        if (pattern.test(source)) expect(declared, `src/cli/handlers/${file}.ts uses ${group} options (${pattern}): add '${group}' to globals of ${definition.name}`).toContain(group);
      }
      // A handler file serves one command or several (canary-end: promote and abort); 3 is checked on the command that names it.
      if (/return [^;\n]*\? 3 : 0|\? 0 : 3|return 3\b/.test(source)) {
        expect(definition.exitCodes?.pending, `${definition.name} can exit 3: say when under exitCodes.pending`).toEqual(expect.any(String));
      }
    });
  }
});

describe('did you mean', () => {
  let sb: TestSandbox;
  let dir: string;
  beforeAll(async () => {
    sb = await startTestSandbox(INSTANT);
    dir = mkdtempSync(join(tmpdir(), 'ei-help-'));
  });
  afterAll(async () => {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) => runCli([...args, '--endpoint-url', sb.endpoint], { cwd: dir });

  it.each([
    ['plan', 'e1demo0example'],
    ['attach', 'e1demo0example'],
    ['status', 'E1demo0Example'],
    ['init', 'e2qwruhapomqzl'],
    ['sandbox --from-distribution', 'e2qwruhapomqzl'],
  ])('%s --distribution %s: exit 2 suggesting the upper-case id, no AWS call', async (command, id) => {
    const words = command.split(' ');
    const run = await cli(...words, ...(words.length === 1 ? ['--distribution'] : []), id);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`did you mean ${id.toUpperCase()}?`);
    expect(await sb.calls()).toEqual([]);
  });

  it('a malformed id is still "not a CloudFront distribution id"', async () => {
    const run = await cli('plan', '--distribution', 'd111111abcdef8.cloudfront.net');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a CloudFront distribution id');
    expect(run.stderr).not.toContain('did you mean');
  });

  it('init --set behaviourPath=…: exit 2 naming the key the recipe asks, and its questions; no AWS call, nothing written', async () => {
    const run = await cli('init', '--non-interactive', '--recipe', 'first-party-proxy', '--distribution', 'E1DEMO0EXAMPLE', '--set', 'behaviourPath=fpjs', '--set', 'agentDownloadPath=a', '--set', 'getResultPath=r');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown --set key 'behaviourPath' — did you mean --set behaviorPath=…?");
    expect(run.stderr).toMatch(/the first-party-proxy recipe asks behaviorPath, agentDownloadPath, getResultPath/);
    expect(await sb.calls()).toEqual([]);
    expect(existsSync(join(dir, 'edge-install.json'))).toBe(false);
  });

  it('init --set with a key far from every question names the questions without a guess', async () => {
    const run = await cli('init', '--non-interactive', '--recipe', 'edge-enforcer', '--distribution', 'E1DEMO0EXAMPLE', '--set', 'colour=blue');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown --set key 'colour': the edge-enforcer recipe asks appId");
    expect(run.stderr).not.toMatch(/'colour' — did you mean/);
    expect(await sb.calls()).toEqual([]);
  });

  it('init --set foo (no =): exit 2 saying it takes key=value, with an example, and not repeating the argument', async () => {
    const run = await cli('init', '--non-interactive', '--recipe', 'first-party-proxy', '--distribution', 'E1DEMO0EXAMPLE', '--set', 'hunter2');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--set takes key=value \(e\.g\. --set \w+=\S+\)/);
    expect(run.stderr).not.toContain('hunter2');
    expect(await sb.calls()).toEqual([]);
  });
});

describe('completion', () => {
  const tree = completionTree(program);
  const script = async (shell: string) => {
    const run = await runCli(['completion', shell]);
    expect(run.code).toBe(0);
    return run.stdout;
  };

  it.each(['bash', 'zsh', 'fish'])('the %s script names every command path and every option of each command', async (shell) => {
    const text = await script(shell);
    for (const command of allCommands(tree).slice(1)) {
      // bash and zsh key their cases by the whole path; fish's conditions name it (quoted inside quotes).
      expect(text, `${shell}: ${command.path}`).toContain(shell === 'fish' ? `_at \\'${command.path}\\'` : `'${command.path}'`);
      for (const option of command.options) for (const name of option.names) expect(text, `${shell}: ${command.path} ${name}`).toContain(shell === 'fish' ? (name.startsWith('--') ? `-l ${name.slice(2)}` : `-s ${name.slice(1)}`) : name);
    }
  });

  it('an unknown shell is a usage error (exit 2) naming the three', async () => {
    const run = await runCli(['completion', 'tcsh']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Allowed choices are bash, zsh, fish');
  });

  it('--json: the script inside one document', async () => {
    const run = await runCli(['completion', 'bash', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { version: number; shell: string; script: string };
    expect(doc).toMatchObject({ version: 1, shell: 'bash' });
    expect(doc.script).toBe(await script('bash'));
  });

  describe('bash: sourced, it completes', () => {
    let file: string;
    let files: string;
    beforeAll(async () => {
      files = mkdtempSync(join(tmpdir(), 'ei-complete-'));
      file = join(files, 'edge-install.bash');
      writeFileSync(file, await script('bash'));
      writeFileSync(join(files, 'plan.json'), '{}');
    });
    afterAll(() => rmSync(files, { recursive: true, force: true }));

    /** COMPREPLY for the words, the last being the one completed (as bash sets COMP_WORDS). */
    const complete = (...words: string[]): string[] => {
      const program = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _edge_install; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const out = execFileSync('bash', ['--norc', '--noprofile', '-c', program, 'bash', file, ...words], { cwd: files, encoding: 'utf8' });
      return out.split('\n').filter(Boolean);
    };

    it('registers a completion function for edge-install', () => {
      const out = execFileSync('bash', ['--norc', '--noprofile', '-c', 'source "$1"; complete -p edge-install', 'bash', file], { encoding: 'utf8' });
      expect(out.trim()).toBe('complete -F _edge_install edge-install');
    });

    it('commands, and the two-word ones after their first word', () => {
      expect(complete('edge-install', '')).toEqual(expect.arrayContaining(['init', 'plan', 'attach', 'state', 'secret', 'revisions', 'completion', 'help']));
      expect(complete('edge-install', 'st')).toEqual(['status', 'state']);
      expect(complete('edge-install', 'state', '')).toEqual(['push', 'pull']);
      expect(complete('edge-install', 'secret', '')).toEqual(['set', 'keys', 'rotate']);
      expect(complete('edge-install', 'revisions', '')).toEqual(['show']);
      expect(complete('edge-install', 'help', 'secret', 'r')).toEqual(['rotate']);
    });

    it("each command's options and the global ones, past global options with values", () => {
      expect(complete('edge-install', '--config', 'x.json', 'plan', '--d')).toEqual(['--distribution', '--detailed-exitcode']);
      expect(complete('edge-install', 'state', 'push', '--')).toEqual(expect.arrayContaining(['--to', '--dry-run', '--json', '--endpoint-url', '--state-dir', '--help']));
      expect(complete('edge-install', 'state', 'push', '--')).not.toContain('--from');
      expect(complete('edge-install', 'secret', 'set', '--from-')).toEqual(['--from-stdin', '--from-env']);
      // An option's value is not taken for a command: `--profile state` is a profile named state.
      expect(complete('edge-install', '--profile', 'state', '')).toContain('plan');
    });

    it('file names for path values, fixed values for arguments, nothing for other values', () => {
      expect(complete('edge-install', 'attach', '--plan', 'pl')).toEqual(['plan.json']);
      expect(complete('edge-install', 'plan', '--out', '=', 'pl')).toEqual(['plan.json']);
      expect(complete('edge-install', '--config', 'pl')).toEqual(['plan.json']);
      expect(complete('edge-install', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
      expect(complete('edge-install', 'plan', '--distribution', '')).toEqual([]);
      // invoke --path is a request path, not a file.
      expect(complete('edge-install', 'invoke', 'proxy', '--path', 'pl')).toEqual([]);
    });
  });

  const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

  it.skipIf(!has('fish'))('fish: `complete -C` completes commands, two-word commands, options and paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ei-fish-'));
    try {
      const file = join(dir, 'edge-install.fish');
      writeFileSync(file, await script('fish'));
      writeFileSync(join(dir, 'plan.json'), '{}');
      const complete = (line: string) =>
        execFileSync('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', file, line], { cwd: dir, encoding: 'utf8' })
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t')[0]);
      expect(complete('edge-install st')).toEqual(['state', 'status']);
      expect(complete('edge-install state ')).toEqual(['pull', 'push']);
      expect(complete('edge-install help secret ')).toEqual(['keys', 'rotate', 'set']);
      expect(complete('edge-install --config x.json plan --d')).toEqual(['--detailed-exitcode', '--distribution']);
      expect(complete('edge-install attach --plan pl')).toEqual(['plan.json']);
      expect(complete('edge-install completion ')).toEqual(['bash', 'fish', 'zsh']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!has('zsh'))('zsh: the function, called with words and CURRENT set, offers commands, two-word commands, options and paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ei-zsh-'));
    try {
      const file = join(dir, '_edge-install');
      writeFileSync(file, await script('zsh'));
      // zsh's completion builtins work only inside a completion widget: stand-ins print what they were given.
      const stubs = [
        'compdef() { :; }',
        '_describe() { local -a list; list=("${(@P)4}"); print -l -- "${(@)list%%:*}"; }',
        'compadd() { shift; print -l -- "${(@P)1}"; }',
        '_files() { print -- "<files>"; }',
        '_message() { :; }',
        'compset() { :; }',
      ].join('\n');
      const complete = (...words: string[]) =>
        execFileSync('zsh', ['-f', '-c', `${stubs}\nsource "$1"; shift; words=("$@"); CURRENT=$#words; _edge_install`, 'zsh', file, ...words], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean);
      expect(complete('edge-install', '')).toEqual(expect.arrayContaining(['init', 'state', 'secret', 'revisions', 'help']));
      expect(complete('edge-install', 'state', '')).toEqual(['push', 'pull']);
      expect(complete('edge-install', 'help', 'secret', '')).toEqual(['set', 'keys', 'rotate']);
      expect(complete('edge-install', '--config', 'x.json', 'plan', '--')).toEqual(expect.arrayContaining(['--distribution', '--detailed-exitcode', '--json', '--profile']));
      expect(complete('edge-install', 'attach', '--plan', '')).toEqual(['<files>']);
      expect(complete('edge-install', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
      // The script loads under a real compinit and registers itself.
      const registered = execFileSync('zsh', ['-f', '-c', `autoload -U compinit; compinit -u -d "$2/zcompdump"; source "$1"; print -- $_comps[edge-install]`, 'zsh', file, dir], { encoding: 'utf8' });
      expect(registered.trim()).toBe('_edge_install');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("README.md's command reference", () => {
  it('is the help text of every command (fix: npm run docs)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const current = referenceIn(readme);
    expect(current, 'README.md has no <!-- commands:start --> … <!-- commands:end --> section').toBeDefined();
    const wanted = commandReference(buildProgram(quietIo()));
    expect(current === wanted, "README.md's command reference differs from the commands' --help: run `npm run docs` and commit README.md").toBe(true);
  });

  it('has one ### section per command, the help in a code block', () => {
    const reference = commandReference(program);
    for (const command of commandsOf(program)) expect(reference).toContain(`### \`${commandPath(command)}\`\n\n\`\`\`text\nUsage: ${commandPath(command)}`);
  });
});
