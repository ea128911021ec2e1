import {
  QUEUE_NAME_PATTERN,
  queueRequestNames,
  validateQueueRequestName,
} from './names';

describe('queue request names', () => {
  it('names the vhost and the user after the request', () => {
    expect(queueRequestNames('orders-events')).toEqual({
      vhost: 'orders-events',
      user: 'orders-events',
      secretName: 'orders-events-amqp',
      alertRuleName: 'orders-events-rabbitmq-alerts',
    });
  });

  it.each(['orders-events', 'a', 'x'.repeat(63)])('accepts %j', name => {
    expect(validateQueueRequestName(name, 'paved-admin')).toBeUndefined();
  });

  it.each([
    ['guest', /^'guest' is reserved/],
    ['paved-admin', /^'paved-admin' is reserved/],
    // What the engine refuses already, refused again: each becomes a URL path segment.
    ['x'.repeat(64), /at most 63/],
    ['/', /lowercase letters/],
    ['%2F', /lowercase letters/],
    ['a/b', /lowercase letters/],
    ["o'rders", /lowercase letters/],
    ['bäse', /lowercase letters/],
    ['Orders', /lowercase letters/],
    ['', /lowercase letters/],
  ])('refuses %j: %s', (name, problem) => {
    expect(validateQueueRequestName(name, 'paved-admin')).toMatch(problem);
  });

  it.each([
    ['orders', true],
    ['orders.created', true],
    ['orders_v2-retry', true],
    ['x'.repeat(100), true],
    ['x'.repeat(101), false],
    ['amq.orders', false],
    ['amq.', false],
    ['orders.dlq', false],
    ['Orders', false],
    ['a/b', false],
    ['%2F', false],
    ['"x"', false],
    ['bäse', false],
    ['.hidden', false],
    ['trailing-', false],
    ['', false],
  ])('queue name %j is %s', (name, accepted) => {
    expect(new RegExp(QUEUE_NAME_PATTERN, 'u').test(name)).toBe(accepted);
  });
});
