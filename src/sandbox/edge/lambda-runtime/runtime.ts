/**
 * The local edge's Lambda: runs a stored function version in isolated, warm worker threads, the
 * way Lambda@Edge runs a replica — one pool of execution environments per (version, region),
 * one invocation at a time per environment, environments kept warm between invocations (module
 * state persists), replaced when they time out, run out of memory or exit, and reclaimed after
 * sitting idle for `idleMs` (the next invocation is then a cold start).
 *
 * The host side only: container.ts drives one worker; worker.ts is the worker. The event goes in
 * and the result comes back over the worker's MessagePort (structured clone; the result as the
 * JSON text Lambda would send), with nothing else per invocation.
 */
import { CodeStore } from './code-store.js';
import { Container } from './container.js';
import type { NetworkPolicy } from './protocol.js';

export type { NetworkPolicy } from './protocol.js';

export interface RuntimeFunction {
  /** arn:aws:lambda:us-east-1:ACCOUNT:function:NAME:VERSION */
  qualifiedArn: string;
  name: string;
  version: string;
  codeSha256: string;
  /** The deployment package (zip). Called only when a worker has to load the code. */
  zip(): Buffer;
  /** e.g. "index.handler" */
  handler: string;
  /** e.g. "nodejs24.x" */
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
}

export interface InvokeOptions {
  region: string;
  requestId: string;
}

export interface LogLine {
  timestamp: number;
  /** The event's message exactly as Lambda stores it, trailing "\n" included. */
  message: string;
}

export type InvokeOutcome = (
  | { kind: 'ok'; value: unknown }
  | { kind: 'error'; errorType: string; errorMessage: string }
  | { kind: 'timeout' }
  | { kind: 'out-of-memory' }
  | { kind: 'throttled' }
) & {
  /** The log stream the lines belong to (one per warm worker, as Lambda's per-container streams: "YYYY/MM/DD/[VERSION]<32 hex>"); '' when throttled. */
  logStream: string;
  /** Exactly what Lambda would write to CloudWatch for this invocation: START, the function's console output in the Node runtime's format, END, REPORT (with Init Duration on a cold start). */
  lines: LogLine[];
  durationMs: number;
  initDurationMs?: number;
};

/** An execution environment reclaimed for being idle (see `LambdaRuntimeOptions.onReap`). */
export interface ReapedEnvironment {
  qualifiedArn: string;
  region: string;
  /** The environment's log stream (the one its invocations reported). */
  logStream: string;
}

/**
 * How long an execution environment may sit idle before it is reclaimed. Lambda does not
 * document a figure (environments are kept "for an unpredictable amount of time"); a few minutes
 * is what is commonly observed, and it keeps a long-running sandbox — 13 Regions × up to
 * `maxWorkersPerFunction` workers per function version — from accumulating idle threads.
 */
export const DEFAULT_IDLE_MS = 5 * 60 * 1000;

export interface LambdaRuntimeOptions {
  network: NetworkPolicy;
  /** Execution environments per (function version, region); invocations beyond them wait. Default 4. */
  maxWorkersPerFunction?: number;
  /** In-flight invocations (running or waiting) over all functions before 'throttled'. Default 1000, Lambda's default account concurrency. */
  concurrencyLimit?: number;
  /** The clock for log timestamps and stream names (the sandbox's). Default Date.now. */
  now?: () => number;
  /**
   * Milliseconds an execution environment may stay idle before it is reclaimed (its worker
   * ends; the next invocation is cold). Counted from the end of its last invocation (or of its
   * init); the timer never keeps the process alive. Default DEFAULT_IDLE_MS (5 minutes);
   * Infinity keeps environments until retired.
   */
  idleMs?: number;
  /** Called for each environment reclaimed for being idle, once its worker thread has ended (diagnostics, tests). */
  onReap?: (environment: ReapedEnvironment) => void;
}

export class LambdaRuntime {
  private network: NetworkPolicy;
  private readonly maxWorkers: number;
  private readonly concurrencyLimit: number;
  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly code = new CodeStore();
  private readonly pools = new Map<string, Pool>();
  /** Pools being retired: they finish their queue, then end. */
  private readonly retiring = new Set<Pool>();
  private inFlight = 0;
  private closed = false;
  private readonly onReap: ((environment: ReapedEnvironment) => void) | undefined;

  constructor(options: LambdaRuntimeOptions) {
    this.network = options.network;
    this.maxWorkers = Math.max(1, options.maxWorkersPerFunction ?? 4);
    this.concurrencyLimit = options.concurrencyLimit ?? 1000;
    this.now = options.now ?? Date.now;
    const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    if (Number.isNaN(idleMs) || idleMs < 0) throw new Error(`idleMs must be a number of milliseconds ≥ 0 (got ${idleMs})`);
    this.idleMs = idleMs;
    this.onReap = options.onReap;
  }

  /** Applies to environments started afterwards and to the warm ones. */
  setNetwork(policy: NetworkPolicy): void {
    this.network = policy;
    for (const pool of [...this.pools.values(), ...this.retiring]) pool.setNetwork(policy);
  }

  async invoke(fn: RuntimeFunction, event: unknown, options: InvokeOptions): Promise<InvokeOutcome> {
    if (this.closed) throw new Error('the Lambda runtime is closed');
    // Lambda refuses invocations beyond the account's concurrency (TooManyRequestsException); nothing is logged.
    if (this.inFlight >= this.concurrencyLimit) return { kind: 'throttled', logStream: '', lines: [], durationMs: 0 };
    this.inFlight++;
    try {
      return await this.pool(fn, options.region).run(event, options.requestId);
    } finally {
      this.inFlight--;
    }
  }

  /** Terminates every worker (a code change in `dev`, or shutdown); with a qualifiedArn only that function's. Running invocations finish first. */
  async retire(qualifiedArn?: string): Promise<void> {
    const retiring: Promise<void>[] = [];
    for (const [key, pool] of this.pools) {
      if (qualifiedArn !== undefined && pool.fn.qualifiedArn !== qualifiedArn) continue;
      this.pools.delete(key);
      retiring.push(this.retirePool(pool));
    }
    await Promise.all(retiring);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values(), ...this.retiring];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
    await this.code.dispose();
  }

  private pool(fn: RuntimeFunction, region: string): Pool {
    const key = `${fn.qualifiedArn}\n${region}`;
    const existing = this.pools.get(key);
    if (existing && existing.accepts(fn)) return existing;
    // Same version, different code or settings ($LATEST in `dev`): the old environments go.
    if (existing) void this.retirePool(existing);
    const pool = new Pool(fn, region, this.maxWorkers, (f) => this.spawn(f, region), (container) => this.reaped(key, pool, container));
    this.pools.set(key, pool);
    return pool;
  }

  /** An environment of `pool` was reclaimed: a pool left with nothing goes too (the next invocation makes a new one). */
  private reaped(key: string, pool: Pool, container: Container): void {
    if (pool.empty && this.pools.get(key) === pool) this.pools.delete(key);
    const onReap = this.onReap;
    if (!onReap) return;
    const environment: ReapedEnvironment = { qualifiedArn: pool.fn.qualifiedArn, region: pool.region, logStream: container.logStream };
    void container.exited.then(() => {
      try {
        onReap(environment);
      } catch {
        // A diagnostics hook that throws must not become an unhandled rejection of the runtime.
      }
    });
  }

  private async retirePool(pool: Pool): Promise<void> {
    this.retiring.add(pool);
    try {
      await pool.retire();
    } finally {
      this.retiring.delete(pool);
    }
  }

  private async spawn(fn: RuntimeFunction, region: string): Promise<Container> {
    const [taskRoot, script] = await Promise.all([this.code.taskRoot(fn), this.code.workerScript()]);
    if (this.closed) throw new Error('the Lambda runtime is closed');
    return new Container({ fn, region, taskRoot, script, network: this.network, now: this.now, idleMs: this.idleMs });
  }
}

interface Waiting {
  event: unknown;
  requestId: string;
  resolve(outcome: InvokeOutcome): void;
  reject(error: unknown): void;
}

/** The execution environments of one function version in one region, and the invocations waiting for one. */
class Pool {
  private readonly containers = new Set<Container>();
  /** Most recently used last: reusing it keeps the fewest environments busy. */
  private readonly idle: Container[] = [];
  private readonly queue: Waiting[] = [];
  /** Environments being started (their code unpacked, their worker spawned). */
  private starting = 0;
  private retiring = false;
  private network: NetworkPolicy | undefined;
  /** Wakes `retire`/`close` whenever an environment starts or ends. */
  private readonly changed: (() => void)[] = [];
  /** The exits of environments ended while retiring, for `retire`/`close` to wait on. */
  private readonly exits: Promise<void>[] = [];

  constructor(
    readonly fn: RuntimeFunction,
    readonly region: string,
    private readonly max: number,
    private readonly spawn: (fn: RuntimeFunction) => Promise<Container>,
    /** Called after an environment was reclaimed for being idle (and removed from the pool). */
    private readonly onReaped: (container: Container) => void,
  ) {}

  /** No environment, none starting, nothing waiting. */
  get empty(): boolean {
    return this.containers.size === 0 && this.starting === 0 && this.queue.length === 0;
  }

  /** The pool runs this exact code and configuration. */
  accepts(fn: RuntimeFunction): boolean {
    const a = this.fn;
    return a.codeSha256 === fn.codeSha256 && a.handler === fn.handler && a.runtime === fn.runtime && a.memoryMb === fn.memoryMb && a.timeoutSeconds === fn.timeoutSeconds;
  }

  setNetwork(policy: NetworkPolicy): void {
    this.network = policy;
    for (const container of this.containers) container.setNetwork(policy);
  }

  run(event: unknown, requestId: string): Promise<InvokeOutcome> {
    const warm = this.idle.pop();
    if (warm) return this.runOn(warm, event, requestId);
    return new Promise<InvokeOutcome>((resolve, reject) => {
      this.queue.push({ event, requestId, resolve, reject });
      this.grow();
    });
  }

  /** Starts an environment for the oldest waiting invocation, within the pool's size. */
  private grow(): void {
    if (this.queue.length <= this.starting || this.containers.size + this.starting >= this.max) return;
    this.starting++;
    this.spawn(this.fn).then(
      (container) => {
        this.starting--;
        this.adopt(container);
        this.next(container);
      },
      (error: unknown) => {
        this.starting--;
        // The package could not be unpacked or the worker not found: every waiting invocation fails alike.
        for (const waiting of this.queue.splice(0)) waiting.reject(error);
        this.notify();
      },
    );
  }

  private adopt(container: Container): void {
    this.containers.add(container);
    if (this.network) container.setNetwork(this.network);
    container.onIdle = () => this.next(container);
    let reaped = false;
    container.onReaped = () => (reaped = true);
    container.onDead = () => {
      this.containers.delete(container);
      if (this.retiring) this.exits.push(container.exited);
      const at = this.idle.indexOf(container);
      if (at >= 0) this.idle.splice(at, 1);
      this.grow();
      this.notify();
      if (reaped) this.onReaped(container);
    };
  }

  /** A free environment takes the oldest waiting invocation, or waits (or ends, when retiring). */
  private next(container: Container): void {
    if (!container.alive) return;
    const waiting = this.queue.shift();
    if (waiting) {
      this.runOn(container, waiting.event, waiting.requestId).then(waiting.resolve, waiting.reject);
    } else if (this.retiring) {
      container.kill();
    } else if (container.idle) {
      this.idle.push(container);
    }
  }

  private runOn(container: Container, event: unknown, requestId: string): Promise<InvokeOutcome> {
    return container.invoke(event, requestId);
  }

  /** Serves what is queued, then ends every environment. */
  async retire(): Promise<void> {
    this.retiring = true;
    for (const container of this.idle.splice(0)) container.kill();
    while (this.containers.size > 0 || this.starting > 0 || this.queue.length > 0) {
      await new Promise<void>((resolve) => this.changed.push(resolve));
    }
    await Promise.all(this.exits);
  }

  private notify(): void {
    for (const wake of this.changed.splice(0)) wake();
  }

  /** Ends everything now: running and waiting invocations end as runtime exits. */
  async close(): Promise<void> {
    this.retiring = true;
    const reason = 'Runtime exited without providing a reason (the sandbox edge shut down)';
    for (const waiting of this.queue.splice(0)) {
      waiting.resolve({
        kind: 'error',
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${waiting.requestId} Error: ${reason}`,
        logStream: '',
        lines: [],
        durationMs: 0,
      });
    }
    for (const container of [...this.containers]) container.kill(reason);
    // Environments still starting are ended as soon as they arrive (next() while retiring).
    while (this.containers.size > 0 || this.starting > 0) {
      await new Promise<void>((resolve) => this.changed.push(resolve));
    }
    await Promise.all(this.exits);
  }
}
