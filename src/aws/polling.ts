/**
 * How often and how long edge-install polls AWS, in one place. Against AWS a deployment takes
 * minutes, so CloudFront is polled gently (15 s, backing off to 30 s); Lambda settles in
 * seconds. Against an endpoint override (--endpoint-url: the sandbox, or another emulator),
 * whose delays are a few seconds at most and often zero in tests, the same waits poll from
 * every 100 ms, backing off to 1 s, so a test or a demo never sleeps a second for a deployment
 * that finished in 0 ms. `EDGE_INSTALL_POLL_MS` sets the first interval of every wait.
 */
import type { Polling } from './wait.js';

export interface Timing {
  /** Waiting for Deployed; the timeout is the caller's (--wait-timeout). */
  deploy: Omit<Polling, 'timeoutMs' | 'signal'>;
  /** A function becoming Active or finishing an update (seconds on AWS). */
  lambda: Omit<Polling, 'signal'>;
  /** Retrying CreateFunction while IAM propagates a new role (up to two minutes on AWS). */
  rolePropagation: { firstDelayMs: number; maxDelayMs: number; timeoutMs: number };
  /**
   * Reading metrics while `attach --watch` watches: CloudWatch's resolution is a minute, and a
   * minute's data points arrive a few minutes late, so the last read waits `settleMs`.
   */
  metrics: { intervalMs: number; settleMs: number };
}

export function timingFor(endpointUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): Timing {
  const emulator = !!endpointUrl;
  const override = Number(env.EDGE_INSTALL_POLL_MS);
  const first = (aws: number, sandbox: number) => (Number.isFinite(override) && override > 0 ? override : emulator ? sandbox : aws);
  return {
    deploy: { intervalMs: first(15_000, 100), maxIntervalMs: emulator ? 1_000 : 30_000 },
    lambda: { intervalMs: first(1_000, 50), maxIntervalMs: emulator ? 500 : 5_000, timeoutMs: 300_000 },
    rolePropagation: { firstDelayMs: first(1_000, 100), maxDelayMs: emulator ? 1_000 : 10_000, timeoutMs: 120_000 },
    metrics: { intervalMs: first(60_000, 100), settleMs: emulator ? 0 : 180_000 },
  };
}
