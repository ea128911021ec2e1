import { KubernetesObject } from '@kubernetes/client-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { MANAGED_BY_LABEL } from '@paved/kubernetes-access';
import { PostgresNames } from './names';

/** Share of the connection limit at which the connections alert fires. */
const NEAR_LIMIT = 0.8;

/** The gauge the portal exports with the time of each database's newest backup. */
export const LAST_BACKUP_METRIC =
  'paved_postgres_last_backup_timestamp_seconds';

/** Where the runbook of the alerts is: the self-service docs, in the portal's TechDocs. */
const ALERTS_RUNBOOK_PATH =
  '/docs/default/component/paved-portal/self-service/';

/** The PrometheusRule (prometheus-operator) with a database's alerts. */
export function databaseAlertRule(options: {
  names: PostgresNames;
  namespace: string;
  requestId: string;
  owner: string;
  connectionLimit: number;
  /** How often databases are backed up; no backup alert when absent (backups are off). */
  backupIntervalMs?: number;
  /** The portal's address (`app.baseUrl`), for runbook links. */
  appBaseUrl?: string;
}): KubernetesObject & { spec: object } {
  const { names, namespace, requestId, owner, connectionLimit } = options;
  const runbook = `${(options.appBaseUrl ?? '').replace(
    /\/+$/,
    '',
  )}${ALERTS_RUNBOOK_PATH}`;
  const team = parseEntityRef(owner, { defaultKind: 'group' }).name;
  const threshold = Math.max(1, Math.floor(connectionLimit * NEAR_LIMIT));
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: `${names.secretName.replace(/-postgres$/, '')}-postgres-alerts`,
      namespace,
      labels: {
        [MANAGED_BY_LABEL]: 'paved',
        'paved.dev/request-id': requestId,
        'paved.dev/resource-type': 'postgres',
      },
    },
    spec: {
      groups: [
        {
          name: `paved-postgres-${names.database}`,
          rules: [
            {
              // pg_stat_activity_count is postgres_exporter's per-database gauge.
              alert: 'PostgresConnectionsNearLimit',
              expr: `sum(pg_stat_activity_count{datname="${names.database}"}) >= ${threshold}`,
              for: '5m',
              // `database` keeps two databases' alerts apart: sum() drops every label,
              // and Alertmanager merges alerts whose labels are equal.
              labels: { severity: 'warning', team, database: names.database },
              annotations: {
                summary: `Database ${names.database} uses ${threshold} or more of its ${connectionLimit} connections`,
                description: `Connections of ${names.readWriteRole} are near the role's limit; new ones will be refused. Raise the limit (Change the connection limit, on the database's self-service page) or pool connections.`,
                runbook_url: `${runbook}#postgresql-databases`,
              },
            },
            ...(options.backupIntervalMs
              ? [
                  backupTooOldRule(
                    names,
                    team,
                    options.backupIntervalMs,
                    runbook,
                  ),
                ]
              : []),
          ],
        },
      ],
    },
  };
}

/**
 * Fires when a database's newest backup is older than twice the backup interval:
 * two scheduled backups in a row failed (or the portal stopped making them).
 */
function backupTooOldRule(
  names: PostgresNames,
  team: string,
  backupIntervalMs: number,
  runbook: string,
) {
  const seconds = Math.round((2 * backupIntervalMs) / 1000);
  return {
    alert: 'PostgresBackupTooOld',
    expr: `time() - ${LAST_BACKUP_METRIC}{database="${names.database}"} > ${seconds}`,
    for: '15m',
    // The series has it already; set here too so both alerts of a database carry it.
    labels: { severity: 'warning', team, database: names.database },
    annotations: {
      summary: `The newest backup of database ${
        names.database
      } is more than ${formatSeconds(seconds)} old`,
      description: `Scheduled backups of ${names.database} have failed at least twice in a row. The portal's backend logs say why ("Backup of database '${names.database}' failed"); Back up now, on the database's self-service page, makes one at once.`,
      runbook_url: `${runbook}#backup-too-old`,
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
