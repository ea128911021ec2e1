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
