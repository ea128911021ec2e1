import { databaseAlertRule } from './alerts';
import { postgresNames } from './names';

describe('databaseAlertRule', () => {
  it('warns the owning team at 80 % of the connection limit', () => {
    const rule = databaseAlertRule({
      names: postgresNames('orders-db'),
      namespace: 'team-checkout',
      requestId: 'r1',
      owner: 'group:default/checkout-team',
      connectionLimit: 10,
    });
    expect(rule.metadata).toMatchObject({
      name: 'orders-db-postgres-alerts',
      namespace: 'team-checkout',
    });
    expect(rule.spec).toMatchObject({
      groups: [
        {
          rules: [
            {
              alert: 'PostgresConnectionsNearLimit',
              expr: 'sum(pg_stat_activity_count{datname="orders_db"}) >= 8',
              labels: {
                severity: 'warning',
                team: 'checkout-team',
                database: 'orders_db',
              },
            },
          ],
        },
      ],
    });
  });
});

describe('the backup alert', () => {
  const rule = (backupIntervalMs?: number) =>
    databaseAlertRule({
      names: postgresNames('orders-db'),
      namespace: 'team-checkout',
      requestId: 'r1',
      owner: 'group:default/checkout-team',
      connectionLimit: 10,
      backupIntervalMs,
      appBaseUrl: 'https://portal.example.com/',
    }) as { spec: { groups: Array<{ rules: any[] }> } };

  it('warns the owning team when the newest backup is older than two backup intervals', () => {
    const [connections, backups] = rule(24 * 3600_000).spec.groups[0].rules;
    expect(connections.alert).toBe('PostgresConnectionsNearLimit');
    expect(backups).toEqual({
      alert: 'PostgresBackupTooOld',
      expr: 'time() - paved_postgres_last_backup_timestamp_seconds{database="orders_db"} > 172800',
      for: '15m',
      labels: {
        severity: 'warning',
        team: 'checkout-team',
        database: 'orders_db',
      },
      annotations: {
        summary:
          'The newest backup of database orders_db is more than 48 hours old',
        description: expect.stringContaining('Back up now'),
        runbook_url:
          'https://portal.example.com/docs/default/component/paved-portal/self-service/#backup-too-old',
      },
    });
    expect(rule(30 * 60_000).spec.groups[0].rules[1].expr).toMatch(/> 3600$/);
  });

  it('is left out when backups are off', () => {
    expect(rule(undefined).spec.groups[0].rules.map(r => r.alert)).toEqual([
      'PostgresConnectionsNearLimit',
    ]);
  });
});
