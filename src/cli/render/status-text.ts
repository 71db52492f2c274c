/** `edge-install status` as text: per distribution, deployment, each trigger's version, drift. */
import type { StatusReport } from '../../plan/status.js';
import { colors } from './colors.js';

export function renderStatusText(report: StatusReport, color: boolean, state?: StateShown): string {
  const c = colors(color);
  const lines = [c.bold(`edge-install status: ${report.integration}`)];
  if (state) lines.push(stateLine(state));
  if (report.secret) lines.push(`secret ${report.secret.name}: ${report.secret.exists ? c.green('present') : c.red('missing')}`);
  for (const note of report.notes) lines.push(`${c.yellow('!')} ${note}`);
  for (const s of report.distributions) {
    lines.push('', `${c.bold(`Distribution ${s.id}`)}  ${s.status === 'Deployed' ? c.green(s.status) : c.yellow(s.status)}  ${s.inSync ? c.green('in sync') : c.yellow('not in sync')}`);
    lines.push(`  last revision: ${s.lastRevision ?? 'none (no revision in the state; read from the ownership markers)'}`);
    for (const a of s.associations) {
      const state = a.state === 'ok' ? c.green(a.state) : a.state === 'stale' ? c.yellow(a.state) : c.red(a.state);
      lines.push(`  ${a.pathPattern} ${a.eventType}: ${a.function}${a.version ? `:${a.version}` : ''} (newest ${a.latestVersion ?? 'none'}) ${state}`);
    }
    for (const d of s.drift) lines.push(`  ${c.yellow('drift')}: ${d}`);
    if (s.canary) {
      const k = s.canary;
      lines.push(`  ${k.running ? c.yellow('canary running') : 'canary idle (policy disabled)'}: ${k.traffic} go to the staging copy ${k.stagingId} (${k.stagingDomainName}, ${k.stagingStatus}), since ${k.since}`);
      lines.push(`    primary runs ${k.primaryRuns.join(', ') || 'none of the integration'}; staging runs ${k.stagingRuns.join(', ') || 'none of the integration'}`);
      if (k.running) lines.push(`    finish: edge-install promote --distribution ${s.id}; end: edge-install abort --distribution ${s.id}`);
    }
  }
  return lines.join('\n');
}

/** Where the state is and why (state-choice.ts): the store in use, and the manifest's state.s3 when a flag overrode it. */
export interface StateShown {
  location: string;
  chosenBy: string;
  manifestNames?: string;
}

/** `status --json`: one document (CLI.md). */
export function statusDocument(report: StatusReport, state?: StateShown) {
  return { version: 1, integration: report.integration, ...(state ? { state } : {}), secret: report.secret, distributions: report.distributions, ...(report.notes.length ? { notes: report.notes } : {}) };
}

/** `state: s3://b/p (from --state; the manifest names s3://x/y)`. */
export function stateLine(state: StateShown): string {
  return `state: ${state.location} (from ${state.chosenBy}${state.manifestNames ? `; the manifest names ${state.manifestNames}` : ''})`;
}
