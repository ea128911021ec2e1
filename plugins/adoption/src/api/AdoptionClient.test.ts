import { ResponseError } from '@backstage/errors';
import {
  errorResponse,
  fakeBackend,
  jsonResponse,
} from '@paved/openapi-client-utils/testUtils';
import { AdoptionClient } from './AdoptionClient';

const query = {
  from: '2026-11-01',
  to: '2026-11-26',
  team: 'group:default/team-a',
};

const pathAndQuery = (raw: string) => {
  const url = new URL(raw);
  return [url.pathname, Object.fromEntries(url.searchParams)];
};

describe('AdoptionClient', () => {
  it('sends from, to and team to every dashboard section', async () => {
    const backend = fakeBackend(() => jsonResponse({ days: [] }));
    const client = new AdoptionClient(backend);

    await client.getActiveUsers(query);
    await client.getUsage(query);
    await client.getSearches(query);
    await client.getGoldenPaths(query);
    await client.getDocs(query);

    expect(backend.calls.map(call => pathAndQuery(call.url))).toEqual(
      ['active-users', 'usage', 'searches', 'golden-paths', 'docs'].map(
        section => [`/api/adoption/dashboard/${section}`, query],
      ),
    );
  });

  it('asks for the NPS of everyone, without the team', async () => {
    const backend = fakeBackend(() => jsonResponse({ responses: 0 }));

    await new AdoptionClient(backend).getNps(query);

    expect(pathAndQuery(backend.calls[0].url)).toEqual([
      '/api/adoption/dashboard/nps',
      { from: '2026-11-01', to: '2026-11-26' },
    ]);
  });

  it('posts the survey answer, the dismissal and the refresh', async () => {
    const backend = fakeBackend(() => jsonResponse({ days: 2 }, 201));
    const client = new AdoptionClient(backend);

    await client.respondToSurvey({ score: 9, comment: 'Fast' });
    await client.dismissSurvey();
    await expect(client.refresh()).resolves.toEqual({ days: 2 });

    const base = 'http://backend/api/adoption';
    expect(backend.calls).toEqual([
      {
        method: 'POST',
        url: `${base}/survey/responses`,
        body: JSON.stringify({ score: 9, comment: 'Fast' }),
      },
      { method: 'POST', url: `${base}/survey/dismissals` },
      { method: 'POST', url: `${base}/dashboard/refresh` },
    ]);
  });

  it('rejects with a 403 ResponseError for those outside the platform team', async () => {
    const client = new AdoptionClient(
      fakeBackend(() =>
        errorResponse(403, {
          name: 'NotAllowedError',
          message: 'platform team only',
        }),
      ),
    );

    const error = await client.getUsage(query).catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
  });
});
