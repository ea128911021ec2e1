import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { newRequestRouteRef, requestsRouteRef } from '../../routes';
import {
  aRequest,
  fakeProvisioningApi,
  serverOf,
  testApis,
} from '../../__testUtils__/fakeProvisioningApi';
import { MyResources } from './MyResources';

// Rendering and paging a table of links is slow when the machine is busy.
jest.setTimeout(30_000);

const render = (api: ReturnType<typeof fakeProvisioningApi>) =>
  renderInTestApp(<MyResources />, {
    apis: testApis(api, {
      groups: ['group:default/team-a', 'group:default/team-b'],
    }),
    mountedRoutes: {
      '/self-service/request': newRequestRouteRef,
      '/self-service/requests': requestsRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
  });

describe('MyResources', () => {
  it("lists the requests of each of the user's groups, newest first, with their expiry", async () => {
    const listRequests = serverOf([
      aRequest({
        id: 'a1',
        name: 'orders-db',
        state: 'ready',
        createdAt: '2026-11-20T10:00:00.000Z',
      }),
      aRequest({
        id: 'b1',
        name: 'preview-env',
        type: 'environment',
        owner: 'group:default/team-b',
        state: 'provisioning',
        createdAt: '2026-11-21T10:00:00.000Z',
        expiresAt: new Date(Date.now() + 5 * 3_600_000).toISOString(),
      }),
      aRequest({
        id: 'b2',
        name: 'old-db',
        owner: 'group:default/team-b',
        state: 'deleted',
        createdAt: '2026-11-19T10:00:00.000Z',
        expiresAt: '2026-11-19T12:00:00.000Z',
      }),
    ]);
    const api = fakeProvisioningApi({ listRequests });
    await render(api);

    expect(await screen.findByText('preview-env')).toBeInTheDocument();
    const rows = screen.getAllByRole('row');
    // One page of the requests of all the user's groups, as the server orders them.
    expect(listRequests).toHaveBeenCalledWith(
      expect.objectContaining({
        owner: ['group:default/team-a', 'group:default/team-b'],
      }),
    );
    // A header row, then preview-env (newest) and orders-db; deleted ones hidden.
    expect(rows).toHaveLength(3);
    expect(
      within(rows[0])
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual(['Name', 'Type', 'Owner', 'State', 'Expires', 'Updated']);
    expect(within(rows[1]).getByText('preview-env')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Provisioning')).toBeInTheDocument();
    expect(within(rows[1]).getByText('in 5 hours')).toBeInTheDocument();
    // The owning team by name, linked to its page.
    expect(
      within(rows[1]).getByRole('link', { name: 'team-b' }),
    ).toHaveAttribute('href', '/catalog/default/group/team-b');
    expect(within(rows[2]).getByText('orders-db')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Ready')).toBeInTheDocument();
    expect(
      within(rows[2]).getByText('PostgreSQL database'),
    ).toBeInTheDocument();
    // The Expires cell of a request that does not expire is empty.
    expect(rows[2].querySelectorAll('th, td')[4]).toHaveTextContent(/^$/);
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

  it('pages through the requests on the server, 20 at a time', async () => {
    const listRequests = serverOf(
      Array.from({ length: 45 }, (_, i) =>
        aRequest({
          id: `r${i}`,
          name: `db-${String(i).padStart(2, '0')}`,
          createdAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
        }),
      ),
    );
    const api = fakeProvisioningApi({ listRequests });
    await renderInTestApp(<MyResources />, {
      apis: testApis(api),
      mountedRoutes: {
        '/self-service/requests': requestsRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });

    expect(await screen.findByText('db-44')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(21);
    expect(screen.getByText('1 - 20 of 45')).toBeInTheDocument();
    expect(listRequests).toHaveBeenCalledWith(
      expect.objectContaining({
        owner: ['group:default/team-a'],
        offset: 0,
        limit: 20,
      }),
    );
    // Nothing beyond the page is read.
    expect(
      listRequests.mock.calls.every(([options]) => (options?.limit ?? 0) <= 20),
    ).toBe(true);

    await userEvent.click(
      screen.getByRole('button', { name: 'Next table page' }),
    );
    expect(await screen.findByText('db-24')).toBeInTheDocument();
    expect(screen.queryByText('db-44')).not.toBeInTheDocument();
    expect(screen.getByText('21 - 40 of 45')).toBeInTheDocument();
    expect(listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ offset: 20, limit: 20 }),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Next table page' }),
    );
    expect(await screen.findByText('db-00')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(6);
    expect(
      screen.getByRole('button', { name: 'Next table page' }),
    ).toBeDisabled();
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
