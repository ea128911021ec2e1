import {
  checkPrometheusRule,
  describeWithPromtool,
  PromtoolTest,
} from '@paved/test-utils';
import { databaseAlertRule } from './alerts';
import { postgresNames } from './names';

// The databases' PrometheusRules as Prometheus reads them: `promtool check rules`, then
// unit tests over synthetic series (promtool's time starts at 0 s). The rules' text is
// checked in alerts.test.ts; here, that the alerts fire when they should and not before.

const OWNER = 'group:default/checkout-team';
const RUNBOOK =
  'https://portal.example.com/docs/default/component/paved-portal/self-service/';

function rule(name: string, options: { backups: boolean; limit?: number }) {
  return databaseAlertRule({
    names: postgresNames(name),
    namespace: 'team-checkout',
    requestId: `request-${name}`,
    owner: OWNER,
    connectionLimit: options.limit ?? 10,
    // The portal's default: a backup every 24 hours.
    backupIntervalMs: options.backups ? 24 * 3600_000 : undefined,
    appBaseUrl: 'https://portal.example.com',
  }) as ReturnType<typeof databaseAlertRule> & {
    spec: { groups: Array<{ rules: Array<{ annotations: any }> }> };
  };
}

/** The description as generated: Prometheus must render it unchanged (it is a template). */
const description = (alert: number, name = 'orders-db') =>
  rule(name, { backups: true }).spec.groups[0].rules[alert].annotations
    .description;

/** The firing PostgresConnectionsNearLimit of one database. */
function connectionsAlert(name: string, threshold: number, limit: number) {
  const { database } = postgresNames(name);
  return {
    exp_labels: { severity: 'warning', team: 'checkout-team', database },
    exp_annotations: {
      summary: `Database ${database} uses ${threshold} or more of its ${limit} connections`,
      description: description(0, name),
      runbook_url: `${RUNBOOK}#postgresql-databases`,
    },
  };
}

/**
 * orders_db, limit 10 (alert at 8, `for: 5m`), as postgres_exporter reports it: one
 * series per state, summed by the alert. 7 connections for 11 minutes, 8 from 11m to
 * 19m, 5 from 20m. Another database's 9 connections must not count.
 */
const connectionsNearLimit: PromtoolTest = {
  name: 'PostgresConnectionsNearLimit',
  interval: '1m',
  input_series: [
    {
      series: 'pg_stat_activity_count{datname="orders_db",state="active"}',
      values: '3x10 4x8 1x10',
    },
    {
      series: 'pg_stat_activity_count{datname="orders_db",state="idle"}',
      values: '4x30',
    },
    {
      series:
        'pg_stat_activity_count{datname="orders_db",state="idle in transaction"}',
      values: '0x30',
    },
    {
      series: 'pg_stat_activity_count{datname="payments_db",state="active"}',
      values: '9x30',
    },
  ],
  alert_rule_test: [
    // 7 of 10 for longer than `for:`: below the threshold, silent.
    {
      eval_time: '10m',
      alertname: 'PostgresConnectionsNearLimit',
      exp_alerts: [],
    },
    // 8 since 11m: pending for 4 minutes, not firing yet.
    {
      eval_time: '15m',
      alertname: 'PostgresConnectionsNearLimit',
      exp_alerts: [],
    },
    {
      eval_time: '16m',
      alertname: 'PostgresConnectionsNearLimit',
      exp_alerts: [connectionsAlert('orders-db', 8, 10)],
    },
    // Back to 5: resolved.
    {
      eval_time: '21m',
      alertname: 'PostgresConnectionsNearLimit',
      exp_alerts: [],
    },
  ],
};

/**
 * orders_db, backed up at 0h and 24h; the daily backups at 48h and 72h fail, so the
 * newest backup (24h) is more than two intervals (48h) old after 72h, and the alert
 * (`for: 15m`) fires at 72h16m. payments_db's only backup is from 0h, and must not
 * make orders_db's alert fire.
 */
const backupTooOld: PromtoolTest = {
  name: 'PostgresBackupTooOld',
  interval: '1m',
  input_series: [
    {
      series:
        'paved_postgres_last_backup_timestamp_seconds{database="orders_db",owner="group:default/checkout-team",job="paved-portal"}',
      values: '0x1439 86400x3000',
    },
    {
      series:
        'paved_postgres_last_backup_timestamp_seconds{database="payments_db",owner="group:default/checkout-team",job="paved-portal"}',
      values: '0x4440',
    },
  ],
  alert_rule_test: [
    // One backup (48h) missed: the newest is 47 hours old.
    { eval_time: '71h', alertname: 'PostgresBackupTooOld', exp_alerts: [] },
    // Two missed: older than 48 hours since 72h00m, pending for 14 minutes.
    { eval_time: '72h15m', alertname: 'PostgresBackupTooOld', exp_alerts: [] },
    {
      eval_time: '72h16m',
      alertname: 'PostgresBackupTooOld',
      exp_alerts: [
        {
          // The series' labels, and the rule's.
          exp_labels: {
            severity: 'warning',
            team: 'checkout-team',
            database: 'orders_db',
            owner: OWNER,
            job: 'paved-portal',
          },
          exp_annotations: {
            summary:
              'The newest backup of database orders_db is more than 48 hours old',
            description: description(1),
            runbook_url: `${RUNBOOK}#backup-too-old`,
          },
        },
      ],
    },
  ],
};

describeWithPromtool("the databases' alert rules under promtool", () => {
  it('PostgresConnectionsNearLimit fires after 5 minutes at 80 % of the limit, not before', async () => {
    await expect(
      checkPrometheusRule(rule('orders-db', { backups: false }), [
        connectionsNearLimit,
      ]),
    ).resolves.toBeUndefined();
  });

  it('PostgresBackupTooOld fires 15 minutes after the second missed daily backup, not before', async () => {
    // The rule holds both alerts; each is shown silent and firing.
    await expect(
      checkPrometheusRule(rule('orders-db', { backups: true }), [
        backupTooOld,
        connectionsNearLimit,
      ]),
    ).resolves.toBeUndefined();
  }, 30_000);

  it("keeps two databases' alerts apart (Alertmanager merges alerts with equal labels)", async () => {
    // Same team, both near their limits; each rule sums only its own database.
    await expect(
      checkPrometheusRule(
        [
          rule('orders-db', { backups: false }),
          rule('payments-db', { backups: false, limit: 20 }),
        ],
        [
          {
            name: "two databases' PostgresConnectionsNearLimit",
            interval: '1m',
            input_series: [
              {
                series:
                  'pg_stat_activity_count{datname="orders_db",state="active"}',
                values: '9x10',
              },
              {
                series:
                  'pg_stat_activity_count{datname="payments_db",state="active"}',
                values: '15x2 16x8',
              },
            ],
            alert_rule_test: [
              {
                eval_time: '4m',
                alertname: 'PostgresConnectionsNearLimit',
                exp_alerts: [],
              },
              {
                eval_time: '5m',
                alertname: 'PostgresConnectionsNearLimit',
                exp_alerts: [connectionsAlert('orders-db', 8, 10)],
              },
              {
                // payments_db: 16 of 20 since 3m.
                eval_time: '8m',
                alertname: 'PostgresConnectionsNearLimit',
                exp_alerts: [
                  connectionsAlert('orders-db', 8, 10),
                  connectionsAlert('payments-db', 16, 20),
                ],
              },
            ],
          },
        ],
      ),
    ).resolves.toBeUndefined();
  });
});
