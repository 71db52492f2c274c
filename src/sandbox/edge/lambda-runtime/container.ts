/**
 * One execution environment of one function version in one region, seen from the host: a worker
 * thread running worker.ts, one invocation at a time, and everything Lambda's platform does
 * around it — the init phase, the START/END/REPORT lines, the timeout, out-of-memory and runtime
 * exits, each of which ends the environment (the next invocation gets a fresh, cold one).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { lambdaEnvironment, logGroupName, replicaFunctionName } from './environment.js';
import { endLine, initReportLine, logStreamName, reportLine, runtimeExitLine, startLine, timeoutLine, type Report } from './log-lines.js';
import type { HostMessage, NetworkPolicy, WorkerMessage, WorkerSetup } from './protocol.js';
import type { InvokeOutcome, LogLine, RuntimeFunction } from './runtime.js';

/** Lambda's init phase is limited to 10 seconds (AWS Lambda Developer Guide, "Understanding the Lambda execution environment lifecycle"). */
const INIT_LIMIT_MS = 10_000;
/** The longest delay setTimeout takes (about 24.8 days); a longer idle timeout is "never". */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MIB = 1024 * 1024;

export interface ContainerSpec {
  fn: RuntimeFunction;
  region: string;
  taskRoot: string;
  script: URL;
  network: NetworkPolicy;
  now: () => number;
  /**
   * How long the environment may sit idle before it is reclaimed (Infinity: never). The timer
   * starts whenever the environment becomes free and stops when an invocation takes it.
   */
  idleMs: number;
}

/** Outcomes without the parts the container adds (stream, lines, durations). */
type Result =
  | { kind: 'ok'; value: unknown }
  | { kind: 'error'; errorType: string; errorMessage: string }
  | { kind: 'timeout' }
  | { kind: 'out-of-memory' };

interface Job {
  requestId: string;
  event: unknown;
  resolve(outcome: InvokeOutcome): void;
  reject(error: unknown): void;
  /** Set once the invocation phase began (the START line is written). */
  startedAt?: number;
  lines: LogLine[];
  initDurationMs?: number;
  timer?: NodeJS.Timeout;
}

export class Container {
  readonly logStream: string;
  /** Resolves when the worker thread has exited. */
  readonly exited: Promise<void>;
  private readonly worker: Worker;
  private readonly fn: RuntimeFunction;
  private readonly now: () => number;
  private state: 'init' | 'idle' | 'busy' | 'dead' = 'init';
  private readonly spawnedAt = performance.now();
  private initDurationMs: number | undefined;
  private initReported = false;
  /** Lines written during the init phase: they precede the first START. */
  private initLines: LogLine[] = [];
  /** Lines written between invocations (work left running): they go to the next invocation. */
  private idleLines: LogLine[] = [];
  private job: Job | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private peakMemoryMb = 0;
  /** Called when the environment is ready for an invocation (after init without one waiting, or after one). */
  onIdle: (() => void) | undefined;
  /** Called once when the environment is gone (whatever the reason). */
  onDead: (() => void) | undefined;
  /** Called when the environment is reclaimed for having been idle for `idleMs` (just before `onDead`). */
  onReaped: (() => void) | undefined;

  constructor(spec: ContainerSpec) {
    const { fn } = spec;
    this.fn = fn;
    this.now = spec.now;
    this.idleMs = spec.idleMs;
    this.logStream = logStreamName(spec.now(), fn.version, randomBytes(16).toString('hex'));
    const setup: WorkerSetup = {
      taskRoot: spec.taskRoot,
      handler: fn.handler,
      runtime: fn.runtime,
      network: spec.network,
      clockOffsetMs: spec.now() - Date.now(),
      functionName: replicaFunctionName(fn.name),
      functionVersion: fn.version,
      invokedFunctionArn: fn.qualifiedArn,
      memoryLimitInMB: String(fn.memoryMb),
      logGroupName: logGroupName(fn.name),
      logStreamName: this.logStream,
    };
    this.worker = new Worker(spec.script, {
      workerData: setup,
      // Only what Lambda sets: the host's variables never reach the function.
      env: lambdaEnvironment({
        name: fn.name,
        version: fn.version,
        handler: fn.handler,
        runtime: fn.runtime,
        memoryMb: fn.memoryMb,
        region: spec.region,
        logStream: this.logStream,
        taskRoot: spec.taskRoot,
      }),
      // The function's memory setting bounds its heap; exceeding it ends the thread with
      // ERR_WORKER_OUT_OF_MEMORY, not the host.
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb },
      // Nothing of the host's command line (inspector, loaders, …) leaks into the function.
      execArgv: [],
      // The worker writes nothing itself (console and stdio are captured as log lines), but keep
      // whatever Node might print there off the host's terminal.
      stdout: true,
      stderr: true,
      name: `lambda ${replicaFunctionName(fn.name)}:${fn.version}`,
    });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error) => this.onError(error));
    this.worker.on('exit', (code) => this.onExit(code));
    this.initTimer = setTimeout(() => this.onInitTimeout(), INIT_LIMIT_MS);
  }

  get alive(): boolean {
    return this.state !== 'dead';
  }

  get idle(): boolean {
    return this.state === 'idle' && !this.job;
  }

  setNetwork(policy: NetworkPolicy): void {
    if (this.alive) this.post({ t: 'network', policy });
  }

  /** Runs one invocation; the container must be idle or still initialising without a job. */
  invoke(event: unknown, requestId: string): Promise<InvokeOutcome> {
    if (this.job || this.state === 'dead' || this.state === 'busy') throw new Error('container is not available');
    return new Promise<InvokeOutcome>((resolve, reject) => {
      this.job = { requestId, event, resolve, reject, lines: [] };
      this.stopIdleTimer();
      this.worker.ref();
      if (this.state === 'idle') this.begin(this.job);
    });
  }

  /** Ends the environment now; a running or waiting invocation ends with `reason` as a runtime exit. */
  kill(reason?: string): void {
    if (this.state === 'dead') return;
    const job = this.job;
    if (job && reason) {
      this.startIfWaiting(job);
      this.finish(job, { kind: 'error', errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${job.requestId} Error: ${reason}` }, {
        exitLine: reason,
        errorType: 'Runtime.ExitError',
      });
    }
    this.die();
  }

  private begin(job: Job): void {
    const timestamp = this.now();
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    try {
      this.post({ t: 'invoke', requestId: job.requestId, event: job.event, deadlineMs: Date.now() + timeoutMs, clockOffsetMs: timestamp - Date.now() });
    } catch (error) {
      // The event cannot cross the thread boundary (not plain data): the caller's mistake, not the
      // function's. The environment stays as it was, free for the next invocation.
      this.job = undefined;
      this.state = 'idle';
      this.worker.unref();
      this.startIdleTimer();
      job.reject(error);
      queueMicrotask(() => {
        if (this.idle) this.onIdle?.();
      });
      return;
    }
    // The worker answers on a later turn of this thread's event loop: setting up after posting is safe.
    this.state = 'busy';
    job.startedAt = performance.now();
    job.timer = setTimeout(() => this.onTimeout(job), timeoutMs);
    if (this.initDurationMs !== undefined && !this.initReported) {
      job.initDurationMs = this.initDurationMs;
      this.initReported = true;
    }
    job.lines.push(...this.initLines, { timestamp, message: startLine(job.requestId, this.fn.version) }, ...this.idleLines);
    this.initLines = [];
    this.idleLines = [];
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.t) {
      case 'log': {
        const line = { timestamp: message.timestamp, message: message.message };
        if (this.job?.startedAt !== undefined) this.job.lines.push(line);
        else if (this.state === 'init') this.initLines.push(line);
        else this.idleLines.push(line);
        return;
      }
      case 'ready':
        clearTimeout(this.initTimer);
        this.initDurationMs = performance.now() - this.spawnedAt;
        this.state = 'idle';
        if (this.job) {
          this.begin(this.job);
        } else {
          this.worker.unref();
          this.startIdleTimer();
          this.onIdle?.();
        }
        return;
      case 'init-error':
        this.failInit(message.errorType, message.errorMessage, 'error');
        return;
      case 'done': {
        const job = this.job;
        if (!job) return;
        this.peakMemoryMb = Math.max(this.peakMemoryMb, Math.ceil(message.heapBytes / MIB));
        if (message.ok) {
          this.finish(job, { kind: 'ok', value: JSON.parse(message.json) as unknown });
        } else if (message.fatal) {
          this.finish(job, { kind: 'error', errorType: message.errorType, errorMessage: message.errorMessage }, { errorType: message.errorType });
          this.die();
          return;
        } else {
          this.finish(job, { kind: 'error', errorType: message.errorType, errorMessage: message.errorMessage });
        }
        this.state = 'idle';
        this.worker.unref();
        this.startIdleTimer();
        this.onIdle?.();
        return;
      }
      case 'crash':
        if (this.state === 'init') this.failInit(message.errorType, message.errorMessage, 'error');
        else this.die();
        return;
    }
  }

  /**
   * Lambda reclaims an execution environment that has been idle for a while (the AWS Lambda
   * Developer Guide, "Understanding the Lambda execution environment lifecycle": environments
   * are kept "for an unpredictable amount of time" between invocations and then shut down). The
   * timer never keeps the process alive; a reclaimed environment is simply gone, and the next
   * invocation starts a cold one.
   */
  private startIdleTimer(): void {
    this.stopIdleTimer();
    if (!Number.isFinite(this.idleMs) || this.idleMs > MAX_TIMER_MS) return;
    this.idleTimer = setTimeout(() => this.onIdleTimeout(), Math.max(0, this.idleMs));
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private onIdleTimeout(): void {
    this.idleTimer = undefined;
    if (!this.idle) return;
    this.onReaped?.();
    this.die();
  }

  private onTimeout(job: Job): void {
    if (this.job !== job) return;
    const elapsed = performance.now() - (job.startedAt ?? performance.now());
    job.lines.push({ timestamp: this.now(), message: timeoutLine(this.now(), job.requestId, elapsed) });
    this.finish(job, { kind: 'timeout' }, { status: 'timeout' });
    this.die();
  }

  private onInitTimeout(): void {
    if (this.state !== 'init') return;
    this.failInit('Runtime.Unknown', 'Task timed out during the init phase', 'timeout');
  }

  /** The init phase failed: its lines, INIT_REPORT, then the invocation that could not run. */
  private failInit(errorType: string, errorMessage: string, status: 'error' | 'timeout'): void {
    clearTimeout(this.initTimer);
    const job = this.job;
    if (job) {
      const initMs = performance.now() - this.spawnedAt;
      const timestamp = this.now();
      job.lines.push(...this.initLines, { timestamp, message: initReportLine(initMs, status, status === 'error' ? errorType : undefined) });
      job.lines.push({ timestamp, message: startLine(job.requestId, this.fn.version) });
      job.startedAt = performance.now();
      if (status === 'timeout') {
        job.lines.push({ timestamp, message: timeoutLine(timestamp, job.requestId, initMs) });
        this.finish(job, { kind: 'timeout' }, { status: 'timeout' });
      } else {
        this.finish(job, { kind: 'error', errorType, errorMessage }, { errorType });
      }
    }
    this.die();
  }

  private onError(error: Error): void {
    if (this.state === 'dead') return;
    const job = this.job;
    if (job) {
      if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        // Lambda kills the runtime process: "Runtime exited with error: signal: killed", Runtime.OutOfMemory.
        this.peakMemoryMb = this.fn.memoryMb;
        this.startIfWaiting(job);
        this.finish(job, { kind: 'out-of-memory' }, { exitLine: 'Runtime exited with error: signal: killed', errorType: 'Runtime.OutOfMemory' });
      } else {
        this.startIfWaiting(job);
        this.finish(job, { kind: 'error', errorType: error.name, errorMessage: error.message }, { errorType: error.name });
      }
    }
    this.die();
  }

  private onExit(code: number): void {
    if (this.state === 'dead') return;
    // The function ended the runtime process (process.exit): Lambda's Runtime.ExitError.
    const job = this.job;
    if (job) {
      const reason = code === 0 ? 'Runtime exited without providing a reason' : `Runtime exited with error: exit status ${code}`;
      this.startIfWaiting(job);
      this.finish(job, { kind: 'error', errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${job.requestId} Error: ${reason}` }, {
        exitLine: reason,
        errorType: 'Runtime.ExitError',
      });
    }
    this.die();
  }

  /** A job that dies before its invocation began still gets its init lines and a START line. */
  private startIfWaiting(job: Job): void {
    if (job.startedAt !== undefined) return;
    job.lines.push(...this.initLines, { timestamp: this.now(), message: startLine(job.requestId, this.fn.version) });
    this.initLines = [];
    job.startedAt = performance.now();
  }

  private finish(job: Job, result: Result, abnormal?: { status?: 'timeout'; exitLine?: string; errorType?: string }): void {
    if (this.job !== job) return;
    this.job = undefined;
    clearTimeout(job.timer);
    const durationMs = performance.now() - (job.startedAt ?? performance.now());
    const timestamp = this.now();
    if (abnormal?.exitLine) job.lines.push({ timestamp, message: runtimeExitLine(job.requestId, abnormal.exitLine, abnormal.errorType ?? 'Runtime.ExitError') });
    const report: Report = {
      requestId: job.requestId,
      durationMs,
      memorySizeMb: this.fn.memoryMb,
      maxMemoryUsedMb: Math.max(1, Math.min(this.peakMemoryMb, this.fn.memoryMb)),
      initDurationMs: job.initDurationMs,
    };
    if (abnormal?.status === 'timeout') report.status = 'timeout';
    else if (abnormal?.errorType) {
      report.status = 'error';
      report.errorType = abnormal.errorType;
    }
    job.lines.push({ timestamp, message: endLine(job.requestId) }, { timestamp, message: reportLine(report) });
    const outcome = { ...result, logStream: this.logStream, lines: job.lines, durationMs } as InvokeOutcome;
    if (job.initDurationMs !== undefined) outcome.initDurationMs = job.initDurationMs;
    job.resolve(outcome);
  }

  private die(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    clearTimeout(this.initTimer);
    this.stopIdleTimer();
    this.job = undefined;
    void this.worker.terminate();
    this.onDead?.();
  }

  private post(message: HostMessage): void {
    this.worker.postMessage(message);
  }
}
