/**
 * `…/status`: which settings the proxy has and where each comes from — never a value (not even
 * the paths: the page is public). Served with a Content-Security-Policy that allows nothing but
 * its own style block, by nonce, as the vendor's status page does (proxy/handlers/handleStatus.ts).
 */
import type { CloudFrontResultResponse } from '../shared/cloudfront.js';
import { generatedResponse } from '../shared/responses.js';

export interface SettingState {
  name: string;
  present: boolean;
  /** `bundle`, `default`, `secret (KEY)`, …; undefined when absent. */
  source?: string;
  note?: string;
  /** Absent is a problem (default); false for settings that may be left out (the v3 paths). */
  required?: boolean;
}

export interface StatusInfo {
  /** The edge-install version that built the bundle. */
  version: string;
  secretReadable: boolean;
  /** An error code (`AccessDeniedException`, `Timeout`, …) when the secret could not be read. */
  secretError?: string;
  settings: SettingState[];
  /** For the Content-Security-Policy's style-src. */
  nonce: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function statusPage(info: StatusInfo): CloudFrontResultResponse {
  const ok = info.secretReadable && info.settings.every((s) => s.present || s.required === false);
  const rows = info.settings
    .map((s) => {
      const state = s.present ? `set (${s.source ?? 'unknown'})` : 'not set';
      const note = s.note ? ` — ${s.note}` : '';
      return `<li><code>${escapeHtml(s.name)}</code>: ${escapeHtml(state + note)}</li>`;
    })
    .join('\n');
  const secret = info.secretReadable ? 'readable' : `not readable${info.secretError ? ` (${info.secretError})` : ''}`;
  const body = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>First-party proxy status</title>',
    `<style nonce="${escapeHtml(info.nonce)}">body{font-family:system-ui,sans-serif;margin:2rem;max-width:48rem}code{background:#f3f3f3;padding:0 .2em}</style></head><body>`,
    '<h1>First-party proxy status</h1>',
    `<p>${ok ? 'All settings are present.' : 'Some settings are missing or could not be read.'}</p>`,
    `<p>Secret: ${escapeHtml(secret)}</p>`,
    `<ul>\n${rows}\n</ul>`,
    `<p>Installed by edge-install ${escapeHtml(info.version)}. Values are never shown here.</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return generatedResponse(200, 'text/html; charset=utf-8', body, {
    'content-security-policy': [{ key: 'Content-Security-Policy', value: `default-src 'none'; style-src 'nonce-${info.nonce}'` }],
  });
}
