/**
 * PURE: durations as flags give them — `0`, `90s`, `30m`, `2h`, `7d`, `1w` — in milliseconds.
 * One number and one unit; no fractions, no combinations (`1h30m`): a flag value that could be
 * read two ways is refused rather than guessed.
 */
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The duration in ms, or undefined when `text` is not one. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = /^(\d{1,9})(s|m|h|d|w)$/.exec(trimmed);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** `7200000` → `2h`; the largest unit that divides it evenly. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  for (const unit of ['w', 'd', 'h', 'm', 's']) {
    const size = UNIT_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
