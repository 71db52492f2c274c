/**
 * Tiny ANSI styling for human output, no dependency. Whether to colour is decided by the
 * caller (NO_COLOR, --no-color, whether the stream is a TTY) and passed in as a flag: these
 * helpers never look at the environment, so renderers stay pure.
 */

export type Style = (text: string) => string;

export interface Colors {
  readonly enabled: boolean;
  green: Style;
  yellow: Style;
  red: Style;
  cyan: Style;
  bold: Style;
  dim: Style;
}

const wrap =
  (open: number, close: number): Style =>
  (text) =>
    text === '' ? '' : `\u001b[${open}m${text}\u001b[${close}m`;

const identity: Style = (text) => text;

const ON: Colors = {
  enabled: true,
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  red: wrap(31, 39),
  cyan: wrap(36, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

const OFF: Colors = { enabled: false, green: identity, yellow: identity, red: identity, cyan: identity, bold: identity, dim: identity };

export function colors(enabled: boolean): Colors {
  return enabled ? ON : OFF;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** The text without SGR escape sequences (what the reader sees). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
