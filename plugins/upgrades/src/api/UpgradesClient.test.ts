import { ResponseError } from '@backstage/errors';
import {
  errorResponse,
  fakeBackend,
  jsonResponse,
} from '@paved/openapi-client-utils/testUtils';
import { UpgradesClient } from './UpgradesClient';

function clientWith(respond?: () => Response) {
  const backend = fakeBackend(respond);
  return { client: new UpgradesClient(backend), calls: backend.calls };
}

describe('UpgradesClient', () => {
  it('reads statuses, versions, changes and campaigns at their paths', async () => {
    const { client, calls } = clientWith(() => jsonResponse({ items: [] }));

    await client.getUpgradeStatus('component:default/orders-api');
    await client.getTemplateVersions('template:default/typescript-service');
    await expect(
      client.listChanges({
        entityRef: 'component:default/orders-api',
        state: 'open',
      }),
    ).resolves.toEqual([]);
    await client.getChange('c 1');
    await client.getChangeDiff('c1');
    await expect(client.listCampaigns()).resolves.toEqual([]);
    await client.getCampaign('k1');

    expect(calls.map(c => [c.method, c.url])).toEqual([
      [
        'GET',
        'http://backend/api/upgrades/entities/component/default/orders-api/upgrade',
      ],
      [
        'GET',
        'http://backend/api/upgrades/templates/default/typescript-service/versions',
      ],
      [
        'GET',
        'http://backend/api/upgrades/changes?entityRef=component%3Adefault%2Forders-api&state=open',
      ],
      ['GET', 'http://backend/api/upgrades/changes/c%201'],
      ['GET', 'http://backend/api/upgrades/changes/c1/diff'],
      ['GET', 'http://backend/api/upgrades/campaigns'],
      ['GET', 'http://backend/api/upgrades/campaigns/k1'],
    ]);
  });

  it('posts proposals, actions and campaigns, with a body only when there is one', async () => {
    const { client, calls } = clientWith(() => jsonResponse({ id: 'x' }));

    await client.proposeChange({ entityRef: 'component:default/orders-api' });
    await client.mergeChange('c1');
    await client.closeChange('c1');
    await client.refreshChange('c1');
    await client.createCampaign({
      title: 'Move to 1.1.0',
      templateRef: 'template:default/typescript-service',
      deadline: '2027-01-31',
    });
    await client.runCampaign('k1');

    expect(calls.map(c => [c.method, c.url, c.body])).toEqual([
      [
        'POST',
        'http://backend/api/upgrades/changes',
        '{"entityRef":"component:default/orders-api"}',
      ],
      ['POST', 'http://backend/api/upgrades/changes/c1/merge', undefined],
      ['POST', 'http://backend/api/upgrades/changes/c1/close', undefined],
      ['POST', 'http://backend/api/upgrades/changes/c1/refresh', undefined],
      [
        'POST',
        'http://backend/api/upgrades/campaigns',
        '{"title":"Move to 1.1.0","templateRef":"template:default/typescript-service","deadline":"2027-01-31"}',
      ],
      ['POST', 'http://backend/api/upgrades/campaigns/k1/run', undefined],
    ]);
  });

  it("rejects with the backend's error, its message and status kept", async () => {
    const { client } = clientWith(() =>
      errorResponse(409, {
        name: 'ConflictError',
        message: 'the change has conflicts in Dockerfile; resolve them first',
      }),
    );
    const error = await client.mergeChange('c1').catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe(
      'the change has conflicts in Dockerfile; resolve them first',
    );
  });
});
