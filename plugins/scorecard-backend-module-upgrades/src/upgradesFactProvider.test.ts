import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { FactRetrievalContext } from '@paved/plugin-scorecard-node';
import { ChangeRequest } from '@paved/plugin-upgrades-common';
import { createUpgradesFactProvider } from './upgradesFactProvider';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/team',
    lifecycle: 'production',
  },
});

const change = (
  id: string,
  entityRef: string,
  state: ChangeRequest['state'],
  createdAt = '2026-12-01T00:00:00Z',
): ChangeRequest => ({
  id,
  entityRef,
  target: 'local',
  repository: entityRef.split('/')[1],
  templateRef: 'template:default/typescript-service',
  fromVersion: '1.0.0',
  toVersion: '1.1.0',
  branch: 'paved/upgrade-typescript-service-1.1.0',
  state,
  title: 'Upgrade',
  files: [],
  conflicts: [],
  createdBy: 'user:default/alice',
  createdAt,
  updatedAt: createdAt,
});

describe('the upgrades fact provider', () => {
  const calls: Array<{ url: string; authorization?: string }> = [];
  let byState: Record<string, () => Response>;
  let fetchSpy: jest.SpyInstance;

  beforeEach(() => {
    calls.length = 0;
    byState = {};
    // A fake fetch answering as the upgrades API does, by state.
    fetchSpy = jest
      .spyOn(global, 'fetch')
      .mockImplementation(async (input, init) => {
        const url = new URL(String(input));
        calls.push({
          url: String(input),
          authorization:
            new Headers(init?.headers).get('authorization') ?? undefined,
        });
        const answer = byState[url.searchParams.get('state') ?? ''];
        return answer ? answer() : Response.json({ items: [] });
      });
  });
  afterEach(() => fetchSpy.mockRestore());

  const ctx = (): FactRetrievalContext & { logger: any } => ({
    logger: mockServices.logger.mock(),
    lookup: { getByRefs: async () => new Map(), getByKind: async () => [] },
    getBaseUrl: async id => `http://backend.test/api/${id}`,
    getPluginToken: async id => `token-for-${id}`,
  });

  it("gives each component its waiting change's page, else null, from two calls with the scorecard's token", async () => {
    byState.open = () =>
      Response.json({
        items: [change('c-1', 'component:default/orders', 'open')],
      });
    byState.conflicted = () =>
      Response.json({
        items: [change('c-2', 'component:default/Billing', 'conflicted')],
      });
    const facts = await createUpgradesFactProvider().retrieve(
      [component('orders'), component('billing'), component('quiet')],
      ctx(),
    );
    expect(calls).toEqual([
      {
        url: 'http://backend.test/api/upgrades/changes?state=open',
        authorization: 'Bearer token-for-upgrades',
      },
      {
        url: 'http://backend.test/api/upgrades/changes?state=conflicted',
        authorization: 'Bearer token-for-upgrades',
      },
    ]);
    expect(Object.fromEntries(facts)).toEqual({
      'component:default/orders': {
        'upgrades.openChange': '/upgrades/changes/c-1',
      },
      'component:default/billing': {
        'upgrades.openChange': '/upgrades/changes/c-2',
      },
      'component:default/quiet': { 'upgrades.openChange': null },
    });
  });

  it('links to the newest of several waiting changes of a component', async () => {
    byState.open = () =>
      Response.json({
        items: [
          change(
            'old',
            'component:default/orders',
            'open',
            '2026-01-01T00:00:00Z',
          ),
          change(
            'new',
            'component:default/orders',
            'open',
            '2026-06-01T00:00:00Z',
          ),
        ],
      });
    const facts = await createUpgradesFactProvider().retrieve(
      [component('orders')],
      ctx(),
    );
    expect(facts.get('component:default/orders')).toEqual({
      'upgrades.openChange': '/upgrades/changes/new',
    });
  });

  it('is off, logged once, while the upgrades API does not answer, and on again when it does', async () => {
    const provider = createUpgradesFactProvider();
    const context = ctx();
    byState.open = () => Response.json({ error: {} }, { status: 404 });
    expect((await provider.retrieve([component('orders')], context)).size).toBe(
      0,
    );
    byState.open = () => {
      throw new TypeError('fetch failed');
    };
    expect((await provider.retrieve([component('orders')], context)).size).toBe(
      0,
    );
    expect(context.logger.info).toHaveBeenCalledTimes(1);
    expect(context.logger.info.mock.calls[0][0]).toMatch(
      /^Scorecard upgrade facts are off: the upgrades API does not answer \(HTTP 404\)/,
    );
    delete byState.open;
    const facts = await provider.retrieve([component('orders')], context);
    expect(facts.get('component:default/orders')).toEqual({
      'upgrades.openChange': null,
    });
  });

  it('is for components only', () => {
    const provider = createUpgradesFactProvider();
    expect(provider.entityFilter!(component('orders'))).toBe(true);
    expect(
      provider.entityFilter!({ ...component('x'), kind: 'Resource' }),
    ).toBe(false);
  });
});
