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
