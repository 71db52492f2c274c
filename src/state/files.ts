/**
 * Writing state files so that a crash never leaves half of one: the text goes to a temporary
 * file in the same directory, is flushed to the disk (fsync), and is renamed into place; the
 * directory is flushed too, so the rename itself survives a power cut. A reader sees the old
 * file or the whole new one. `exclusive` refuses to replace a file that is there (link(2)
 * fails on an existing name), so two writers can never both think they wrote the same record.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

async function syncDirectory(dir: string): Promise<void> {
  // Not every platform can open a directory for fsync (Windows): the rename is still atomic.
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

export class ExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists`);
  }
}

export async function writeDurably(path: string, text: string, options: { exclusive?: boolean } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      try {
        await link(temporary, path);
        await unlink(temporary);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new ExistsError(path);
        // File systems without hard links: check, then rename (still never a partial file).
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
        if (existsSync(path)) throw new ExistsError(path);
        await rename(temporary, path);
      }
    } else {
      await rename(temporary, path);
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}
