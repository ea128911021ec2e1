import { RunbooksClient } from './RunbooksClient';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('RunbooksClient', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
  };

  it('reads runbooks and runs of an entity from the runbooks backend', async () => {
    const fetch = jest.fn(async (url: string) => json({ items: [{ url }] }));
    const client = new RunbooksClient({
      discoveryApi,
      fetchApi: { fetch: fetch as any },
    });
    expect(await client.listRunbooks('component:default/a')).toEqual([
      {
        url: 'http://backend/api/runbooks/runbooks?entityRef=component%3Adefault%2Fa',
      },
    ]);
    expect(await client.listRuns('component:default/a')).toEqual([
      {
        url: 'http://backend/api/runbooks/runs?entityRef=component%3Adefault%2Fa',
      },
    ]);
  });

  it('throws the backend error of a failed call', async () => {
    const client = new RunbooksClient({
      discoveryApi,
      fetchApi: {
        fetch: (async () =>
          json({ error: { name: 'InputError', message: 'bad' } }, 400)) as any,
      },
    });
    await expect(client.listRuns('x')).rejects.toThrow(/400/);
  });

  it('reads the open incidents, and none when the incidents backend fails', async () => {
    const fetch = jest.fn(async (_url: string) =>
      json({ items: [{ id: 'i1' }] }),
    );
    const client = new RunbooksClient({
      discoveryApi,
      fetchApi: { fetch: fetch as any },
    });
    expect(await client.listOpenIncidents('component:default/a')).toEqual([
      { id: 'i1' },
    ]);
    const url = new URL(fetch.mock.calls[0][0]);
    expect(`${url.origin}${url.pathname}`).toBe(
      'http://backend/api/incidents/incidents',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: 'open',
      limit: '5',
      entityRef: 'component:default/a',
    });
    fetch.mockImplementation(async () => json({}, 503));
    expect(await client.listOpenIncidents('component:default/a')).toEqual([]);
  });
});
