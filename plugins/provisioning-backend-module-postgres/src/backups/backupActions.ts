import { JsonObject } from '@backstage/types';
import { ResourceStatusSection } from '@paved/plugin-provisioning-common';
import {
  ActionStepContext,
  NonRetryableError,
  ResourceTypeAction,
  StatusContext,
} from '@paved/plugin-provisioning-node';
import { PostgresAdmin } from '../PostgresAdmin';
import { BackupOwner } from './BackupStore';
import { PostgresBackups } from './PostgresBackups';

/** Whose backups a request's are, from its outputs; undefined before provisioning. */
export function backupOwnerOf(
  requestId: string,
  outputs: JsonObject,
): BackupOwner | undefined {
  const { target, database } = outputs;
  return typeof target === 'string' && typeof database === 'string'
    ? { target, database, requestId }
    : undefined;
}

/**
 * The day-2 actions of backups: `backup-now` and `restore` (into the same database;
 * its objects are dropped and recreated from the backup in one transaction).
 */
export function createBackupActions(options: {
  backups: PostgresBackups;
  admins: Map<string, PostgresAdmin>;
}): Record<string, ResourceTypeAction<any>> {
  const { backups, admins } = options;
  const resolve = (ctx: ActionStepContext<any>) => {
    const owner = backupOwnerOf(ctx.request.id, ctx.outputs);
    const admin = owner && admins.get(owner.target);
    if (!owner || !admin) {
      throw new NonRetryableError(
        'This database has no target or name recorded, or its target is no longer configured',
      );
    }
    return { owner, admin };
  };
  return {
    'backup-now': {
      title: 'Back up now',
      description:
        'Makes a logical backup (pg_dump, custom format) now, in addition to the scheduled ones.',
      parameters: {
        type: 'object',
        properties: {},
        additionalProperties: false,
      },
      async run(ctx) {
        const { owner, admin } = resolve(ctx);
        // A resumed action does not make a second backup.
        const backup = await ctx.checkpoint({
          key: 'backup',
          fn: async () => {
            const made = await backups.backup(admin, owner, ctx.signal);
            return { id: made.id, sizeBytes: made.sizeBytes };
          },
        });
        await backups.prune(owner);
        ctx.logger.info(
          `Backup ${backup.id} of '${owner.database}' made (${backup.sizeBytes} bytes)`,
        );
      },
    },
    restore: {
      title: 'Restore a backup',
      description:
        "Replaces the database's tables and data with those of a backup (in one transaction: on failure nothing changes). Applications keep their credentials.",
      parameters: {
        type: 'object',
        required: ['backup'],
        additionalProperties: false,
        properties: {
          backup: {
            type: 'string',
            title: 'Backup',
            description:
              "The id of the backup, as listed under Backups on the database's page.",
            maxLength: 100,
          },
        },
      },
      async run(ctx) {
        const { owner, admin } = resolve(ctx);
        const backup = await backups.find(owner, String(ctx.input.backup));
        // pg_restore --clean in one transaction is idempotent: a retry restores again.
        await backups.restore(admin, backup, owner.database, {
          clean: true,
          signal: ctx.signal,
        });
        ctx.logger.info(
          `Restored backup ${backup.id} into '${owner.database}'`,
        );
      },
    },
  };
}

/** The "Backups" section of a database's live status. */
export async function backupStatus(
  backups: PostgresBackups | undefined,
  ctx: StatusContext<any>,
): Promise<ResourceStatusSection> {
  const owner = backupOwnerOf(ctx.request.id, ctx.outputs);
  if (!backups) {
    return {
      title: 'Backups',
      message:
        'Backups are not configured on this portal (provisioning.postgres.backups).',
    };
  }
  if (!owner) {
    return { title: 'Backups', message: 'No database yet.' };
  }
  return backups.statusSection(owner);
}

/** Backs up (and prunes) every live database of every target: the scheduled run. */
export async function backUpAll(options: {
  backups: PostgresBackups;
  admins: Iterable<PostgresAdmin>;
  onError: (database: string, error: unknown) => void;
  signal?: AbortSignal;
}): Promise<number> {
  let made = 0;
  for (const admin of options.admins) {
    for (const live of await admin.listLiveDatabases()) {
      const owner = {
        target: admin.target.id,
        database: live.database,
        requestId: live.requestId,
      };
      try {
        await options.backups.backup(admin, owner, options.signal);
        await options.backups.prune(owner);
        made += 1;
      } catch (error) {
        options.onError(live.database, error);
      }
    }
  }
  return made;
}
