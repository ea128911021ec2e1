import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import request from 'supertest';
import { DeploymentService } from '../service/DeploymentService';
import { createDeploymentsRouter } from './createRouter';

/**
 * The router in a test backend (auth, error handling as in production), with a
 * fake service behind it that remembers what it was asked.
 */
function fakeService() {
  const calls: Array<{ call: string; args: unknown[] }> = [];
  const remember =
    (call: string, answer: (...args: any[]) => unknown) =>
    async (...args: unknown[]) => {
      calls.push({ call, args });
      return answer(...args);
    };
  const service = {
    deploy: remember('deploy', input => {
      if (input.environment === 'busy') {
        throw new ConflictError(
          'Request r1 is updating; actions run only on ready requests',
        );
      }
      if (input.component === 'nope') {
        throw new NotFoundError(
          "component: there is no component 'component:default/nope' in the catalog",
        );
      }
      return { requestId: 'r1', operationId: 'o1', state: 'updating' };
    }),
    promote: remember('promote', () => ({
      requestId: 'r2',
      state: 'provisioning',
    })),
    rollback: remember('rollback', input => {
      if (input.environment === 'orders-new') {
        throw new InputError(
          'Invalid request: environment: orders-new has no earlier successful deployment of component:default/orders to roll back to',
        );
      }
      return { requestId: 'r1', operationId: 'o2', state: 'updating' };
    }),
    list: remember('list', () => []),
    environments: remember('environments', () => []),
    dora: remember('dora', () => ({ scope: 'organisation' })),
  };
  return { calls, service: service as unknown as DeploymentService };
}

describe('the deployments router', () => {
  let backend: TestBackend;
  const { calls, service } = fakeService();
  const user = mockCredentials.user.header('user:default/alice');
  const ci = mockCredentials.service.header();
  const api = (method: 'get' | 'post', path: string, authorization = user) =>
    request(backend.server)
      [method](`/api/deployments-test${path}`)
      .set('authorization', authorization);

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        createBackendPlugin({
          pluginId: 'deployments-test',
          register(reg) {
            reg.registerInit({
              deps: {
                httpRouter: coreServices.httpRouter,
                httpAuth: coreServices.httpAuth,
              },
              async init({ httpRouter, httpAuth }) {
                httpRouter.use(
                  createDeploymentsRouter({ deployments: service, httpAuth }),
                );
              },
            });
          },
        }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
  });

  afterAll(() => backend.stop());
  beforeEach(() => {
    calls.length = 0;
  });

  it('deploys for users and CI, with 202', async () => {
    const body = {
      component: 'orders',
      environment: 'orders-dev',
      image: 'ghcr.io/acme/orders:1.2.0',
      gitRef: 'abc123',
      commitTime: '2026-12-07T10:00:00Z',
      workload: { apiVersion: 'score.dev/v1b1', metadata: { name: 'orders' } },
    };
    const byUser = await api('post', '/deployments').send(body);
    expect(byUser.status).toBe(202);
    expect(byUser.body).toEqual({
      requestId: 'r1',
      operationId: 'o1',
      state: 'updating',
    });
    const byCi = await api('post', '/deployments', ci).send(body);
    expect(byCi.status).toBe(202);
    expect(calls.map(c => c.args[0])).toEqual([body, body]);
    expect(
      (calls[1].args[1] as { principal: { type: string } }).principal.type,
    ).toBe('service');
    const anonymous = await api(
      'post',
      '/deployments',
      mockCredentials.none.header(),
    ).send(body);
    expect(anonymous.status).toBe(401);
  });

  it.each([
    [{}, 'component: is required'],
    [{ component: 'orders', image: 'i' }, 'environment: is required'],
    [
      { component: 'orders', environment: 'Orders Dev', image: 'i' },
      'environment: must be',
    ],
    [{ component: 'orders', environment: 'orders-dev' }, 'image: is required'],
    [
      { component: 'orders', environment: 'orders-dev', image: 7 },
      'image: must be',
    ],
    [
      {
        component: 'orders',
        environment: 'orders-dev',
        image: 'Not An Image!',
      },
      'image: must be an image reference',
    ],
    [
      {
        component: 'orders',
        environment: 'orders-dev',
        image: 'i',
        commitTime: 'yesterday',
      },
      'commitTime: must be an ISO 8601 date-time',
    ],
    [
      {
        component: 'orders',
        environment: 'orders-dev',
        image: 'i',
        workload: 'score.yaml',
      },
      'workload: must be',
    ],
    [
      { component: 'orders', environment: 'orders-dev', image: 'i', extra: 1 },
      'extra',
    ],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const response = await api('post', '/deployments').send(body);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(message);
    expect(calls).toEqual([]);
  });

  it('answers the service’s 404 and 409 as they are', async () => {
    const missing = await api('post', '/deployments').send({
      component: 'nope',
      environment: 'orders-dev',
      image: 'i',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/^component: /);
    const busy = await api('post', '/deployments').send({
      component: 'orders',
      environment: 'busy',
      image: 'i',
    });
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toContain('is updating');
  });

  it('promotes and rolls back, naming missing fields', async () => {
    const promoted = await api('post', '/deployments/promote').send({
      component: 'orders',
      from: 'orders-staging',
      to: 'orders-prod',
    });
    expect(promoted.status).toBe(202);
    const rolledBack = await api('post', '/deployments/rollback').send({
      component: 'orders',
      environment: 'orders-prod',
    });
    expect(rolledBack.status).toBe(202);
    expect(calls.map(c => c.call)).toEqual(['promote', 'rollback']);

    const noTo = await api('post', '/deployments/promote').send({
      component: 'orders',
      from: 'orders-staging',
    });
    expect(noTo.status).toBe(400);
    expect(noTo.body.error.message).toContain('to: is required');
    const noEnvironment = await api('post', '/deployments/rollback').send({
      component: 'orders',
    });
    expect(noEnvironment.status).toBe(400);
    expect(noEnvironment.body.error.message).toContain(
      'environment: is required',
    );
    const nothingEarlier = await api('post', '/deployments/rollback').send({
      component: 'orders',
      environment: 'orders-new',
    });
    expect(nothingEarlier.status).toBe(400);
    expect(nothingEarlier.body.error.message).toContain(
      'environment: orders-new has no earlier successful deployment of component:default/orders to roll back to',
    );
  });

  it('reads records, environments and DORA figures with parsed queries', async () => {
    expect(
      (await api('get', '/deployments?component=orders&limit=5')).status,
    ).toBe(200);
    expect(
      (await api('get', '/deployments/environments?component=orders')).status,
    ).toBe(200);
    expect((await api('get', '/deployments/dora?owner=team-a')).status).toBe(
      200,
    );
    expect(calls.map(c => [c.call, c.args[0]])).toEqual([
      ['list', { component: 'orders', limit: 5 }],
      ['environments', 'orders'],
      ['dora', { owner: 'team-a', weeks: 12 }],
    ]);

    const badLimit = await api('get', '/deployments?limit=lots');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toContain('limit: must be a number');
    const noComponent = await api('get', '/deployments/environments');
    expect(noComponent.status).toBe(400);
    expect(noComponent.body.error.message).toContain('component: is required');
    const badWeeks = await api('get', '/deployments/dora?weeks=100');
    expect(badWeeks.status).toBe(400);
    expect(badWeeks.body.error.message).toContain('weeks: must be at most 52');
  });
});
