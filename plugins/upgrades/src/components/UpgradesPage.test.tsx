import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { rootRouteRef } from '../routes';
import { fakeUpgradesApi, testApis } from '../__testUtils__/fakeUpgradesApi';
import { UpgradesPage } from './UpgradesPage';

const renderAt = (path: string, api = fakeUpgradesApi()) =>
  renderInTestApp(<UpgradesPage />, {
    apis: testApis(api) as any,
    initialRouteEntries: [path],
    mountedRoutes: {
      '/upgrades': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
  });

jest.setTimeout(20_000);

describe('the Upgrades page', () => {
  it.each([
    ['/upgrades', 'Campaigns', 'listCampaigns', []],
    [
      '/upgrades/campaigns/k1',
      'Everyone on typescript-service 1.1.0',
      'getCampaign',
      ['k1'],
    ],
    [
      '/upgrades/changes/c1',
      'Upgrade typescript-service from 1.0.0 to 1.1.0',
      'getChange',
      ['c1'],
    ],
  ] as const)(
    'shows at %s the heading %s (from %s)',
    async (path, heading, call, args) => {
      const api = fakeUpgradesApi();
      await renderAt(path, api);
      expect(
        await screen.findByRole('heading', { name: heading }),
      ).toBeInTheDocument();
      expect(api[call]).toHaveBeenCalledWith(...args);
    },
  );
});
