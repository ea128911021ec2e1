import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { requestsRouteRef } from '../../routes';
import {
  aRequest,
  fakeProvisioningApi,
  testApis,
} from '../../__testUtils__/fakeProvisioningApi';
import { ApprovalsTab } from './ApprovalsTab';

// Typing and clicking through dialogs is slow when the machine is busy.
jest.setTimeout(30_000);

const pendingFor = (group: string, id: string, createdBy: string) =>
  aRequest({
    id,
    name: `${id}-db`,
    state: 'pending-approval',
    createdBy,
    approval: {
      group,
      reason: "rule 'production': parameters.environment is 'production'",
    },
  });

describe('ApprovalsTab', () => {
  it("lists the requests routed to the user's groups, except their own, and approves with a comment", async () => {
    let pending = [
      pendingFor('group:default/platform-team', 'p1', 'user:default/bob'),
      pendingFor('group:default/platform-team', 'p2', 'user:default/alice'),
    ];
    const api = fakeProvisioningApi({
      listRequests: jest.fn(async ({ approvalGroup } = {}) => {
        const items =
          approvalGroup === 'group:default/platform-team' ? pending : [];
        return { items, totalCount: items.length };
      }),
      approveRequest: jest.fn(async id => {
        pending = pending.filter(r => r.id !== id);
        return aRequest({ id, state: 'provisioning' });
      }),
    });
    await renderInTestApp(<ApprovalsTab />, {
      apis: testApis(api, {
        user: 'user:default/alice',
        groups: ['group:default/platform-team'],
      }),
      mountedRoutes: {
        '/self-service/requests': requestsRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });

    expect(await screen.findByText('postgres p1-db')).toBeInTheDocument();
    // Who asked, and for which team, by name and linked to their pages.
    const [, row] = screen.getAllByRole('row');
    expect(within(row).getByRole('link', { name: 'bob' })).toHaveAttribute(
      'href',
      '/catalog/default/user/bob',
    );
    expect(within(row).getByRole('link', { name: 'team-a' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-a',
    );
    expect(row).not.toHaveTextContent(/user:default|group:default/);
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({
        state: ['pending-approval'],
        approvalGroup: 'group:default/platform-team',
      }),
    );
    // Alice made p2; another member decides on it.
    expect(screen.queryByText('postgres p2-db')).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Approve p1-db' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(/Requested by bob for team-a\./);
    await userEvent.type(
      within(dialog).getByLabelText(/Comment/),
      'Sized right for production',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    await waitFor(() =>
      expect(api.approveRequest).toHaveBeenCalledWith(
        'p1',
        'Sized right for production',
      ),
    );
    expect(
      await screen.findByText('Nothing waits for your approval'),
    ).toBeInTheDocument();
  });

  it('needs a comment to reject', async () => {
    const api = fakeProvisioningApi({
      listRequests: jest.fn(async () => ({
        items: [pendingFor('group:default/team-a', 'p1', 'user:default/bob')],
        totalCount: 1,
      })),
    });
    await renderInTestApp(<ApprovalsTab />, {
      apis: testApis(api),
      mountedRoutes: {
        '/self-service/requests': requestsRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject p1-db' }),
    );
    const dialog = await screen.findByRole('dialog');
    const reject = within(dialog).getByRole('button', { name: 'Reject' });
    expect(reject).toBeDisabled();

    await userEvent.type(
      within(dialog).getByLabelText(/Comment/),
      'Use the shared dev cluster instead',
    );
    expect(reject).toBeEnabled();
    await userEvent.click(reject);
    await waitFor(() =>
      expect(api.rejectRequest).toHaveBeenCalledWith(
        'p1',
        'Use the shared dev cluster instead',
      ),
    );
  });

  it('says when nothing waits', async () => {
    await renderInTestApp(<ApprovalsTab />, {
      apis: testApis(fakeProvisioningApi()),
      mountedRoutes: {
        '/self-service/requests': requestsRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
    await waitFor(() =>
      expect(
        screen.getByText('Nothing waits for your approval'),
      ).toBeInTheDocument(),
    );
    expect(screen.getByText(/Your own requests never do/)).toBeInTheDocument();
  });
});
