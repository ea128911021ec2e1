import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { PostgresAdmin } from './PostgresAdmin';

/** A database a purge dropped. @public */
export interface PurgedDatabase {
  target: string;
  database: string;
}

/**
 * Drops the databases of deleted `postgres` requests (and their roles) once they have
 * been kept for the retention, on every target. A target or database that fails is
 * logged and skipped; the next run tries again.
 *
 * @public
 */
export async function purgeDeletedDatabases(options: {
  admins: Iterable<PostgresAdmin>;
  retentionMs: number;
  logger: LoggerService;
  now?: Date;
}): Promise<PurgedDatabase[]> {
  const { logger } = options;
  const olderThan = new Date(
    (options.now ?? new Date()).getTime() - options.retentionMs,
  );
  const purged: PurgedDatabase[] = [];
  for (const admin of options.admins) {
    const target = admin.target.id;
    try {
      const dropped = await admin.purge({
        olderThan,
        onError: (database, error) =>
          logger.warn(
            `Could not drop deleted database '${database}' on target '${target}': ${stringifyError(
              error,
            )}`,
          ),
      });
      for (const database of dropped) {
        logger.info(
          `Dropped database '${database}' and its roles on target '${target}': deleted before ${olderThan.toISOString()}`,
        );
        purged.push({ target, database });
      }
    } catch (error) {
      logger.warn(
        `Could not purge deleted databases on target '${target}': ${stringifyError(
          error,
        )}`,
      );
    }
  }
  return purged;
}
