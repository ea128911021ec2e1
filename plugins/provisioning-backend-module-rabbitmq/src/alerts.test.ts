import { backlogThreshold, queueAlertRule } from './alerts';
import { desiredQueues } from './policies';

const queues = desiredQueues(
  [{ name: 'orders', maxLength: 100, deadLetter: true }, { name: 'events.v2' }],
  {},
);

describe('queueAlertRule', () => {
  const rule = queueAlertRule({
    name: 'shop-rabbitmq-alerts',
    namespace: 'team-checkout',
    vhost: 'shop',
    queues,
    requestId: 'r1',
    owner: 'group:default/checkout-team',
    defaultThreshold: 1000,
    appBaseUrl: 'https://portal.example.com/',
  }) as ReturnType<typeof queueAlertRule> & {
    spec: { groups: Array<{ name: string; rules: any[] }> };
  };

  it('is one PrometheusRule for the request, labelled back to it', () => {
    expect(rule).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: 'shop-rabbitmq-alerts',
        namespace: 'team-checkout',
        labels: {
          'app.kubernetes.io/managed-by': 'paved',
          'paved.dev/request-id': 'r1',
          'paved.dev/resource-type': 'rabbitmq-queue',
        },
      },
    });
    expect(rule.spec.groups.map(group => group.name)).toEqual([
      'paved-rabbitmq-shop',
    ]);
  });

  it('has a backlog and a no-consumer alert per requested queue, none for dead-letter queues', () => {
    const [group] = rule.spec.groups;
    expect(group.rules.map(r => [r.alert, r.expr, r.for, r.labels])).toEqual([
      [
        'RabbitmqQueueBacklog',
        'sum by (vhost, queue) (rabbitmq_queue_messages_ready{vhost="shop",queue="orders"}) > 80',
        '10m',
        {
          severity: 'warning',
          team: 'checkout-team',
          vhost: 'shop',
          queue: 'orders',
        },
      ],
      [
        'RabbitmqQueueNoConsumers',
        'sum by (vhost, queue) (rabbitmq_queue_consumers{vhost="shop",queue="orders"}) == 0 and sum by (vhost, queue) (rabbitmq_queue_messages_ready{vhost="shop",queue="orders"}) > 0',
        '10m',
        {
          severity: 'warning',
          team: 'checkout-team',
          vhost: 'shop',
          queue: 'orders',
        },
      ],
      [
        'RabbitmqQueueBacklog',
        'sum by (vhost, queue) (rabbitmq_queue_messages_ready{vhost="shop",queue="events.v2"}) > 1000',
        '10m',
        {
          severity: 'warning',
          team: 'checkout-team',
          vhost: 'shop',
          queue: 'events.v2',
        },
      ],
      [
        'RabbitmqQueueNoConsumers',
        'sum by (vhost, queue) (rabbitmq_queue_consumers{vhost="shop",queue="events.v2"}) == 0 and sum by (vhost, queue) (rabbitmq_queue_messages_ready{vhost="shop",queue="events.v2"}) > 0',
        '10m',
        {
          severity: 'warning',
          team: 'checkout-team',
          vhost: 'shop',
          queue: 'events.v2',
        },
      ],
    ]);
    expect(group.rules[0].annotations.runbook_url).toBe(
      'https://portal.example.com/docs/default/component/paved-portal/self-service/#queues',
    );
  });

  it('alerts at 80 % of the max length, or at the configured default without one', () => {
    const [orders, events] = queues;
    expect(backlogThreshold(orders, 1000)).toBe(80);
    expect(backlogThreshold(events, 1000)).toBe(1000);
    expect(
      backlogThreshold({ ...orders, limits: { maxLength: 1 } }, 1000),
    ).toBe(1);
  });
});
