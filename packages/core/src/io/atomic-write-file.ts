import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers only ever see the old content or the complete new content:
 * the bytes go to a temporary file in the same folder (same file system, so the rename is
 * atomic), are flushed to disk with fsync, and the temporary file is then renamed over `path`;
 * finally the folder itself is synced so the rename survives a power cut. A failure removes the
 * temporary file and leaves `path` untouched. The temporary name starts with a dot and holds
 * `.tmp-`, so a crash can leave at most a stray hidden file that loaders ignore.
 *
 * @example
 * await atomicWriteFile('checkpoints/epoch-3/model.json', JSON.stringify(spec));
 */
export async function atomicWriteFile(path: string, contents: Uint8Array | string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(contents);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // The temporary file may not exist (open failed); the original error is the one to report.
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** fsync on a folder makes its entries (our renames) durable; Windows cannot open folders, and needs no such step. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}
