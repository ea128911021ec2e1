import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { FactRetrievalContext } from '@paved/plugin-scorecard-node';
import { deploymentsFactProvider } from './deploymentsFactProvider';

const component = (name: string, type = 'service'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type, owner: 'group:default/checkout-team', lifecycle: 'production' },
});

/** A DORA report as `GET /deployments/dora` answers it, with the overall figures given. */
const report = (
  scope: string,
  overall: {
    deployments: number;
    deploymentsPerWeek: number;
    changeFailureRate?: number;
  },
) => ({
  scope,
  from: '2026-11-03T00:00:00Z',
  to: '2026-12-01T00:00:00Z',
  failureWindowHours: 24,
  overall: { ...overall, levels: { deploymentFrequency: 'high' } },
  weeks: [],
});

describe('the deployments fact provider', () => {
  const calls: Array<{ url: string; authorization?: string }> = [];
  const answers = new Map<string, () => Response>();
  let fetchSpy: jest.SpyInstance;

  beforeEach(() => {
    calls.length = 0;
    answers.clear();
    // A fake fetch answering as the deployments API does, by component.
    fetchSpy = jest
      .spyOn(global, 'fetch')
      .mockImplementation(async (input, init) => {
        const url = new URL(String(input));
        calls.push({
          url: String(input),
          authorization:
            new Headers(init?.headers).get('authorization') ?? undefined,
        });
        const answer = answers.get(url.searchParams.get('component') ?? '');
        return answer
          ? answer()
          : Response.json(
              { error: { name: 'NotFoundError', message: 'no component' } },
              { status: 404 },
            );
      });
  });
  afterEach(() => fetchSpy.mockRestore());

  const ctx = (): FactRetrievalContext & { logger: any } => ({
    logger: mockServices.logger.mock(),
    lookup: { getByRefs: async () => new Map(), getByKind: async () => [] },
    getBaseUrl: async id => `http://backend.test/api/${id}`,
    getPluginToken: async id => `token-for-${id}`,
  });

  it("asks for each component's last four weeks with the scorecard's service token", async () => {
    answers.set('component:default/orders', () =>
      Response.json(
        report('component:default/orders', {
          deployments: 8,
          deploymentsPerWeek: 2,
          changeFailureRate: 0.125,
        }),
      ),
    );
    const facts = await deploymentsFactProvider.retrieve(
      [component('orders')],
      ctx(),
    );
    expect(calls).toEqual([
      {
        url: 'http://backend.test/api/provisioning/deployments/dora?component=component%3Adefault%2Forders&weeks=4',
        authorization: 'Bearer token-for-provisioning',
      },
    ]);
    expect(Object.fromEntries(facts)).toEqual({
      'component:default/orders': {
        'deployments.productionDeployments': 8,
        'deployments.perWeek': 2,
        'deployments.changeFailureRate': 0.125,
      },
    });
  });

  it('leaves the rate missing without production deployments, and the figures of a failing call out', async () => {
    answers.set('component:default/quiet', () =>
      Response.json(
        report('component:default/quiet', {
          deployments: 0,
          deploymentsPerWeek: 0,
        }),
      ),
    );
    answers.set('component:default/broken', () =>
      Response.json(
        { error: { name: 'Error', message: 'database down' } },
        { status: 503 },
      ),
    );
    answers.set('component:default/unreachable', () => {
      throw new TypeError('fetch failed');
    });
    const context = ctx();
    const facts = await deploymentsFactProvider.retrieve(
      [component('quiet'), component('broken'), component('unreachable')],
      context,
    );
    expect(Object.fromEntries(facts)).toEqual({
      'component:default/quiet': {
        'deployments.productionDeployments': 0,
        'deployments.perWeek': 0,
        'deployments.changeFailureRate': null,
      },
    });
    expect(context.logger.warn).toHaveBeenCalledTimes(1);
    expect(context.logger.warn.mock.calls[0][0]).toMatch(
      /^Scorecard: no delivery figures for 2 of 3 components/,
    );
  });

  it('asks for many components a few at a time, each once', async () => {
    let inFlight = 0;
    let most = 0;
    fetchSpy.mockImplementation(async input => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise(resolve => setTimeout(resolve, 5));
      inFlight--;
      const ref = new URL(String(input)).searchParams.get('component')!;
      calls.push({ url: ref });
      return Response.json(
        report(ref, {
          deployments: 1,
          deploymentsPerWeek: 0.25,
          changeFailureRate: 0,
        }),
      );
    });
    const entities = Array.from({ length: 30 }, (_, i) => component(`c${i}`));
    const facts = await deploymentsFactProvider.retrieve(entities, ctx());
    expect(facts.size).toBe(30);
    expect(new Set(calls.map(c => c.url)).size).toBe(30);
    expect(most).toBeLessThanOrEqual(8);
  });

  it('is for components only', () => {
    expect(deploymentsFactProvider.entityFilter!(component('orders'))).toBe(
      true,
    );
    expect(
      deploymentsFactProvider.entityFilter!({
        ...component('x'),
        kind: 'Resource',
      }),
    ).toBe(false);
  });
});
