import { ProvisioningClient } from './ProvisioningClient';

function clientWith(response: Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response.clone(),
  );
  const client = new ProvisioningClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://backend/api/${pluginId}`,
    },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });

describe('ProvisioningClient', () => {
  it('calls the generated client with the filters as the spec names them', async () => {
    const { client, fetch } = clientWith(json({ items: [], totalCount: 0 }));

    await client.listRequests({
      owner: 'group:default/team-a',
      state: ['pending-approval', 'provisioning'],
      limit: 500,
    });

    const url = new URL(fetch.mock.calls[0][0]);
    expect(`${url.origin}${url.pathname}`).toBe(
      'http://backend/api/provisioning/requests',
    );
    expect(url.searchParams.get('owner')).toBe('group:default/team-a');
    expect(url.searchParams.get('state')).toBe('pending-approval,provisioning');
    expect(url.searchParams.get('limit')).toBe('500');
  });

  it('posts the request body and returns the created request', async () => {
    const { client, fetch } = clientWith(
      json({ id: 'r1', state: 'ready' }, 201),
    );

    const body = {
      type: 'postgres',
      name: 'orders-db',
      owner: 'group:default/team-a',
      parameters: { sizeGb: 20 },
    };
    await expect(client.createRequest(body)).resolves.toEqual({
      id: 'r1',
      state: 'ready',
    });
    expect(fetch.mock.calls[0][1]).toMatchObject({
      method: 'POST',
      body: JSON.stringify(body),
    });
  });

  it('runs actions at their path with the input and idempotency key', async () => {
    const { client, fetch } = clientWith(json({ id: 'op-1' }, 202));

    await client.runAction('r 1', 'resize', {
      input: { sizeGb: 50 },
      idempotencyKey: 'k1',
    });

    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/provisioning/requests/r%201/actions/resize',
    );
    expect(JSON.parse(String(fetch.mock.calls[0][1]?.body))).toEqual({
      input: { sizeGb: 50 },
      idempotencyKey: 'k1',
    });
  });

  it('records activity with an empty POST and returns the request', async () => {
    const { client, fetch } = clientWith(
      json({ id: 'r1', expiresAt: '2026-11-27T10:00:00.000Z' }),
    );

    await expect(client.recordActivity('r1')).resolves.toEqual({
      id: 'r1',
      expiresAt: '2026-11-27T10:00:00.000Z',
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/provisioning/requests/r1/activity',
    );
    expect(fetch.mock.calls[0][1]).toMatchObject({ method: 'POST' });
    expect(fetch.mock.calls[0][1]?.body).toBeUndefined();
  });

  it('extends a request by the hours given', async () => {
    const { client, fetch } = clientWith(
      json({ id: 'r1', expiresAt: '2026-11-28T10:00:00.000Z' }),
    );

    await expect(client.extendRequest('r1', 48)).resolves.toMatchObject({
      expiresAt: '2026-11-28T10:00:00.000Z',
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/provisioning/requests/r1/extend',
    );
    expect(fetch.mock.calls[0][1]).toMatchObject({
      method: 'POST',
      body: JSON.stringify({ hours: 48 }),
    });
  });

  it('rejects a refused extension with the status and message', async () => {
    const { client } = clientWith(
      json(
        {
          error: {
            name: 'ConflictError',
            message: 'Request r1 does not expire; there is nothing to extend',
          },
          request: { method: 'POST', url: '/requests/r1/extend' },
          response: { statusCode: 409 },
        },
        409,
      ),
    );

    const error = await client.extendRequest('r1', 24).catch(e => e);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toMatch(/does not expire/);
  });

  it("reads the local cluster's state", async () => {
    const { client, fetch } = clientWith(
      json({ state: 'building', lastBuildSeconds: 412 }),
    );

    await expect(client.getLocalCluster()).resolves.toEqual({
      state: 'building',
      lastBuildSeconds: 412,
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/provisioning/local-cluster',
    );
    expect(fetch.mock.calls[0][1]).toMatchObject({ method: 'GET' });
  });

  it("turns an error response into a ResponseError that carries the server's message", async () => {
    const { client } = clientWith(
      json(
        {
          error: {
            name: 'InputError',
            message: 'Invalid request: parameters.sizeGb: must be <= 500',
          },
          request: { method: 'POST', url: '/requests' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );

    const error = await client
      .createRequest({ type: 'postgres', name: 'x', owner: 'group:default/a' })
      .catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe(
      'Invalid request: parameters.sizeGb: must be <= 500',
    );
  });
});
