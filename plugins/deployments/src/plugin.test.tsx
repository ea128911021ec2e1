import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import {
  adoptionDoraSection,
  deploymentsPlugin,
  entityDeploymentsContent,
  groupDoraCard,
} from './plugin';
import {
  fakeDeploymentsApi,
  orders,
  testApis,
} from './__testUtils__/fakeDeploymentsApi';

jest.setTimeout(20_000);

describe('the deployments plugin', () => {
  it('offers the tab, the team card and the adoption section', () => {
    // Ids the app config can name (to disable or move them).
    for (const id of [
      'api:deployments',
      'entity-content:deployments',
      'entity-card:deployments/dora',
      'adoption-section:deployments/dora',
    ] as const) {
      expect(deploymentsPlugin.getExtension(id)).toMatchObject({
        namespace: 'deployments',
      });
    }
    expect(
      createExtensionTester(entityDeploymentsContent).get(
        coreExtensionData.routePath,
      ),
    ).toBe('/deployments');
    expect(
      createExtensionTester(groupDoraCard).get(coreExtensionData.reactElement),
    ).toBeDefined();
  });

  it('renders the organisation section on the adoption page', async () => {
    const tester = createExtensionTester(adoptionDoraSection);
    await renderInTestApp(
      <EntityProvider entity={orders}>{tester.reactElement()}</EntityProvider>,
      {
        apis: testApis(fakeDeploymentsApi()) as any,
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      // Lazily loaded: slow the first time on a busy machine.
      await screen.findByRole(
        'region',
        { name: 'Delivery (DORA)' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('dora-panel')).toBeInTheDocument();
  });
});
