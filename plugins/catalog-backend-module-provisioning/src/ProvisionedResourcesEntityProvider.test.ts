import { DiscoveryService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { ProvisionedResourcesEntityProvider } from './ProvisionedResourcesEntityProvider';

const discovery: DiscoveryService = {
  getBaseUrl: async plugin => `http://backend.test/api/${plugin}`,
  getExternalBaseUrl: async plugin => `http://backend.test/api/${plugin}`,
};

const request = (name: string): ProvisioningRequest => ({
  id: `id-${name}`,
  type: 'note',
  name,
  owner: 'group:default/checkout-team',
  parameters: {},
  state: 'ready',
  outputs: {},
  createdBy: 'user:default/bob',
  createdAt: '2026-11-26T00:00:00.000Z',
  updatedAt: '2026-11-26T00:00:00.000Z',
});

/**
 * Two backend replicas: one provisioning API (the shared database) and one catalog
 * (the shared refresh state, where the last full mutation of the provider wins).
 */
function replicas() {
  let active: ProvisioningRequest[] = [];
  let catalog: string[] | undefined;
  const fetchApi = (async (url: string | URL) => {
    const { pathname } = new URL(String(url));
    const body = pathname.endsWith('/types')
      ? { items: [{ id: 'note', title: 'Note', catalogType: 'database' }] }
      : { items: active };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  const connection: EntityProviderConnection = {
    async applyMutation(mutation: EntityProviderMutation) {
      if (mutation.type !== 'full') throw new Error('expected a full mutation');
      catalog = mutation.entities.map(e => e.entity.metadata.name).sort();
    },
    async refresh() {},
  };
  const replica = async () => {
    const logger = mockServices.logger.mock();
    const provider = new ProvisionedResourcesEntityProvider({
      discovery,
      auth: mockServices.auth(),
      logger,
      appBaseUrl: 'http://portal.test',
      fetch: fetchApi,
    });
    await provider.connect(connection);
    return { provider, logger };
  };
  return {
    replica,
    setActive: (names: string[]) => {
      active = names.map(request);
    },
    catalog: () => catalog,
  };
}

describe('ProvisionedResourcesEntityProvider on several replicas', () => {
  it('applies the active set even when this replica emitted the same set last', async () => {
    const cluster = replicas();
    const a = await cluster.replica();
    const b = await cluster.replica();

    cluster.setActive(['orders-db']);
    await a.provider.refresh();
    expect(cluster.catalog()).toEqual(['orders-db']);

    // Made and picked up on the other replica...
    cluster.setActive(['orders-db', 'pr-42-env']);
    await b.provider.refresh();
    expect(cluster.catalog()).toEqual(['orders-db', 'pr-42-env']);

    // ...and deleted before the task next runs on the first one, which sees the
    // set it emitted itself last time: the catalog must still lose pr-42-env.
    cluster.setActive(['orders-db']);
    await a.provider.refresh();
    expect(cluster.catalog()).toEqual(['orders-db']);
  });

  it('logs the count when it changes, not on every run', async () => {
    const cluster = replicas();
    const a = await cluster.replica();
    cluster.setActive(['orders-db']);
    await a.provider.refresh();
    await a.provider.refresh();
    cluster.setActive([]);
    await a.provider.refresh();
    expect(a.logger.info.mock.calls.map(call => call[0])).toEqual([
      'Provisioned resources in the catalog: 1',
      'Provisioned resources in the catalog: 0',
    ]);
  });

  it('refuses to run before the catalog connected it', async () => {
    const provider = new ProvisionedResourcesEntityProvider({
      discovery,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      appBaseUrl: 'http://portal.test',
    });
    await expect(provider.refresh()).rejects.toThrow(
      'paved-provisioned-resources is not connected yet',
    );
  });
});
