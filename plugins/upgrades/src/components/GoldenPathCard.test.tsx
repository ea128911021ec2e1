import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { fireEvent, screen, within } from '@testing-library/react';
import { rootRouteRef } from '../routes';
import {
  aChange,
  conflictedChange,
  fakeUpgradesApi,
  httpError,
  onLatest,
  ordersApi,
  testApis,
  upgradeAvailable,
} from '../__testUtils__/fakeUpgradesApi';
import { GoldenPathCard } from './GoldenPathCard';

const render = (api = fakeUpgradesApi()) =>
  renderInTestApp(
    <EntityProvider entity={ordersApi}>
      <GoldenPathCard />
    </EntityProvider>,
    {
      apis: testApis(api) as any,
      mountedRoutes: {
        '/upgrades': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );

jest.setTimeout(20_000);

describe('the Golden path card', () => {
  it('offers the newer version with its changelog', async () => {
    const api = fakeUpgradesApi();
    await render(api);
    expect(
      await screen.findByText(
        'Template typescript-service 1.0.0 → 1.1.0 available',
      ),
    ).toBeInTheDocument();
    expect(api.getUpgradeStatus).toHaveBeenCalledWith(
      'component:default/orders-api',
    );
    const changelog = screen.getByTestId('golden-path-changelog');
    expect(
      within(changelog).getByRole('heading', { name: /1\.1\.0/ }),
    ).toHaveTextContent('1.1.0 (2026-12-07)');
    // The entry's Markdown is rendered (lazily), not printed.
    expect(await within(changelog).findAllByRole('listitem')).toHaveLength(2);
    expect(within(changelog).getByText('.dockerignore').tagName).toBe('CODE');
    expect(
      screen.getByRole('button', { name: 'Propose upgrade' }),
    ).toBeEnabled();
    expect(
      screen.queryByRole('link', { name: 'View change' }),
    ).not.toBeInTheDocument();
  });

  it('says when the component is on the latest version', async () => {
    await render(
      fakeUpgradesApi({ getUpgradeStatus: jest.fn(async () => onLatest) }),
    );
    expect(
      await screen.findByText('On the latest version 1.1.0'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Propose upgrade' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('golden-path-changelog'),
    ).not.toBeInTheDocument();
  });

  it('shows why no upgrade can be proposed', async () => {
    await render(
      fakeUpgradesApi({
        getUpgradeStatus: jest.fn(async () => ({
          entityRef: 'component:default/orders-api',
          available: false,
          changelog: [],
          problem:
            'The template version 0.9.0 recorded in .paved/golden-path.yaml was never released',
        })),
      }),
    );
    expect(await screen.findByTestId('golden-path-problem')).toHaveTextContent(
      'The template version 0.9.0 recorded in .paved/golden-path.yaml was never released',
    );
    expect(
      screen.queryByRole('button', { name: 'Propose upgrade' }),
    ).not.toBeInTheDocument();
  });

  it('follows an active change instead of proposing another', async () => {
    await render(
      fakeUpgradesApi({
        getUpgradeStatus: jest.fn(async () =>
          upgradeAvailable({ change: conflictedChange }),
        ),
      }),
    );
    const line = await screen.findByTestId('golden-path-change');
    expect(within(line).getByTestId('change-state')).toHaveTextContent(
      'Conflicted',
    );
    expect(screen.getByRole('link', { name: 'View change' })).toHaveAttribute(
      'href',
      '/upgrades/changes/c1',
    );
    expect(
      screen.queryByRole('button', { name: 'Propose upgrade' }),
    ).not.toBeInTheDocument();
  });

  it('proposes the upgrade, shows progress, then links to the change', async () => {
    let finish: () => void = () => {};
    const api = fakeUpgradesApi({
      proposeChange: jest.fn(
        () =>
          new Promise(resolve => {
            finish = () => resolve(aChange());
          }),
      ),
    });
    await render(api);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Propose upgrade' }),
    );
    expect(api.proposeChange).toHaveBeenCalledWith({
      entityRef: 'component:default/orders-api',
    });
    expect(
      await screen.findByTestId('golden-path-proposing'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Propose upgrade' }),
    ).toBeDisabled();

    finish();
    expect(
      await screen.findByRole('link', { name: 'View change' }),
    ).toHaveAttribute('href', '/upgrades/changes/c1');
    expect(screen.getByTestId('change-state')).toHaveTextContent('Open');
    expect(
      screen.queryByRole('button', { name: 'Propose upgrade' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('golden-path-proposing'),
    ).not.toBeInTheDocument();
  });

  it("shows the server's refusal with its message", async () => {
    await render(
      fakeUpgradesApi({
        proposeChange: jest.fn(async () => {
          throw await httpError(403, 'upgrades.change.propose denied');
        }),
      }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Propose upgrade' }),
    );
    const error = await screen.findByTestId('upgrades-error');
    expect(error).toHaveTextContent('The upgrade could not be proposed');
    expect(error).toHaveTextContent(
      "Only the component's owners and the platform team may do this. (upgrades.change.propose denied)",
    );
  });
});
