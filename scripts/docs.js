#!/usr/bin/env node
/**
 * `npm run docs`: writes the README's command reference — every command's --help, from the
 * built program (dist/, so run after `npm run build`, as `npm run docs` does) — between
 * <!-- commands:start --> and <!-- commands:end --> in README.md. The help is rendered as in a
 * pipe: 80 columns, no colour. test/cli/help.test.ts fails while README.md differs from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../dist/cli/program.js';
import { commandReference, REFERENCE_END, REFERENCE_START, withReference } from '../dist/cli/help/reference.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));

const io = {
  stdout: { write: () => true, isTTY: false },
  stderr: { write: () => true, isTTY: false },
  stdin: Object.assign(Readable.from([]), { isTTY: false }),
  env: { NO_COLOR: '1' },
  cwd: process.cwd(),
  signals: new EventEmitter(),
};

const readme = readFileSync(README, 'utf8');
const updated = withReference(readme, commandReference(buildProgram(io)));
if (updated === undefined) {
  process.stderr.write(`docs: README.md has no ${REFERENCE_START} … ${REFERENCE_END} section; add the two markers where the command reference goes.\n`);
  process.exit(1);
}
if (updated === readme) process.stdout.write('docs: README.md command reference is up to date.\n');
else {
  writeFileSync(README, updated);
  process.stdout.write('docs: README.md command reference regenerated.\n');
}
