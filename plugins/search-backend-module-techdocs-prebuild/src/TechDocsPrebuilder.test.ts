import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TechDocsPrebuilder } from './TechDocsPrebuilder';

const withDocs = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

const withoutDocs = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'no-docs' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

function syncAnswer(body: string, status = 200) {
  return new Response(body, { status });
}

describe('TechDocsPrebuilder', () => {
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async plugin => `http://backend/api/${plugin}`,
  });

  it('syncs only entities with TechDocs and sorts the outcomes', async () => {
    const calls: string[] = [];
    const fakeFetch = jest.fn(async (url: string | URL | Request) => {
      const href = String(url);
      calls.push(href);
      if (href.endsWith('/broken')) {
        return syncAnswer('event: error\ndata: "mkdocs failed"\n\n');
      }
      if (href.endsWith('/fresh')) {
        return syncAnswer('event: finish\ndata: {"updated":false}\n\n');
      }
      return syncAnswer('event: finish\ndata: {"updated":true}\n\n');
    });
    const prebuilder = new TechDocsPrebuilder({
      catalog: catalogServiceMock({
        entities: [
          withDocs('built'),
          withDocs('fresh'),
          withDocs('broken'),
          withoutDocs,
        ],
      }),
      auth: mockServices.auth(),
      discovery,
      logger: mockServices.logger.mock(),
      fetch: fakeFetch as unknown as typeof fetch,
    });

    const summary = await prebuilder.run();

    expect(calls.sort()).toEqual([
      'http://backend/api/techdocs/sync/default/Component/broken',
      'http://backend/api/techdocs/sync/default/Component/built',
      'http://backend/api/techdocs/sync/default/Component/fresh',
    ]);
    expect(summary).toEqual({
      entities: 3,
      updated: ['component:default/built'],
      upToDate: ['component:default/fresh'],
      failed: [
        { entityRef: 'component:default/broken', message: 'mkdocs failed' },
      ],
    });
  });

  it('sends a service token meant for the techdocs plugin', async () => {
    const fakeFetch = jest.fn(
      async (_url: string | URL | Request, _init?: RequestInit) =>
        syncAnswer('event: finish\ndata: {"updated":true}\n\n'),
    );
    await new TechDocsPrebuilder({
      catalog: catalogServiceMock({ entities: [withDocs('one')] }),
      auth: mockServices.auth(),
      discovery,
      logger: mockServices.logger.mock(),
      fetch: fakeFetch as unknown as typeof fetch,
    }).run();

    const headers = fakeFetch.mock.calls[0][1]?.headers as Record<
      string,
      string
    >;
    expect(headers.authorization).toMatch(/^Bearer .*techdocs/);
  });

  it('records an HTTP failure without stopping the other builds', async () => {
    const fakeFetch = jest.fn(async (url: string | URL | Request) =>
      String(url).endsWith('/a')
        ? syncAnswer('Entity not found', 404)
        : syncAnswer('event: finish\ndata: {"updated":true}\n\n'),
    );
    const summary = await new TechDocsPrebuilder({
      catalog: catalogServiceMock({ entities: [withDocs('a'), withDocs('b')] }),
      auth: mockServices.auth(),
      discovery,
      logger: mockServices.logger.mock(),
      fetch: fakeFetch as unknown as typeof fetch,
    }).run();

    expect(summary.failed).toEqual([
      {
        entityRef: 'component:default/a',
        message: 'HTTP 404 Entity not found',
      },
    ]);
    expect(summary.updated).toEqual(['component:default/b']);
  });
});
