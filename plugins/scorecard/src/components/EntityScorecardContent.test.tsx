import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeScorecardApi,
  httpError,
  orders,
  ordersScorecard,
  testApis,
} from '../__testUtils__/fakeScorecardApi';
import { EntityMaturityCard } from './EntityMaturityCard';
import { EntityScorecardContent } from './EntityScorecardContent';

const render = (
  api = fakeScorecardApi(),
  element = <EntityScorecardContent />,
) =>
  renderInTestApp(<EntityProvider entity={orders}>{element}</EntityProvider>, {
    apis: testApis(api) as any,
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('the Scorecard tab of a component', () => {
  it('shows the level and a failing check with its fix', async () => {
    const api = fakeScorecardApi();
    render(api);

    expect(
      await screen.findByRole('img', { name: 'Level 1 · Ad hoc' }),
    ).toBeInTheDocument();
    expect(api.getEntityScorecard).toHaveBeenCalledWith(
      'component:default/orders',
    );
    const row = screen.getByRole('listitem', {
      name: 'Has TechDocs: failing',
    });
    expect(
      within(row).getByText('catalog.hasTechDocsRef is false (expected true)'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText(/Add the backstage.io\/techdocs-ref annotation/),
    ).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'How to fix: Has TechDocs' }),
    ).toHaveAttribute('href', '/docs/default/component/paved/techdocs/');
    expect(
      screen.getByRole('listitem', {
        name: 'Has an owner that exists: passed',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: /Level 2 \(Standardized\) checks/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: 'Level history' }),
    ).toBeInTheDocument();
  });

  it('re-evaluates the component and refreshes', async () => {
    const api = fakeScorecardApi();
    render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-evaluate' }),
    );
    await waitFor(() =>
      expect(api.evaluate).toHaveBeenCalledWith('component:default/orders'),
    );
    await waitFor(() =>
      expect(api.getEntityScorecard).toHaveBeenCalledTimes(2),
    );
  });

  it('says the component will be scored soon when it has not been (404)', async () => {
    const api = fakeScorecardApi({
      getEntityScorecard: jest
        .fn()
        .mockImplementationOnce(async () => {
          throw await httpError(404, 'component:default/orders is not scored');
        })
        .mockImplementation(async () => ordersScorecard),
    });
    render(api);
    expect(await screen.findByText('Not scored yet')).toBeInTheDocument();
    expect(screen.getByText(/scored within a minute/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Re-evaluate' }));
    expect(
      await screen.findByRole('img', { name: 'Level 1 · Ad hoc' }),
    ).toBeInTheDocument();
    expect(api.evaluate).toHaveBeenCalledWith('component:default/orders');
  });
});

describe('the Maturity card', () => {
  it('shows the level and the first failing check with its fix', async () => {
    render(fakeScorecardApi(), <EntityMaturityCard />);
    expect(
      await screen.findByRole('img', { name: 'Level 1 · Ad hoc' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Next: Has TechDocs')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'How to fix: Has TechDocs' }),
    ).toHaveAttribute('href', '/docs/default/component/paved/techdocs/');
  });
});
