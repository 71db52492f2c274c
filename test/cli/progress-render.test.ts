/**
 * The two progress renderers, on their own: the plain log (timestamped lines, a line a minute
 * for a long wait) and the ora spinner (one live line per step, cut to the terminal's size,
 * ended steps kept above it). Time is vitest's fake clock: every elapsed time below is one the
 * test set, not one it waited for.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplyEvent } from '../../src/apply/events.js';
import { progress, spinnerStream } from '../../src/cli/progress.js';
import type { CommandContext } from '../../src/cli/context.js';
import { plainProgress } from '../../src/cli/render/progress-plain.js';
import { spinnerProgress, spinnerText, type TerminalStream } from '../../src/cli/render/progress-spinner.js';
import { RunningSteps } from '../../src/cli/render/progress-steps.js';
import { formatElapsed } from '../../src/cli/render/progress-text.js';
import { stripAnsi } from '../helpers/pty.js';

const T0 = Date.parse('2026-05-01T12:00:00Z');
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('elapsed times', () => {
  it('read as seconds, minutes and seconds, then hours and minutes', () => {
    expect(formatElapsed(0)).toBe('0s');
    expect(formatElapsed(59_999)).toBe('59s');
    expect(formatElapsed(65_000)).toBe('1m05s');
    expect(formatElapsed(35 * 60_000)).toBe('35m00s');
    expect(formatElapsed(3_725_000)).toBe('1h02m');
  });
});

describe('plain lines (pipes, CI, --json, a terminal without a size)', () => {
  const run = (options: Parameters<typeof plainProgress>[1] = {}) => {
    const lines: string[] = [];
    return { lines, shown: plainProgress((line) => lines.push(line), options) };
  };

  it('one line per event, each stamped with the UTC time to the second', () => {
    const { lines, shown } = run();
    shown.onEvent({ type: 'written', id: 'E1ABC', etag: 'ETAG2' });
    shown.onEvent({ type: 'waiting', id: 'E1ABC' });
    vi.advanceTimersByTime(42_000);
    shown.onEvent({ type: 'deployed', id: 'E1ABC' });
    shown.onEvent({ type: 'deleted', resource: 'function:x' });
    shown.stop();
    expect(lines).toEqual([
      '2026-05-01T12:00:00Z E1ABC: updated (ETag ETAG2).',
      '2026-05-01T12:00:00Z E1ABC: waiting until Deployed…',
      '2026-05-01T12:00:42Z E1ABC: Deployed after 42s.',
    ]);
  });

  it('a long wait repeats itself once a minute, so a CI job is never silent for minutes', () => {
    const { lines, shown } = run();
    shown.onEvent({ type: 'waiting', id: 'E1ABC' });
    shown.onEvent({ type: 'waiting', id: 'E2DEF' });
    vi.advanceTimersByTime(120_000);
    shown.onEvent({ type: 'deployed', id: 'E1ABC' });
    vi.advanceTimersByTime(60_000);
    shown.stop();
    vi.advanceTimersByTime(600_000);
    expect(lines.slice(2)).toEqual([
      '2026-05-01T12:01:00Z E1ABC: still waiting until Deployed (1m00s so far)…',
      '2026-05-01T12:01:00Z E2DEF: still waiting until Deployed (1m00s so far)…',
      '2026-05-01T12:02:00Z E1ABC: still waiting until Deployed (2m00s so far)…',
      '2026-05-01T12:02:00Z E2DEF: still waiting until Deployed (2m00s so far)…',
      '2026-05-01T12:02:00Z E1ABC: Deployed after 2m00s.',
      '2026-05-01T12:03:00Z E2DEF: still waiting until Deployed (3m00s so far)…',
      // Stopped (an interrupt, a timeout): the wait that was cut short says so; then nothing more.
      '2026-05-01T12:03:00Z E2DEF: waiting until Deployed, stopped after 3m00s.',
    ]);
  });

  it("Lambda's state waits and the secret's replicas begin and end with how long they took", () => {
    const { lines, shown } = run({ resources: true });
    shown.onEvent({ type: 'secret-replicating', name: 'edge-install/x', state: 'InProgress in eu-west-1' });
    vi.advanceTimersByTime(9_000);
    shown.onEvent({ type: 'secret-replicated', name: 'edge-install/x' });
    shown.onEvent({ type: 'function-waiting', name: 'x-enforcer', state: 'Pending' });
    vi.advanceTimersByTime(2_000);
    shown.onEvent({ type: 'function-waiting', name: 'x-enforcer', state: 'update InProgress' });
    vi.advanceTimersByTime(3_000);
    shown.onEvent({ type: 'function-ready', name: 'x-enforcer' });
    shown.onEvent({ type: 'resources-applied' });
    shown.stop();
    expect(lines.map((l) => l.replace(ISO, ''))).toEqual([
      'Putting the secret, role, functions and cache policies in place…',
      'secret edge-install/x: waiting until its new replicas are InSync (InProgress in eu-west-1)…',
      'secret edge-install/x: its new replicas are InSync after 9s.',
      'function x-enforcer: waiting until Lambda makes it Active (State Pending)…',
      'function x-enforcer: waiting until Lambda finishes updating it (LastUpdateStatus InProgress)…',
      // One wait, from its first state to its end.
      'function x-enforcer: ready after 5s.',
      'Secret, role, functions and cache policies are in place after 14s.',
    ]);
    expect(lines.every((l) => ISO.test(l))).toBe(true);
  });
});

/** A terminal stream as ora sees one: what was written, a size, the cursor calls ora makes. */
function fakeTerminal(columns: number, rows: number) {
  let written = '';
  const stream = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns,
    rows,
    write(text: string) {
      written += text;
      return true;
    },
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
  });
  return { stream: stream as unknown as TerminalStream, written: () => stripAnsi(written) };
}

describe('the spinner (a terminal with a size)', () => {
  const waitingSince = (steps: RunningSteps, ...ids: string[]) => {
    for (const id of ids) steps.apply({ type: 'waiting', id });
    return steps.list();
  };

  it('one line per distribution, labels in a column, each with its step and elapsed time', () => {
    const steps = new RunningSteps(Date.now);
    waitingSince(steps, 'E1ABC');
    vi.advanceTimersByTime(2_000);
    const list = waitingSince(steps, 'E22LONGERID');
    vi.advanceTimersByTime(88_000);
    expect(spinnerText(list, Date.now(), { columns: 100, rows: 30 }, { text: 'working', since: T0 }).split('\n')).toEqual([
      'E1ABC        waiting until Deployed  1m30s',
      '  E22LONGERID  waiting until Deployed  1m28s',
    ]);
  });

  it('every line fits the width (a wrapped line would break the redraw) and the lines the height', () => {
    const steps = new RunningSteps(Date.now);
    const list = waitingSince(steps, 'E1', 'E2', 'E3', 'E4', 'E5', 'E6');
    const lines = spinnerText(list, Date.now(), { columns: 24, rows: 5 }, { text: 'working', since: T0 }).split('\n');
    // Two columns for the spinner (or the indent), one spare so the cursor never wraps.
    for (const line of lines) expect(line.replace(/^ {2}/, '').length).toBeLessThanOrEqual(21);
    // Cut in the words, never in the elapsed time.
    expect(lines[0]).toBe('E1  waiting unti…  0s');
    expect(lines).toHaveLength(3);
    expect(lines.at(-1)).toBe('  … and 4 more');
  });

  it('with nothing to wait on, the run itself spins with its elapsed time', () => {
    vi.advanceTimersByTime(7_000);
    expect(spinnerText([], Date.now(), { columns: 80 }, { text: 'working', since: T0 })).toBe('working  7s');
  });

  it('draws with ora, keeps finished steps above it, and ends with what was still running', () => {
    const terminal = fakeTerminal(80, 24);
    const shown = spinnerProgress(terminal.stream, { color: false, resources: true });
    vi.advanceTimersByTime(1_500);
    expect(terminal.written()).toMatch(/resources {2}applying the secret, role, functions and cache policies {2}1s/);
    shown.onEvent({ type: 'resources-applied' });
    shown.onEvent({ type: 'written', id: 'E1ABC', etag: 'ETAG2' });
    shown.onEvent({ type: 'written', id: 'E2DEF', etag: 'ETAG3' });
    shown.onEvent({ type: 'waiting', id: 'E1ABC' });
    shown.onEvent({ type: 'waiting', id: 'E2DEF' });
    vi.advanceTimersByTime(90_000);
    const frames = terminal.written();
    // A frame of ora's spinner (dots) with both distributions, one line each (the times are
    // brought up to date four times a second, the frames drawn more often).
    expect(frames).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] E1ABC {2}waiting until Deployed {2}1m29s\n {2}E2DEF {2}waiting until Deployed {2}1m29s/);
    shown.onEvent({ type: 'deployed', id: 'E1ABC' });
    shown.stop();
    const after = terminal.written().slice(frames.length);
    expect(after).toContain('✔ E1ABC: Deployed after 1m30s.\n');
    expect(after.endsWith('■ E2DEF: waiting until Deployed, stopped after 1m30s.\n')).toBe(true);
    expect(terminal.written()).toContain('✔ Secret, role, functions and cache policies are in place after 1s.\n');
    expect(terminal.written()).toContain('E1ABC: updated (ETag ETAG2).\n');
    // The "waiting" lines were the live lines, not kept ones.
    expect(terminal.written()).not.toContain('waiting until Deployed…');
  });
});

describe('which one a run gets', () => {
  const ctx = (stderr: object, env: NodeJS.ProcessEnv = {}, json = false) =>
    ({
      io: { stderr, stdout: { write: () => true }, env, stdin: {}, cwd: '/', signals: new EventEmitter() },
      global: { json },
      err: () => {},
    }) as unknown as CommandContext;
  const tty = (columns: number) => fakeTerminal(columns, 30).stream;

  it('the spinner only on a sized terminal, outside CI and --json, TERM not dumb', () => {
    expect(spinnerStream(ctx(tty(100)))).toBeDefined();
    expect(spinnerStream(ctx(tty(0)))).toBeUndefined();
    expect(spinnerStream(ctx({ ...tty(100), columns: undefined }))).toBeUndefined();
    expect(spinnerStream(ctx(tty(100), { CI: 'true' }))).toBeUndefined();
    expect(spinnerStream(ctx(tty(100), { CI: 'false' }))).toBeDefined();
    expect(spinnerStream(ctx(tty(100), { TERM: 'dumb' }))).toBeUndefined();
    expect(spinnerStream(ctx(tty(100), {}, true))).toBeUndefined();
    expect(spinnerStream(ctx({ write: () => true, isTTY: false }))).toBeUndefined();
    // NO_COLOR takes the colour out, not the spinner.
    expect(spinnerStream(ctx(tty(100), { NO_COLOR: '1' }))).toBeDefined();
  });

  it('otherwise plain lines through the command\'s stderr', () => {
    const lines: string[] = [];
    const shown = progress({ ...ctx(tty(0)), err: (line: string) => lines.push(line) } as CommandContext);
    shown.onEvent({ type: 'waiting', id: 'E1ABC' } as ApplyEvent);
    shown.stop();
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ E1ABC: waiting until Deployed…$/);
  });
});

describe('the waits tell what they wait for (the events the lines come from)', () => {
  beforeEach(() => {
    vi.useRealTimers();
  });
  const polling = { intervalMs: 1, maxIntervalMs: 1, timeoutMs: 60_000 };

  it('a state is told at the first read that finds it and when it changes, not at every read; a wait over at once tells nothing', async () => {
    const { pollUntil } = await import('../../src/aws/wait.js');
    const reads = ['Pending', 'Pending', 'Pending', 'update InProgress', 'update InProgress'];
    const told: string[] = [];
    await pollUntil(async () => (reads.length ? { done: false, state: reads.shift()! } : { done: true }), { ...polling, onState: (s) => told.push(s) }, () => 'timed out');
    expect(told).toEqual(['Pending', 'update InProgress']);
    const none: string[] = [];
    await pollUntil(async () => ({ done: true }), { ...polling, onState: (s) => none.push(s) }, () => 'timed out');
    expect(none).toEqual([]);
  });

  it("the secret's replicas: the adding call's answer is the first read, then DescribeSecret until every new region is InSync", async () => {
    const { waitUntilSecretReplicated } = await import('../../src/aws/wait.js');
    const answers = [
      [{ Region: 'eu-west-1', Status: 'InSync' }, { Region: 'ap-south-1', Status: 'InProgress' }],
      [{ Region: 'eu-west-1', Status: 'InSync' }, { Region: 'ap-south-1', Status: 'InSync' }],
    ];
    const asked: string[] = [];
    const clients = {
      secrets: (region: string) => ({
        send: async (command: { constructor: { name: string } }) => {
          asked.push(`${region} ${command.constructor.name}`);
          return { ReplicationStatus: answers.shift() };
        },
      }),
    } as never;
    const told: string[] = [];
    const secret = { id: 'arn:secret', name: 'edge-install/x', region: 'us-east-1' };
    await waitUntilSecretReplicated(clients, secret, ['eu-west-1', 'ap-south-1'], { ...polling, onState: (s) => told.push(s) }, [
      { Region: 'eu-west-1', Status: 'InProgress' },
      { Region: 'ap-south-1', Status: 'InProgress' },
    ]);
    expect(told).toEqual(['InProgress in eu-west-1, ap-south-1', 'InProgress in ap-south-1']);
    expect(asked).toEqual(['us-east-1 DescribeSecretCommand', 'us-east-1 DescribeSecretCommand']);
    const failed = await waitUntilSecretReplicated(clients, secret, ['eu-west-1'], polling, [{ Region: 'eu-west-1', Status: 'Failed', StatusMessage: 'Replication failed: Secret name already exists in region: eu-west-1.' }]).catch((e: unknown) => e as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/could not replicate the secret edge-install\/x to eu-west-1: Replication failed: Secret name already exists in region: eu-west-1\. Fix: /);
  });
});
