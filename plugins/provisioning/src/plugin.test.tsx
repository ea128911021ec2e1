import { coreApis } from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { provisioningApiRef } from './api';
import { provisioningPlugin } from './plugin';
import {
  aRequest,
  fakeProvisioningApi,
  testApis,
} from './__testUtils__/fakeProvisioningApi';

const renderPlugin = (path: string, api = fakeProvisioningApi()) =>
  renderTestApp({
    features: [
      // The real client needs a backend; the page gets the fake instead.
      provisioningPlugin.withOverrides({
        extensions: [
          provisioningPlugin.getExtension('api:provisioning').override({
            params: define =>
              define({
                api: provisioningApiRef,
                deps: {},
                factory: () => api,
              }),
          }),
        ],
      }),
    ],
    apis: testApis(api).slice(1) as any,
    initialRouteEntries: [path],
    // The catalog's entity pages, which the pages link people and teams to.
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

const pathname = (apis: { get: Function }) =>
  apis.get(coreApis.appHistory).getSnapshot().location.pathname;

describe('the self-service page', () => {
  it('opens on the Request tab with a card per resource type, which leads to its form', async () => {
    const { apis } = renderPlugin('/self-service');

    expect(await screen.findByText('PostgreSQL database')).toBeInTheDocument();
    expect(pathname(apis)).toBe('/self-service/request');
    expect(screen.getByRole('tab', { name: 'Request' })).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'My resources' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Approvals' })).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('link', { name: 'Request PostgreSQL database' }),
    );
    await waitFor(() =>
      expect(pathname(apis)).toBe('/self-service/request/postgres'),
    );
    expect(await screen.findByLabelText(/Size \(GB\)/)).toBeInTheDocument();
  });

  it('shows a request at /self-service/requests/:id', async () => {
    const api = fakeProvisioningApi({
      getRequest: jest.fn(async id => aRequest({ id, name: 'billing-db' })),
    });
    renderPlugin('/self-service/requests/r42', api);

    expect(
      await screen.findByRole('heading', { name: 'billing-db' }),
    ).toBeInTheDocument();
    expect(api.getRequest).toHaveBeenCalledWith('r42');
  });

  it('lists the resources at /self-service/requests, not a request named "requests"', async () => {
    const api = fakeProvisioningApi();
    renderPlugin('/self-service/requests', api);

    await waitFor(() =>
      expect(
        screen.getByText('Your teams have no resources yet'),
      ).toBeInTheDocument(),
    );
    expect(api.getRequest).not.toHaveBeenCalled();
  });

  it.each(['request', 'requests', 'approvals'])(
    'says on the %s tab while the local cluster is still being built',
    async tab => {
      const api = fakeProvisioningApi({
        getLocalCluster: jest.fn(async () => ({
          state: 'building' as const,
          step: 'kube-apiserver (2 of 5)',
          lastBuildSeconds: 412,
        })),
      });
      renderPlugin(`/self-service/${tab}`, api);

      expect(
        await screen.findByText(
          'The local Kubernetes cluster is still being built',
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByText(/The last build took 6 min 52 s\./),
      ).toBeInTheDocument();
    },
  );
});
