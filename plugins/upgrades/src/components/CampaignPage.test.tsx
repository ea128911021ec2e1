import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { rootRouteRef } from '../routes';
import {
  campaignDetails,
  counts,
  fakeUpgradesApi,
  httpError,
  testApis,
} from '../__testUtils__/fakeUpgradesApi';
import { CampaignPage } from './CampaignPage';

const render = (api = fakeUpgradesApi()) =>
  renderInTestApp(<CampaignPage id="k1" />, {
    apis: testApis(api) as any,
    mountedRoutes: {
      '/upgrades': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
  });

jest.setTimeout(20_000);

describe('a campaign page', () => {
  beforeEach(() => {
    jest.useFakeTimers({
      now: new Date('2027-01-20T12:00:00Z'),
      doNotFake: [
        'setTimeout',
        'setInterval',
        'queueMicrotask',
        'nextTick',
        'setImmediate',
        'clearTimeout',
        'clearInterval',
      ],
    });
  });
  afterEach(() => jest.useRealTimers());

  it('shows the counts, the days left, the chart and every service', async () => {
    await render();
    expect(
      await screen.findByRole('heading', {
        name: 'Everyone on typescript-service 1.1.0',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Services' })).toHaveTextContent(
      '4',
    );
    expect(screen.getByRole('group', { name: 'Merged' })).toHaveTextContent(
      '1',
    );
    expect(screen.getByRole('group', { name: 'Conflicted' })).toHaveTextContent(
      '1',
    );
    expect(screen.getByRole('group', { name: 'Deadline' })).toHaveTextContent(
      '11 days left2027-01-31',
    );

    const chart = screen.getByRole('img', { name: 'Progress over time' });
    expect(chart).toHaveAttribute('data-points', '3');

    const rows = screen.getAllByTestId('campaign-target');
    expect(rows.map(r => r.getAttribute('data-entity'))).toEqual([
      'component:default/orders-api',
      'component:default/payments-api',
      'component:default/cart-api',
      'component:default/legacy-api',
    ]);
    expect(
      rows.map(r => within(r).getByTestId('change-state').textContent),
    ).toEqual(['Merged', 'Conflicted', 'Open', 'Not started']);
    expect(
      within(rows[1]).getByRole('link', { name: 'View change' }),
    ).toHaveAttribute('href', '/upgrades/changes/c2');
    expect(within(rows[1]).getByText('team-b')).toBeInTheDocument();
    expect(
      within(rows[3]).queryByRole('link', { name: 'View change' }),
    ).not.toBeInTheDocument();
    expect(rows[3]).toHaveTextContent(
      'the repository legacy-api was not found',
    );
  });

  it('runs the campaign and shows what it opened', async () => {
    const afterRun = {
      ...campaignDetails,
      counts: counts({ notStarted: 0, open: 2 }),
      targets: campaignDetails.targets.map(t =>
        t.state === 'not-started'
          ? { ...t, state: 'open' as const, changeId: 'c4', problem: undefined }
          : t,
      ),
    };
    const api = fakeUpgradesApi({ runCampaign: jest.fn(async () => afterRun) });
    await render(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    await waitFor(() => expect(api.runCampaign).toHaveBeenCalledWith('k1'));
    await waitFor(() =>
      expect(
        screen.getByRole('group', { name: 'Not started' }),
      ).toHaveTextContent('0'),
    );
    expect(screen.getAllByRole('link', { name: 'View change' })).toHaveLength(
      4,
    );
  });

  it('says who may run a campaign when refused', async () => {
    await render(
      fakeUpgradesApi({
        runCampaign: jest.fn(async () => {
          throw await httpError(403, 'upgrades.campaign.manage denied');
        }),
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    expect(await screen.findByTestId('upgrades-error')).toHaveTextContent(
      'Only the platform team may do this. (upgrades.campaign.manage denied)',
    );
  });
});
