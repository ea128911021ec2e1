import {
  checkPrometheusRule,
  describeWithPromtool,
  PromtoolTest,
} from '@paved/test-utils';
import { queueAlertRule } from './alerts';
import { desiredQueues } from './policies';

// The queues' PrometheusRule as Prometheus reads it: `promtool check rules`, then unit
// tests over synthetic series of rabbitmq_prometheus's per-object metrics (promtool's
// time starts at 0 s). The rule's text is checked in alerts.test.ts; here, that the
// alerts fire when they should and not before.

const RUNBOOK =
  'https://portal.example.com/docs/default/component/paved-portal/self-service/#queues';

function rule(vhost: string) {
  return queueAlertRule({
    name: `${vhost}-rabbitmq-alerts`,
    namespace: 'team-checkout',
    vhost,
    // orders alerts at 80 (80 % of 100); events at the default, 50 here.
    queues: desiredQueues(
      [{ name: 'orders', maxLength: 100 }, { name: 'events' }],
      {},
    ),
    requestId: `request-${vhost}`,
    owner: 'group:default/checkout-team',
    defaultThreshold: 50,
    appBaseUrl: 'https://portal.example.com',
  }) as ReturnType<typeof queueAlertRule> & {
    spec: { groups: Array<{ rules: Array<{ annotations: any }> }> };
  };
}

/** The annotations as generated: Prometheus must render them unchanged. */
const annotationsOf = (index: number) => {
  const { summary, description } =
    rule('shop').spec.groups[0].rules[index].annotations;
  return { summary, description, runbook_url: RUNBOOK };
};

const labels = (queue: string, vhost = 'shop') => ({
  severity: 'warning',
  team: 'checkout-team',
  vhost,
  queue,
});

/**
 * shop/orders (alert above 80, `for: 10m`) as one node reports it: 10 ready for 6
 * minutes, 90 from 6m to 26m, then 20. The same queue name in another vhost, with 500
 * ready, must not count; events (threshold 50) stays at 40.
 */
const backlog: PromtoolTest = {
  name: 'RabbitmqQueueBacklog',
  interval: '1m',
  input_series: [
    {
      series:
        'rabbitmq_queue_messages_ready{vhost="shop",queue="orders",instance="rabbit-0:15692"}',
      values: '10x5 90x20 20x10',
    },
    {
      series:
        'rabbitmq_queue_messages_ready{vhost="other",queue="orders",instance="rabbit-0:15692"}',
      values: '500x40',
    },
    {
      series:
        'rabbitmq_queue_messages_ready{vhost="shop",queue="events",instance="rabbit-1:15692"}',
      values: '40x40',
    },
    // Consumers all along: only the backlog alert is in question.
    {
      series: 'rabbitmq_queue_consumers{vhost="shop",queue="orders"}',
      values: '2x40',
    },
    {
      series: 'rabbitmq_queue_consumers{vhost="shop",queue="events"}',
      values: '1x40',
    },
  ],
  alert_rule_test: [
    { eval_time: '5m', alertname: 'RabbitmqQueueBacklog', exp_alerts: [] },
    // Above 80 since 6m: pending for 9 minutes, not firing yet.
    { eval_time: '15m', alertname: 'RabbitmqQueueBacklog', exp_alerts: [] },
    {
      eval_time: '16m',
      alertname: 'RabbitmqQueueBacklog',
      exp_alerts: [
        { exp_labels: labels('orders'), exp_annotations: annotationsOf(0) },
      ],
    },
    // Back to 20: resolved.
    { eval_time: '27m', alertname: 'RabbitmqQueueBacklog', exp_alerts: [] },
    { eval_time: '16m', alertname: 'RabbitmqQueueNoConsumers', exp_alerts: [] },
  ],
};

/**
 * shop/orders loses its consumers at 11m while 5 messages wait: the alert fires at
 * 21m and resolves when a consumer is back at 31m. events has no consumer and no
 * message the whole time: nothing to alert about.
 */
const noConsumers: PromtoolTest = {
  name: 'RabbitmqQueueNoConsumers',
  interval: '1m',
  input_series: [
    {
      series: 'rabbitmq_queue_consumers{vhost="shop",queue="orders"}',
      values: '1x10 0x20 1x10',
    },
    {
      series: 'rabbitmq_queue_messages_ready{vhost="shop",queue="orders"}',
      values: '5x40',
    },
    {
      series: 'rabbitmq_queue_consumers{vhost="shop",queue="events"}',
      values: '0x40',
    },
    {
      series: 'rabbitmq_queue_messages_ready{vhost="shop",queue="events"}',
      values: '0x40',
    },
  ],
  alert_rule_test: [
    { eval_time: '20m', alertname: 'RabbitmqQueueNoConsumers', exp_alerts: [] },
    {
      eval_time: '21m',
      alertname: 'RabbitmqQueueNoConsumers',
      exp_alerts: [
        { exp_labels: labels('orders'), exp_annotations: annotationsOf(1) },
      ],
    },
    { eval_time: '32m', alertname: 'RabbitmqQueueNoConsumers', exp_alerts: [] },
    { eval_time: '21m', alertname: 'RabbitmqQueueBacklog', exp_alerts: [] },
  ],
};

describeWithPromtool("the queues' alert rules under promtool", () => {
  it('RabbitmqQueueBacklog fires after 10 minutes above the threshold, for that vhost and queue only', async () => {
    await expect(
      // The rule holds both alerts; each is shown silent and firing.
      checkPrometheusRule(rule('shop'), [backlog, noConsumers]),
    ).resolves.toBeUndefined();
  });

  it('RabbitmqQueueNoConsumers fires after 10 minutes of waiting messages and no consumer', async () => {
    await expect(
      checkPrometheusRule(rule('shop'), [noConsumers, backlog]),
    ).resolves.toBeUndefined();
  });

  it("keeps two requests' alerts apart (Alertmanager merges alerts with equal labels)", async () => {
    await expect(
      checkPrometheusRule(
        [rule('shop'), rule('other')],
        [
          {
            name: "two vhosts' RabbitmqQueueBacklog",
            interval: '1m',
            input_series: [
              {
                series:
                  'rabbitmq_queue_messages_ready{vhost="shop",queue="orders"}',
                values: '90x20',
              },
              {
                series:
                  'rabbitmq_queue_messages_ready{vhost="other",queue="orders"}',
                values: '0x5 95x15',
              },
              {
                series: 'rabbitmq_queue_consumers{vhost="shop",queue="orders"}',
                values: '1x20',
              },
              {
                series:
                  'rabbitmq_queue_consumers{vhost="other",queue="orders"}',
                values: '1x20',
              },
            ],
            alert_rule_test: [
              {
                eval_time: '10m',
                alertname: 'RabbitmqQueueBacklog',
                exp_alerts: [
                  {
                    exp_labels: labels('orders'),
                    exp_annotations: annotationsOf(0),
                  },
                ],
              },
              {
                eval_time: '16m',
                alertname: 'RabbitmqQueueBacklog',
                exp_alerts: [
                  {
                    exp_labels: labels('orders'),
                    exp_annotations: annotationsOf(0),
                  },
                  {
                    exp_labels: labels('orders', 'other'),
                    exp_annotations: {
                      ...annotationsOf(0),
                      summary: annotationsOf(0).summary.replace(
                        'vhost shop',
                        'vhost other',
                      ),
                    },
                  },
                ],
              },
            ],
          },
          noConsumers,
        ],
      ),
    ).resolves.toBeUndefined();
  });
});
