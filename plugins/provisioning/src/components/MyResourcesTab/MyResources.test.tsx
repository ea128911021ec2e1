import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { newRequestRouteRef, requestsRouteRef } from '../../routes';
import {
  aRequest,
  fakeProvisioningApi,
  testApis,
} from '../../__testUtils__/fakeProvisioningApi';
import { MyResources } from './MyResources';

const render = (api: ReturnType<typeof fakeProvisioningApi>) =>
  renderInTestApp(<MyResources />, {
    apis: testApis(api, {
      groups: ['group:default/team-a', 'group:default/team-b'],
    }),
    mountedRoutes: {
      '/self-service/request': newRequestRouteRef,
      '/self-service/requests': requestsRouteRef,
    },
  });

describe('MyResources', () => {
  it("lists the requests of each of the user's groups, newest change first", async () => {
    const api = fakeProvisioningApi({
      listRequests: jest.fn(async ({ owner } = {}) => {
        const items =
          owner === 'group:default/team-a'
            ? [
                aRequest({
                  id: 'a1',
                  name: 'orders-db',
                  state: 'ready',
                  updatedAt: '2026-11-20T10:00:00.000Z',
                }),
              ]
            : [
                aRequest({
                  id: 'b1',
                  name: 'billing-db',
                  owner,
                  state: 'provisioning',
                  updatedAt: '2026-11-21T10:00:00.000Z',
                }),
                aRequest({
                  id: 'b2',
                  name: 'old-db',
                  owner,
                  state: 'deleted',
                  updatedAt: '2026-11-19T10:00:00.000Z',
                }),
              ];
        return { items, totalCount: items.length };
      }),
    });
    await render(api);

    const rows = await screen.findAllByRole('row');
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ owner: 'group:default/team-a' }),
    );
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ owner: 'group:default/team-b' }),
    );
    // A header row, then billing-db (newest) and orders-db; deleted ones hidden.
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('billing-db')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Provisioning')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText('PostgreSQL database'),
    ).toBeInTheDocument();
    expect(within(rows[2]).getByText('orders-db')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Ready')).toBeInTheDocument();
    expect(within(rows[2]).getByText('orders-db').closest('a')).toHaveAttribute(
      'href',
      '/self-service/requests/a1',
    );
    expect(screen.queryByText('old-db')).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('switch', { name: /Show deleted and rejected \(1\)/ }),
    );
    expect(await screen.findByText('old-db')).toBeInTheDocument();
    expect(screen.getByText('Deleted')).toBeInTheDocument();
  });

  it('says what to do when the teams have no resources', async () => {
    const api = fakeProvisioningApi();
    await render(api);

    await waitFor(() =>
      expect(
        screen.getByText('Your teams have no resources yet'),
      ).toBeInTheDocument(),
    );
    expect(
      screen.getByText(/Choose a resource type on the Request tab/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Request a resource' }),
    ).toHaveAttribute('href', '/self-service/request');
  });
});
