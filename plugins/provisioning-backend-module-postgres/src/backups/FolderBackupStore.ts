import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BackupInfo,
  backupInfo,
  BackupOwner,
  BackupStore,
  checkedBackupId,
  DUMP_SUFFIX,
  isBackupId,
  newBackupId,
  ownerSegments,
} from './BackupStore';

/**
 * Backups as files `<path>/<target>/<database>/<request id>/<backup id>.dump`, written
 * to a `.partial` file first and renamed when complete.
 *
 * @public
 */
export class FolderBackupStore implements BackupStore {
  private readonly root: string;

  constructor(path: string) {
    this.root = resolve(path);
  }

  private folder(owner: BackupOwner): string {
    return join(this.root, ...ownerSegments(owner));
  }

  private file(backup: BackupInfo): string {
    return join(
      this.folder(backup),
      `${checkedBackupId(backup)}${DUMP_SUFFIX}`,
    );
  }

  async put(
    owner: BackupOwner,
    data: Readable,
    createdAt: Date = new Date(),
  ): Promise<BackupInfo> {
    const folder = this.folder(owner);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const id = newBackupId(createdAt);
    const file = join(folder, `${id}${DUMP_SUFFIX}`);
    const partial = `${file}.partial`;
    try {
      await pipeline(data, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const { size } = await stat(file);
    return backupInfo(owner, id, size);
  }

  async list(owner: BackupOwner): Promise<BackupInfo[]> {
    const folder = this.folder(owner);
    const names = await readdir(folder).catch(error => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const ids = names
      .filter(name => name.endsWith(DUMP_SUFFIX))
      .map(name => name.slice(0, -DUMP_SUFFIX.length))
      .filter(isBackupId)
      .sort()
      .reverse();
    return Promise.all(
      ids.map(async id =>
        backupInfo(
          owner,
          id,
          (await stat(join(folder, `${id}${DUMP_SUFFIX}`))).size,
        ),
      ),
    );
  }

  async open(backup: BackupInfo): Promise<Readable> {
    const file = this.file(backup);
    await stat(file);
    return createReadStream(file);
  }

  async delete(backup: BackupInfo): Promise<void> {
    await rm(this.file(backup), { force: true });
  }
}
