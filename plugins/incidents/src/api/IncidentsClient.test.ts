import { ResponseError } from '@backstage/errors';
import {
  errorResponse,
  fakeBackend,
  jsonResponse,
} from '@paved/openapi-client-utils/testUtils';
import { IncidentsClient } from './IncidentsClient';

describe('IncidentsClient', () => {
  it('lists incidents with the filters as the spec names them', async () => {
    const page = { items: [{ id: 'i1' }], totalCount: 1 };
    const backend = fakeBackend(() => jsonResponse(page));

    await expect(
      new IncidentsClient(backend).listIncidents({
        entityRef: 'component:default/orders',
        status: ['investigating', 'identified'],
        limit: 10,
      }),
    ).resolves.toEqual(page);

    const url = new URL(backend.calls[0].url);
    expect(`${url.origin}${url.pathname}`).toBe(
      'http://backend/api/incidents/incidents',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      entityRef: 'component:default/orders',
      status: 'investigating,identified',
      limit: '10',
    });
  });

  it('posts each change to its path, with the id encoded', async () => {
    const backend = fakeBackend(() => jsonResponse({ id: 'i 1' }));
    const client = new IncidentsClient(backend);

    await client.openIncident({
      entityRef: 'component:default/orders',
      severity: 'sev2',
      summary: 'Checkout fails',
    });
    await client.addNote('i 1', 'Rolled back');
    await client.setStatus('i 1', 'monitoring');
    await client.resolve('i 1', 'A bad deploy');
    await client.resolve('i 1', 'A bad deploy', 'Rolled back');

    const base = 'http://backend/api/incidents/incidents';
    expect(
      backend.calls.map(call => [
        call.method,
        call.url,
        JSON.parse(call.body!),
      ]),
    ).toEqual([
      [
        'POST',
        base,
        {
          entityRef: 'component:default/orders',
          severity: 'sev2',
          summary: 'Checkout fails',
        },
      ],
      ['POST', `${base}/i%201/notes`, { text: 'Rolled back' }],
      ['POST', `${base}/i%201/status`, { status: 'monitoring' }],
      ['POST', `${base}/i%201/resolve`, { cause: 'A bad deploy' }],
      [
        'POST',
        `${base}/i%201/resolve`,
        { cause: 'A bad deploy', resolution: 'Rolled back' },
      ],
    ]);
  });

  it("rejects with the backend's error, its message kept", async () => {
    const client = new IncidentsClient(
      fakeBackend(() =>
        errorResponse(403, {
          name: 'NotAllowedError',
          message: 'not the owning team',
        }),
      ),
    );

    const error = await client.addNote('i1', 'x').catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('not the owning team');
  });
});
