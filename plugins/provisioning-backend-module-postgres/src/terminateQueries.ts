import { JsonObject } from '@backstage/types';
import { ResourceTypeAction } from '@paved/plugin-provisioning-node';
import { adminOf } from './connectionSecret';
import { postgresNames } from './names';
import { PostgresAdmin } from './PostgresAdmin';

/**
 * The `terminate-queries` day-2 action: ends the sessions of the database whose
 * query has been running (not idle) for longer than `olderThanSeconds`, through the
 * target's admin connection, and reports how many it ended (`terminatedSessions`).
 * Idempotent: a second run finds those sessions gone.
 */
export function terminateQueriesAction<TParams extends JsonObject>(
  admins: Map<string, PostgresAdmin>,
): ResourceTypeAction<TParams> {
  return {
    title: 'End long-running queries',
    description:
      'Ends the sessions whose query has run longer than olderThanSeconds (pg_terminate_backend). Their clients get an error and reconnect.',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        olderThanSeconds: {
          type: 'integer',
          minimum: 1,
          default: 60,
          title: 'Older than (seconds)',
        },
      },
    },
    async run(ctx) {
      const olderThanSeconds = Number(ctx.input.olderThanSeconds ?? 60);
      const admin = adminOf(admins, ctx.request.parameters.target);
      const { database } = postgresNames(ctx.request.name);
      const ended = await admin.session(
        query =>
          query<{ pid: number; terminated: boolean }>(
            `SELECT pid, pg_terminate_backend(pid) AS terminated
               FROM pg_stat_activity
              WHERE datname = $1
                AND state <> 'idle'
                AND now() - query_start > make_interval(secs => $2)
                AND pid <> pg_backend_pid()`,
            [database, olderThanSeconds],
          ),
        { signal: ctx.signal },
      );
      const count = ended.filter(row => row.terminated).length;
      ctx.logger.info(
        `Ended ${count} session(s) of database '${database}' running a query for more than ${olderThanSeconds} s`,
      );
      await ctx.setOutput('terminatedSessions', count);
    },
  };
}
