import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkPrometheusRule,
  describeWithPromtool,
  findPromtool,
  PromtoolTest,
  promtoolRequired,
} from './promtool';

/** A queue alert of the kind the helper is for: backlog above 100 for 5 minutes. */
function queueRule(overrides: Record<string, unknown> = {}) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'orders-queue-alerts', namespace: 'team-checkout' },
    spec: {
      groups: [
        {
          name: 'orders-queue',
          rules: [
            {
              alert: 'QueueBacklog',
              expr: 'queue_depth{queue="orders"} > 100',
              for: '5m',
              labels: { severity: 'warning' },
              annotations: {
                summary:
                  'Queue {{ $labels.queue }} holds {{ $value }} messages',
              },
              ...overrides,
            },
          ],
        },
      ],
    },
  };
}

/** Depth 0, 50, ..., 500 (above 100 from 3m on): pending from 3m, firing from 8m. */
function queueTest(firingAt: string): PromtoolTest {
  return {
    interval: '1m',
    input_series: [
      { series: 'queue_depth{queue="orders"}', values: '0+50x10 500x10' },
    ],
    alert_rule_test: [
      { eval_time: '7m', alertname: 'QueueBacklog', exp_alerts: [] },
      {
        eval_time: firingAt,
        alertname: 'QueueBacklog',
        exp_alerts: [
          {
            exp_labels: { severity: 'warning', queue: 'orders' },
            exp_annotations: { summary: 'Queue orders holds 400 messages' },
          },
        ],
      },
    ],
  };
}

describe('promtoolRequired', () => {
  it('requires promtool where real services are required (./paved test)', () => {
    expect(promtoolRequired({ PAVED_REQUIRE_POSTGRES: '1' })).toBe(true);
    expect(promtoolRequired({})).toBe(false);
  });
});

describe('findPromtool', () => {
  it('refuses a PAVED_PROMTOOL that does not exist', () => {
    expect(() =>
      findPromtool({ PAVED_PROMTOOL: '/nonexistent/promtool' }),
    ).toThrow('PAVED_PROMTOOL=/nonexistent/promtool does not exist');
  });

  it('finds nothing where scripts/promtool.sh has built nothing', () => {
    const home = mkdtempSync(join(tmpdir(), 'paved-home-'));
    try {
      expect(findPromtool({ PATH: process.env.PATH, PAVED_HOME: home })).toBe(
        undefined,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describeWithPromtool('checkPrometheusRule', () => {
  it('passes a valid rule whose alerts behave as the tests say', async () => {
    await expect(
      checkPrometheusRule(queueRule(), [queueTest('8m')]),
    ).resolves.toBeUndefined();
  });

  it('fails with promtool check rules output for an invalid expression', async () => {
    await expect(
      checkPrometheusRule(queueRule({ expr: 'sum(queue_depth' }), [
        queueTest('8m'),
      ]),
    ).rejects.toThrow(/promtool check rules[\s\S]*unclosed left parenthesis/);
  });

  it('fails on a broken annotation template', async () => {
    await expect(
      checkPrometheusRule(
        queueRule({ annotations: { summary: '{{ $labels.queue ' } }),
        [queueTest('8m')],
      ),
    ).rejects.toThrow(/promtool check rules[\s\S]*template/);
  });

  it('fails with promtool test rules output when an alert fires later than expected', async () => {
    // At 7m the alert is still pending (its `for:` has not elapsed).
    await expect(
      checkPrometheusRule(queueRule(), [queueTest('7m')]),
    ).rejects.toThrow(/promtool test rules[\s\S]*QueueBacklog/);
  });

  it('fails when an alert is never shown silent, or never shown firing', async () => {
    const onlyFiring = queueTest('8m');
    onlyFiring.alert_rule_test = onlyFiring.alert_rule_test!.slice(1);
    await expect(
      checkPrometheusRule(queueRule(), [onlyFiring]),
    ).rejects.toThrow(/QueueBacklog: no alert_rule_test expects it silent/);

    const onlySilent = queueTest('8m');
    onlySilent.alert_rule_test = onlySilent.alert_rule_test!.slice(0, 1);
    await expect(
      checkPrometheusRule(queueRule(), [onlySilent]),
    ).rejects.toThrow(/QueueBacklog: no alert_rule_test expects it to fire/);
  });

  it('fails without promtool, saying how to build it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'paved-home-'));
    try {
      await expect(
        checkPrometheusRule(queueRule(), [queueTest('8m')], {
          env: { PATH: process.env.PATH, PAVED_HOME: home },
        }),
      ).rejects.toThrow(/promtool is needed .* scripts\/promtool.sh build/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
