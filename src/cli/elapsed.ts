import type { CliContext } from './context.js';

/**
 * "… 1m30s elapsed" on stderr every 30 s while a long wait runs (CloudFront deploys take
 * minutes) — only on a terminal: a CI log gets the lines that say what started and ended.
 * Returns the function that stops it.
 */
export function elapsedTicker(ctx: CliContext): () => void {
  if (!process.stderr.isTTY) return () => {};
  const started = Date.now();
  const timer = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    ctx.err(`  … ${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s elapsed`);
  }, 30_000);
  timer.unref();
  return () => clearInterval(timer);
}
