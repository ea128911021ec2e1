import { databaseAlertRule, isMissingKind } from './alerts';
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
              labels: { severity: 'warning', team: 'checkout-team' },
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
      labels: { severity: 'warning', team: 'checkout-team' },
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

describe('isMissingKind', () => {
  it("recognises client-node's errors for kinds and groups the cluster does not serve", () => {
    // The messages as client-node 2.x words them (seen against kube-apiserver 1.35).
    expect(
      isMissingKind(
        new Error(
          'Unrecognized API version and kind: monitoring.coreos.com/v1 PrometheusRule',
        ),
      ),
    ).toBe(true);
    expect(
      isMissingKind(
        new Error(
          'Failed to fetch resource metadata for monitoring.coreos.com/v1/PrometheusRule: HTTP-Code: 404\nMessage: Unsuccessful HTTP Request\nBody: "404 page not found\\n"',
        ),
      ),
    ).toBe(true);
    expect(isMissingKind(new Error('HTTP-Code: 403 forbidden'))).toBe(false);
  });
});
