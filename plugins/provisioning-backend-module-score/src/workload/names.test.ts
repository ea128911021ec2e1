import { copyResourceName } from '@paved/plugin-provisioning-backend-module-environments';
import { scoreResourceRequestName, workloadRequestName } from './names';

describe('request names of workloads and their resources', () => {
  it('joins the environment, the workload and the resource', () => {
    expect(workloadRequestName('orders', 'orders-dev')).toBe(
      'orders-dev-orders',
    );
    expect(
      scoreResourceRequestName({
        workload: 'orders',
        environment: 'dev',
        resource: 'db',
      }),
    ).toBe('dev-orders-db');
  });

  it('names a shared resource by the environment, its type, class and id (Score matches on all three)', () => {
    const shared = (
      workload: string,
      type = 'postgres',
      resourceClass?: string,
    ) =>
      scoreResourceRequestName({
        workload,
        environment: 'dev',
        resource: 'db',
        type,
        class: resourceClass,
        id: 'main.db',
      });
    expect(shared('orders')).toBe('dev-shared-postgres-main-db');
    expect(shared('cart')).toBe(shared('orders'));
    // The same id of another type, or another class, is another resource.
    expect(shared('orders', 'amqp')).toBe('dev-shared-amqp-main-db');
    expect(shared('orders', 'postgres', 'large')).toBe(
      'dev-shared-postgres-large-main-db',
    );
    // No class is the default class.
    expect(shared('orders', 'postgres', 'default')).toBe(shared('orders'));
    // Long ones are cut with a hash, and stay apart.
    const long = (type: string) =>
      scoreResourceRequestName({
        workload: 'orders',
        environment: 'orders-feature-with-a-long-name',
        resource: 'db',
        type,
        id: 'the-main-database-of-the-team',
      });
    expect(long('postgres')).toHaveLength(50);
    expect(long('postgres')).toMatch(
      /^orders-feature-with-a-long-name-shared-/,
    );
    expect(long('postgres')).not.toBe(long('amqp'));
  });

  it('gives the copy of an environment the names its copied workloads look for', () => {
    const copy = (name: string) => copyResourceName('orders-pr-7', 'dev', name);
    expect(copy(workloadRequestName('orders', 'dev'))).toBe(
      workloadRequestName('orders', 'orders-pr-7'),
    );
    expect(
      copy(
        scoreResourceRequestName({
          workload: 'orders',
          environment: 'dev',
          resource: 'db',
        }),
      ),
    ).toBe(
      scoreResourceRequestName({
        workload: 'orders',
        environment: 'orders-pr-7',
        resource: 'db',
      }),
    );
    expect(
      copy(
        scoreResourceRequestName({
          workload: 'orders',
          environment: 'dev',
          resource: 'db',
          type: 'postgres',
          id: 'main',
        }),
      ),
    ).toBe(
      scoreResourceRequestName({
        workload: 'cart',
        environment: 'orders-pr-7',
        resource: 'database',
        type: 'postgres',
        id: 'main',
      }),
    );
  });

  it('stays within the limits, apart for long names that share a prefix, and starts with a letter', () => {
    const long = 'a'.repeat(40);
    const one = workloadRequestName(long, `${long}-one`);
    const two = workloadRequestName(long, `${long}-two`);
    expect(one).toHaveLength(63);
    expect(one).toMatch(/^[a-z][-a-z0-9]*[a-z0-9]$/);
    expect(one).not.toBe(two);
    expect(workloadRequestName(long, `${long}-one`)).toBe(one);
    const resource = scoreResourceRequestName({
      workload: long,
      environment: long,
      resource: 'db',
    });
    expect(resource.length).toBeLessThanOrEqual(50);
    expect(workloadRequestName('web', '1st')).toBe('w1st-web');
  });
});
