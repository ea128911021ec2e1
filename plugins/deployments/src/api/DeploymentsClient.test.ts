import { ResponseError } from '@backstage/errors';
import {
  errorResponse,
  fakeBackend,
  jsonResponse,
} from '@paved/openapi-client-utils/testUtils';
import { DeploymentsClient } from './DeploymentsClient';

function clientWith(respond?: () => Response) {
  const backend = fakeBackend(respond);
  return { client: new DeploymentsClient(backend), calls: backend.calls };
}

describe('DeploymentsClient', () => {
  it('posts deploys, promotions and rollbacks to the provisioning backend', async () => {
    const accepted = { requestId: 'r1', operationId: 'o1', state: 'updating' };
    const { client, calls } = clientWith(() => jsonResponse(accepted, 202));
    const deploy = {
      component: 'component:default/orders',
      environment: 'orders-dev',
      image: 'ghcr.io/acme/orders:1.4.2',
    };

    await expect(client.deploy(deploy)).resolves.toEqual(accepted);
    await client.promote({
      component: 'component:default/orders',
      from: 'orders-dev',
      to: 'orders-staging',
    });
    await client.rollback({
      component: 'component:default/orders',
      environment: 'orders-dev',
    });

    expect(calls.map(c => [c.method, c.url])).toEqual([
      ['POST', 'http://backend/api/provisioning/deployments'],
      ['POST', 'http://backend/api/provisioning/deployments/promote'],
      ['POST', 'http://backend/api/provisioning/deployments/rollback'],
    ]);
    expect(JSON.parse(calls[0].body!)).toEqual(deploy);
  });

  it('reads the lists, sending only the given query parameters', async () => {
    const { client, calls } = clientWith(() => jsonResponse([{ id: 'd1' }]));

    await expect(
      client.listDeployments({
        component: 'component:default/orders',
        limit: 20,
      }),
    ).resolves.toEqual([{ id: 'd1' }]);
    await expect(
      client.listEnvironments('component:default/orders'),
    ).resolves.toEqual([{ id: 'd1' }]);
    await client.getDora({ owner: 'group:default/team-a', weeks: 12 });
    await client.getDora({});

    expect(calls.map(c => c.url)).toEqual([
      'http://backend/api/provisioning/deployments?component=component%3Adefault%2Forders&limit=20',
      'http://backend/api/provisioning/deployments/environments?component=component%3Adefault%2Forders',
      'http://backend/api/provisioning/deployments/dora?owner=group%3Adefault%2Fteam-a&weeks=12',
      'http://backend/api/provisioning/deployments/dora',
    ]);
  });

  it("rejects with the backend's error, its message and status kept", async () => {
    const { client } = clientWith(() =>
      errorResponse(400, {
        name: 'InputError',
        message: 'image: not a valid image reference',
      }),
    );
    const error = await client
      .deploy({ component: 'c', environment: 'e', image: 'x y' })
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe('image: not a valid image reference');
  });
});
