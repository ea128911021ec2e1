import { ResponseError } from '@backstage/errors';
import {
  errorResponse,
  fakeBackend,
  jsonResponse,
} from '@paved/openapi-client-utils/testUtils';
import { ScorecardClient } from './ScorecardClient';

function clientWith(respond?: () => Response) {
  const backend = fakeBackend(respond);
  return { client: new ScorecardClient(backend), calls: backend.calls };
}

describe('ScorecardClient', () => {
  it('reads an entity scorecard at the encoded entity ref', async () => {
    const scorecard = { entityRef: 'component:default/orders', tracks: [] };
    const { client, calls } = clientWith(() => jsonResponse(scorecard));

    await expect(
      client.getEntityScorecard('component:default/orders'),
    ).resolves.toEqual(scorecard);
    expect(calls[0].url).toBe(
      'http://backend/api/scorecard/entities/component%3Adefault%2Forders/scorecard',
    );
  });

  it('sends the optional query parameters only when given', async () => {
    const { client, calls } = clientWith();

    await client.getEntityHistory('component:default/orders', 20);
    await client.getTeamScorecard('group:default/team-a');
    await client.getOrganizationTrend({ trackId: 'security', days: 90 });

    expect(calls.map(call => call.url)).toEqual([
      'http://backend/api/scorecard/entities/component%3Adefault%2Forders/history?limit=20',
      'http://backend/api/scorecard/teams/group%3Adefault%2Fteam-a/scorecard',
      'http://backend/api/scorecard/organization/trend?trackId=security&days=90',
    ]);
  });

  it('lists the tracks', async () => {
    const { client } = clientWith(() =>
      jsonResponse({ items: [{ id: 'platform' }] }),
    );
    await expect(client.listTracks()).resolves.toEqual([{ id: 'platform' }]);
  });

  it('posts an evaluation and a proposed check as JSON', async () => {
    const { client, calls } = clientWith(() => jsonResponse({ evaluated: 1 }));
    const request = {
      trackId: 'platform-maturity',
      level: 2,
      check: {
        id: 'has-docs',
        rules: [{ fact: 'techdocs.hasDocs', operator: 'equal', value: true }],
      },
    };

    await client.evaluate('component:default/orders');
    await client.evaluate();
    await client.previewChecks(request);

    expect(calls).toEqual([
      {
        method: 'POST',
        url: 'http://backend/api/scorecard/evaluate',
        body: JSON.stringify({ entityRef: 'component:default/orders' }),
      },
      {
        method: 'POST',
        url: 'http://backend/api/scorecard/evaluate',
        body: '{}',
      },
      {
        method: 'POST',
        url: 'http://backend/api/scorecard/checks/preview',
        body: JSON.stringify(request),
      },
    ]);
  });

  it("rejects with the backend's error, its status kept", async () => {
    const { client } = clientWith(() =>
      errorResponse(404, { name: 'NotFoundError', message: 'not scored yet' }),
    );

    const error = await client
      .getEntityScorecard('component:default/new')
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe('not scored yet');
  });
});
