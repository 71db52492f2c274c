/**
 * Which named profiles the shared AWS files define, so that a `--profile prod` (or AWS_PROFILE)
 * naming none of them is said as such ("profile prod not found in ~/.aws/config …") rather than
 * as the SDK's "Could not load credentials from any providers", which it says alike for a
 * profile that does not exist, one without credentials, and no configuration at all.
 *
 * The files and their sections are AWS's shared-file format
 * (https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html): `config` names a profile
 * `[profile NAME]` (`[default]` for the default one) and has other sections (`[sso-session …]`,
 * `[services …]`) that are not profiles; `credentials` names it `[NAME]`. AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE move them. Read from this process's environment on purpose: the
 * SDK resolves credentials from process.env and these files, not from the CLI's io.env.
 *
 * This module is where those files and variables are read; the error taxonomy (errors.ts) is
 * given what was found (profileFacts) and only classifies and words it.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What the environment says about the profile a call's credentials were to come from: the facts errors.ts words. */
export interface ProfileFacts {
  /** The profile the SDK was told to use: --profile, else AWS_PROFILE. */
  name?: string;
  /** Set when that profile is named but the shared files define no such profile. */
  missing?: {
    /** The files looked in, as the AWS docs write them (`~/.aws/config`), each once. */
    files: string[];
    /** The profiles the files do define, in order. */
    defined: string[];
  };
}

export interface ProfileFiles {
  config: string;
  credentials: string;
}

export function profileFiles(env: NodeJS.ProcessEnv = process.env): ProfileFiles {
  return {
    config: env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials'),
  };
}

/** `~/.aws/config` for a file under the home directory: the path as the AWS docs write it. */
export function shownPath(path: string): string {
  const home = homedir();
  return home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // A missing or unreadable file defines no profile (the SDK reads it the same way).
    return '';
  }
}

const SECTION = /^\s*\[\s*([^\]]+?)\s*\]/;

/** The profile names the two files define, in the order they first appear. */
export function definedProfiles(files: ProfileFiles = profileFiles()): string[] {
  const names = new Set<string>();
  for (const line of read(files.config).split(/\r?\n/)) {
    const section = SECTION.exec(line)?.[1];
    if (section === undefined) continue;
    if (section === 'default') names.add('default');
    else if (/^profile\s+/.test(section)) names.add(section.replace(/^profile\s+/, ''));
  }
  for (const line of read(files.credentials).split(/\r?\n/)) {
    const section = SECTION.exec(line)?.[1];
    if (section !== undefined) names.add(section);
  }
  return [...names];
}

/** The profile the SDK was told to use: --profile, else AWS_PROFILE. */
export function namedProfile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flag || env.AWS_PROFILE || undefined;
}

/** The facts for a call made with `--profile flag` (undefined: none given): reads AWS_PROFILE and, when a profile is named, the shared files. */
export function profileFacts(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): ProfileFacts {
  const name = namedProfile(flag, env);
  if (!name) return {};
  const files = profileFiles(env);
  const defined = definedProfiles(files);
  return defined.includes(name) ? { name } : { name, missing: { files: [...new Set([files.config, files.credentials].map(shownPath))], defined } };
}
