/**
 * APPLY for `init`: its only writes — the secret (if it differs: created, or only the keys
 * whose values differ written, by the same step attach uses), then any starter files, then the
 * manifest, atomically (a temporary file renamed into place), so an interrupted init never
 * leaves a partial file. If the manifest cannot be written after the secret was, the secret
 * write is undone and init leaves nothing behind. Secret values stay in memory: never
 * rendered, logged or written anywhere but Secrets Manager.
 */
import { existsSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { AwsClients } from '../aws/clients.js';
import { InterruptedError, interrupted, UsageError } from '../errors.js';
import type { ScaffoldFile } from '../gather/init.js';
import { initSecretResult, type InitSecretResult, type InitSecretStep } from '../plan/init-secret.js';
import { ExistsError, writeDurably } from '../state/files.js';
import { applySecret } from './steps/secret.js';
import { interruptedWithUndo, StepError, UndoLog } from './undo.js';

/** A manifest file exists where init would write one (exit 2: pass --force to replace it). */
export class ManifestExistsError extends UsageError {
  constructor(readonly path: string) {
    super(`${path} already exists; init does not overwrite it. Pass --force to replace it, or --config <path> to write another file.`);
  }
}

// ---- files ----------------------------------------------------------------------------------

/** The manifest and starter files: whole or not at all; without `overwrite`, never over an existing file. */
async function writeFileAtomically(path: string, text: string, options: { overwrite: boolean }): Promise<void> {
  try {
    await writeDurably(path, text, { exclusive: !options.overwrite });
  } catch (error) {
    if (error instanceof ExistsError) throw new ManifestExistsError(path);
    throw error;
  }
}

// ---- writing --------------------------------------------------------------------------------

export interface InitWrite {
  manifestPath: string;
  manifestText: string;
  /** Replace an existing manifest (--force). */
  force: boolean;
  secret: InitSecretStep;
  scaffold: ScaffoldFile[];
  /** Aborted on SIGINT: the write in flight finishes, the secret write is undone, nothing else is written. */
  signal?: AbortSignal;
}

export interface InitResult {
  secret?: InitSecretResult;
  scaffolded: string[];
}


/** The only writes of init: the secret (if it differs), then starter files, then the manifest. */
export async function applyInit(clients: AwsClients, write: InitWrite): Promise<InitResult> {
  const undo = new UndoLog();
  const { change, values, observed } = write.secret;
  const stopIfInterrupted = async () => {
    if (write.signal?.aborted) throw interruptedWithUndo(interrupted(write.signal), undo.size ? await undo.undoAll() : undefined);
  };
  await stopIfInterrupted();
  if (!write.force && existsSync(write.manifestPath)) throw new ManifestExistsError(write.manifestPath);
  const secretWrites = !!change && change.action !== 'none';
  let versionId: string | undefined;
  if (change && secretWrites) {
    try {
      versionId = (await applySecret(clients, change, values, undo, observed?.arn)).versionId;
    } catch (error) {
      throw new StepError(`secret ${change.name}`, error as Error, await undo.undoAll());
    }
  }
  const written: string[] = [];
  try {
    await stopIfInterrupted();
    for (const file of write.scaffold) {
      await writeFileAtomically(file.path, file.text, { overwrite: false });
      written.push(file.path);
    }
    await stopIfInterrupted();
    await writeFileAtomically(write.manifestPath, write.manifestText, { overwrite: write.force });
  } catch (error) {
    for (const path of written) await unlink(path).catch(() => undefined);
    if (error instanceof InterruptedError) throw error;
    const report = undo.size ? await undo.undoAll() : undefined;
    if (report && (report.undone.length || report.failed.length)) {
      const e = error as Error & { exitCode?: number };
      const wrapped = new StepError('write the manifest', e, report);
      // Keep the original exit code (e.g. 2 for an existing manifest).
      throw Object.assign(wrapped, { exitCode: e.exitCode ?? 1 });
    }
    throw error;
  }
  return {
    secret: change ? initSecretResult(change, secretWrites ? change.keysToWrite : [], observed?.versionId, versionId) : undefined,
    scaffolded: written,
  };
}
