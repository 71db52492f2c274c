/**
 * How often and how long edge-install polls AWS, in one place. Against AWS a deployment takes
 * minutes, so CloudFront is polled gently (15 s, backing off to 30 s); Lambda settles in
 * seconds. Against a loopback endpoint — the sandbox, whose delays are a few seconds at most
 * and often zero in tests — the same waits poll every 100 ms or so, so a test or a demo never
 * sleeps a second for a deployment that finished in 0 ms. `EDGE_INSTALL_POLL_MS` sets the first
 * interval of every wait (for an emulator on another host, say).
 */
import type { Polling } from './wait.js';

export interface Timing {
  /** Waiting for Deployed; the timeout is the caller's (--wait-timeout). */
  deploy: Omit<Polling, 'timeoutMs' | 'signal'>;
  /** A function becoming Active or finishing an update (seconds on AWS). */
  lambda: Omit<Polling, 'signal'>;
  /** Retrying CreateFunction while IAM propagates a new role (up to two minutes on AWS). */
  rolePropagation: { firstDelayMs: number; maxDelayMs: number; timeoutMs: number };
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

export function timingFor(endpointUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): Timing {
  const local = !!endpointUrl && LOOPBACK.test(endpointUrl);
  const override = Number(env.EDGE_INSTALL_POLL_MS);
  const first = (aws: number, sandbox: number) => (Number.isFinite(override) && override > 0 ? override : local ? sandbox : aws);
  return {
    deploy: { intervalMs: first(15_000, 100), maxIntervalMs: local ? 1_000 : 30_000 },
    lambda: { intervalMs: first(1_000, 50), maxIntervalMs: local ? 500 : 5_000, timeoutMs: 300_000 },
    rolePropagation: { firstDelayMs: first(1_000, 100), maxDelayMs: local ? 1_000 : 10_000, timeoutMs: 120_000 },
  };
}
