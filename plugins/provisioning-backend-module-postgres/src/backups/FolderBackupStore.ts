import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { backupIdOf, backupSegments, ownerSegments } from './backupPaths';
import {
  BackupInfo,
  backupInfo,
  BackupOwner,
  BackupStore,
  newBackupId,
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

  private file(backup: BackupOwner & { id: string }): string {
    return join(this.root, ...backupSegments(backup));
  }

  async put(
    owner: BackupOwner,
    data: Readable,
    createdAt: Date = new Date(),
  ): Promise<BackupInfo> {
    const folder = this.folder(owner);
    // The dump may fail while the folder is made (pg_dump refused at once): the
    // stream keeps its error and the pipeline below fails with it. Unheard, the
    // error would end the process.
    data.on('error', () => {});
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const id = newBackupId(createdAt);
    const file = this.file({ ...owner, id });
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
      .map(backupIdOf)
      .filter((id): id is string => id !== undefined)
      .sort()
      .reverse();
    return Promise.all(
      ids.map(async id =>
        backupInfo(owner, id, (await stat(this.file({ ...owner, id }))).size),
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
