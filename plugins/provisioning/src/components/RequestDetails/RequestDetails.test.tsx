import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { requestsRouteRef } from '../../routes';
import {
  aRequest,
  environmentType,
  fakeProvisioningApi,
  postgresType,
  responseError,
  testApis,
} from '../../__testUtils__/fakeProvisioningApi';
import { RequestDetails } from './RequestDetails';
import { absoluteTime } from '@paved/display-react';

// Typing and clicking through dialogs is slow when the machine is busy.
jest.setTimeout(30_000);

const render = (
  api: ReturnType<typeof fakeProvisioningApi>,
  pollIntervalMs = 20,
) =>
  renderInTestApp(<RequestDetails id="r1" pollIntervalMs={pollIntervalMs} />, {
    apis: testApis(api),
    mountedRoutes: {
      '/self-service/requests': requestsRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
  });

const provisioning = (step: string, attempts = 1) =>
  aRequest({
    state: 'provisioning',
    activeOperation: {
      id: 'op-1',
      requestId: 'r1',
      kind: 'provision',
      input: {},
      status: 'running',
      step,
      attempts,
      createdBy: 'user:default/alice',
      createdAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T10:00:00.000Z',
    },
    timeline: [
      {
        id: 1,
        requestId: 'r1',
        type: 'requested',
        message: 'user:default/alice requested postgres orders-db',
        actor: 'user:default/alice',
        createdAt: '2026-11-20T10:00:00.000Z',
      },
    ],
  });

const ready = aRequest({
  state: 'ready',
  outputs: {
    host: 'orders-db.team-a.svc',
    secretName: 'orders-db-credentials',
    secretNamespace: 'team-a',
    password: 'hunter2',
  },
  timeline: [
    ...provisioning('provision').timeline,
    {
      id: 2,
      requestId: 'r1',
      type: 'ready',
      message: 'orders-db is ready',
      actor: 'worker:w1',
      createdAt: '2026-11-20T10:04:00.000Z',
    },
  ],
});

describe('RequestDetails', () => {
  it('polls while the worker provisions, shows the steps, and stops when it is ready', async () => {
    const states = [
      provisioning('provision'),
      provisioning('observe', 2),
      ready,
    ];
    const api = fakeProvisioningApi({
      getRequest: jest.fn(async () => states.shift() ?? ready),
    });
    await render(api);

    expect(
      await screen.findByText(/Provisioning — step 'provision'/),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    expect(
      await screen.findByText(/step 'observe', attempt 2/),
    ).toBeInTheDocument();

    expect(await screen.findByText('orders-db is ready')).toBeInTheDocument();
    expect(screen.getByTestId('request-state')).toHaveAttribute(
      'data-state',
      'ready',
    );
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getByTestId('credentials-location')).toHaveTextContent(
      'Credentials are in Secret orders-db-credentials in namespace team-a',
    );
    expect(screen.getByText('orders-db.team-a.svc')).toBeInTheDocument();
    expect(screen.queryByText(/hunter2/)).not.toBeInTheDocument();

    // Ready is not work in progress: no more reads.
    const calls = api.getRequest.mock.calls.length;
    expect(calls).toBe(3);
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(api.getRequest).toHaveBeenCalledTimes(calls);
  });

  it('names the owning team and the requester, linked to their catalog pages', async () => {
    await render(
      fakeProvisioningApi({ getRequest: jest.fn(async () => ready) }),
    );

    const byline = await screen.findByText(/, requested by/);
    expect(byline).toHaveTextContent(
      /^PostgreSQL database of team-a, requested by alice/,
    );
    expect(
      within(byline).getByRole('link', { name: 'team-a' }),
    ).toHaveAttribute('href', '/catalog/default/group/team-a');
    expect(within(byline).getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    // No entity ref printed raw on the page, also not in the timeline's messages.
    expect(await screen.findByText('orders-db is ready')).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/user:default|group:default/);
  });

  it('links to the Resource the catalog lists for it, until it is deleted', async () => {
    const { unmount } = await render(
      fakeProvisioningApi({ getRequest: jest.fn(async () => ready) }),
    );
    expect(
      await screen.findByRole('link', { name: 'orders-db' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-db');
    unmount();

    // A deleted request has left the catalog.
    await render(
      fakeProvisioningApi({
        getRequest: jest.fn(async () => aRequest({ state: 'deleted' })),
      }),
    );
    expect(await screen.findByTestId('request-state')).toHaveAttribute(
      'data-state',
      'deleted',
    );
    expect(screen.queryByRole('link', { name: 'orders-db' })).toBeNull();
  });

  it('enables Delete only when the name is typed, then deletes and follows the deletion', async () => {
    const states = [
      ready,
      aRequest({ state: 'deleting' }),
      aRequest({ state: 'deleted' }),
    ];
    const api = fakeProvisioningApi({
      getRequest: jest.fn(
        async () => states.shift() ?? aRequest({ state: 'deleted' }),
      ),
    });
    await render(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete' }),
    );
    const confirm = await screen.findByRole('button', {
      name: 'Delete orders-db',
    });
    expect(confirm).toBeDisabled();

    const input = screen.getByLabelText('Type orders-db to confirm');
    await userEvent.type(input, 'orders-d');
    expect(confirm).toBeDisabled();
    await userEvent.type(input, 'b');
    expect(confirm).toBeEnabled();

    await userEvent.click(confirm);
    await waitFor(() => expect(api.deleteRequest).toHaveBeenCalledWith('r1'));
    await waitFor(() =>
      expect(screen.getByTestId('request-state')).toHaveAttribute(
        'data-state',
        'deleted',
      ),
    );
    expect(screen.getByText(/The name is free again/)).toBeInTheDocument();
  });

  it('explains a 403: only members of the owner may delete', async () => {
    const api = fakeProvisioningApi({
      getRequest: jest.fn(async () => ready),
      deleteRequest: jest.fn(async () => {
        throw await responseError(
          403,
          "user:default/bob may not delete postgres 'orders-db' of group:default/team-a",
        );
      }),
    });
    await render(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete' }),
    );
    await userEvent.type(
      await screen.findByLabelText('Type orders-db to confirm'),
      'orders-db',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Delete orders-db' }),
    );

    const hint = await screen.findByText(/can delete this resource/);
    expect(hint).toHaveTextContent(
      /^Only members of team-a \(or platform admins\) can delete this resource/,
    );
    expect(within(hint).getByRole('link', { name: 'team-a' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-a',
    );
    expect(hint).toHaveTextContent(/user:default\/bob may not delete/);
  });

  it('runs a day-2 action with the input of its generated form', async () => {
    const api = fakeProvisioningApi({ getRequest: jest.fn(async () => ready) });
    await render(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Resize' }),
    );
    await userEvent.type(await screen.findByLabelText(/New size \(GB\)/), '50');
    // The dialog is named by the action, and so is its button.
    const dialog = screen.getByRole('dialog', { name: 'Resize' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resize' }),
    );

    await waitFor(() =>
      expect(api.runAction).toHaveBeenCalledWith('r1', 'resize', {
        input: { sizeGb: 50 },
        idempotencyKey: expect.any(String),
      }),
    );
  });

  it('disables day-2 actions while the request is not ready', async () => {
    const api = fakeProvisioningApi({
      getRequest: jest.fn(async () => provisioning('provision')),
    });
    await render(api, 10_000);

    expect(
      await screen.findByRole('button', { name: 'Resize' }),
    ).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Delete' })).toBeDisabled();
  });

  it('shows an action waiting for its approval, holds other actions, and lets an approver decide', async () => {
    const held = aRequest({
      ...ready,
      activeOperation: {
        id: 'op-2',
        requestId: 'r1',
        kind: 'action',
        action: 'resize',
        input: { sizeGb: 400 },
        status: 'pending-approval',
        attempts: 0,
        createdBy: 'user:default/bob',
        createdAt: '2026-11-20T11:00:00.000Z',
        updatedAt: '2026-11-20T11:00:00.000Z',
        approval: {
          group: 'group:default/platform-team',
          reason: "action 'resize' of resource type 'postgres': a big one",
        },
      },
    });
    const api = fakeProvisioningApi({
      getRequest: jest
        .fn()
        .mockResolvedValueOnce(held)
        .mockResolvedValue(ready),
    });
    await render(api, 10_000);

    const notice = await screen.findByTestId('pending-action-approval');
    expect(notice).toHaveTextContent(/Action .resize. waits for approval by/);
    expect(notice).toHaveTextContent(/a big one/);
    expect(screen.getByRole('button', { name: 'Resize' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Delete' })).toBeDisabled();

    await userEvent.click(
      within(notice).getByRole('button', { name: 'Approve resize' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(/Approve action .resize. on postgres/);
    expect(within(dialog).getByLabelText('Action input')).toHaveTextContent(
      '"sizeGb": 400',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Comment/),
      'release window',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(api.approveRequest).toHaveBeenCalledWith('r1', 'release window'),
    );
    await waitFor(() =>
      expect(
        screen.queryByTestId('pending-action-approval'),
      ).not.toBeInTheDocument(),
    );
  });

  it('says so when the request does not exist', async () => {
    const api = fakeProvisioningApi({
      getRequest: jest.fn(async () => {
        throw await responseError(
          404,
          "Provisioning request 'r1' does not exist",
        );
      }),
    });
    await render(api);

    expect(
      await screen.findByText(/There is no request 'r1'/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Back to my resources' }),
    ).toHaveAttribute('href', '/self-service/requests');
  });

  it('shows the live status sections of a ready request and reads them again', async () => {
    const statuses = [
      {
        sections: [
          {
            title: 'Backups',
            items: [
              { label: 'Last backup', value: '3 minutes ago' },
              { label: 'Kept', value: 2 },
            ],
            table: {
              columns: ['Time', 'Size', 'ID'],
              rows: [
                ['2026-11-20T10:00:00.000Z', '1.2 MB', 'b-2'],
                ['2026-11-19T10:00:00.000Z', '1.1 MB', 'b-1'],
              ],
            },
          },
        ],
      },
      {
        sections: [
          { title: 'Backups', message: 'No backup yet: the first runs soon.' },
        ],
      },
    ];
    // The first status until the test has read it, then the second: a poll that
    // came sooner than a busy test's reads would otherwise replace it unseen.
    let current = statuses[0];
    const api = fakeProvisioningApi({
      getRequest: jest.fn(async () => ready),
      getRequestStatus: jest.fn(async () => current),
    });
    await renderInTestApp(
      <RequestDetails id="r1" pollIntervalMs={20} statusPollIntervalMs={50} />,
      {
        apis: testApis(api),
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );

    expect(await screen.findByText('Live status')).toBeInTheDocument();
    expect((await screen.findByText('Last backup')).tagName).toBe('DT');
    expect((await screen.findByText('3 minutes ago')).tagName).toBe('DD');
    const table = screen.getByRole('table', { name: 'Backups' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual(['Time', 'Size', 'ID']);
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('b-1')).toBeInTheDocument();
    expect(api.getRequestStatus).toHaveBeenCalledWith('r1');

    // Polled: the next read replaces the sections.
    current = statuses[1];
    expect(
      await screen.findByText('No backup yet: the first runs soon.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('does not ask for the live status before the request is ready, and hides an empty one', async () => {
    const notReady = fakeProvisioningApi({
      getRequest: jest.fn(async () => provisioning('provision')),
    });
    await render(notReady, 10_000);
    expect(
      await screen.findByText(/Provisioning — step 'provision'/),
    ).toBeInTheDocument();
    expect(notReady.getRequestStatus).not.toHaveBeenCalled();
    expect(screen.queryByText('Live status')).not.toBeInTheDocument();
  });

  it('hides the live status of a type that reports none', async () => {
    const api = fakeProvisioningApi({
      getRequest: jest.fn(async () => ready),
    });
    await render(api);
    await waitFor(() => expect(api.getRequestStatus).toHaveBeenCalled());
    expect(await screen.findByText('orders-db is ready')).toBeInTheDocument();
    expect(screen.queryByText('Live status')).not.toBeInTheDocument();
  });

  describe('expiry', () => {
    const inHours = (hours: number) =>
      new Date(Date.now() + hours * 3_600_000 + 60_000).toISOString();
    const expiring = (hours: number, overrides = {}) =>
      aRequest({
        type: 'environment',
        name: 'preview-1',
        updatedAt: '2026-11-20T10:05:00.000Z',
        expiresAt: inHours(hours),
        ...overrides,
      });
    const withTypes = (
      overrides: Parameters<typeof fakeProvisioningApi>[0] = {},
    ) =>
      fakeProvisioningApi({
        listTypes: jest.fn(async () => [postgresType, environmentType]),
        recordActivity: jest.fn(async () => {
          throw await responseError(403, 'not an owner');
        }),
        ...overrides,
      });

    it('says when the resource expires, as a warning with less than a day left', async () => {
      const request = expiring(5);
      const api = withTypes({ getRequest: jest.fn(async () => request) });
      await render(api);

      const notice = await screen.findByTestId('request-expiry');
      expect(notice).toHaveAttribute('data-status', 'warning');
      expect(notice).toHaveTextContent(
        `Expires in 5 hours (${absoluteTime(request.expiresAt!)})`,
      );
      expect(
        within(notice).getByRole('button', { name: 'Extend' }),
      ).toBeEnabled();
    });

    it('shows a far expiry as information, and none for resources that do not expire', async () => {
      const api = withTypes({ getRequest: jest.fn(async () => expiring(72)) });
      await render(api);
      const notice = await screen.findByTestId('request-expiry');
      expect(notice).toHaveAttribute('data-status', 'info');
      expect(notice).toHaveTextContent(/Expires in 3 days/);
    });

    it('shows no expiry for a resource that does not expire', async () => {
      const api = withTypes({ getRequest: jest.fn(async () => ready) });
      await render(api);
      expect(await screen.findByText('orders-db is ready')).toBeInTheDocument();
      expect(screen.queryByTestId('request-expiry')).not.toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Extend' }),
      ).not.toBeInTheDocument();
    });

    it("extends by the hours given, at most the type's limit, and reads the request again", async () => {
      const extended = expiring(8, { updatedAt: '2026-11-20T11:00:00.000Z' });
      const reads = [expiring(2), extended];
      const api = withTypes({
        listTypes: jest.fn(async () => [
          { ...environmentType, lifetime: { maxHours: 12 } },
        ]),
        getRequest: jest.fn(async () => reads.shift() ?? extended),
        extendRequest: jest.fn(async () => extended),
      });
      await render(api);

      await userEvent.click(
        await screen.findByRole('button', { name: 'Extend' }),
      );
      const dialog = await screen.findByRole('dialog');
      const hours = within(dialog).getByRole('textbox', {
        name: 'Hours from now',
      });
      // The default is a day, but this type allows 12 hours at most.
      expect(hours).toHaveValue('12');
      expect(dialog).toHaveTextContent('at most 12');
      await userEvent.clear(hours);
      await userEvent.type(hours, '8');
      await userEvent.tab();
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Extend' }),
      );

      await waitFor(() =>
        expect(api.extendRequest).toHaveBeenCalledWith('r1', 8),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(await screen.findByTestId('request-expiry')).toHaveTextContent(
        'Expires in 8 hours',
      );
      expect(api.getRequest.mock.calls.length).toBeGreaterThanOrEqual(2);
    });

    it('opens the extension dialog at once for a link with ?extend=1', async () => {
      const api = withTypes({ getRequest: jest.fn(async () => expiring(5)) });
      await renderInTestApp(<RequestDetails id="r1" pollIntervalMs={20} />, {
        apis: testApis(api),
        initialRouteEntries: ['/self-service/requests/r1?extend=1'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      });

      const dialog = await screen.findByRole('dialog');
      expect(dialog).toHaveTextContent('Extend preview-1');
      expect(
        within(dialog).getByRole('textbox', { name: 'Hours from now' }),
      ).toHaveValue('24');
    });

    it('explains a 403 when someone outside the team extends', async () => {
      const api = withTypes({
        getRequest: jest.fn(async () => expiring(5)),
        extendRequest: jest.fn(async () => {
          throw await responseError(
            403,
            "user:default/bob may not extend environment 'preview-1' of group:default/team-a",
          );
        }),
      });
      await render(api);

      await userEvent.click(
        await screen.findByRole('button', { name: 'Extend' }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Extend' }),
      );

      const hint = await within(dialog).findByText(/can extend this resource/);
      expect(hint).toHaveTextContent(
        /^Only members of team-a \(or platform admins\) can extend this resource/,
      );
      expect(
        within(hint).getByRole('link', { name: 'team-a' }),
      ).toHaveAttribute('href', '/catalog/default/group/team-a');
      expect(hint).toHaveTextContent(/bob may not extend/);
      expect(api.extendRequest).toHaveBeenCalledWith('r1', 24);
    });

    it('records activity once when the page opens and shows the moved expiry', async () => {
      const read = expiring(1);
      const moved = { ...read, expiresAt: inHours(24) };
      const api = withTypes({
        getRequest: jest.fn(async () => read),
        recordActivity: jest.fn(async () => moved),
      });
      await render(api);

      await waitFor(() =>
        expect(screen.getByTestId('request-expiry')).toHaveTextContent(
          'Expires tomorrow',
        ),
      );
      expect(screen.getByTestId('request-expiry')).toHaveAttribute(
        'data-status',
        'info',
      );
      await new Promise(resolve => setTimeout(resolve, 100));
      expect(api.recordActivity).toHaveBeenCalledTimes(1);
      expect(api.recordActivity).toHaveBeenCalledWith('r1');
    });

    it('ignores a 403 when someone outside the team visits', async () => {
      const api = withTypes({ getRequest: jest.fn(async () => expiring(5)) });
      await render(api);

      expect(await screen.findByTestId('request-expiry')).toHaveTextContent(
        'Expires in 5 hours',
      );
      await new Promise(resolve => setTimeout(resolve, 100));
      expect(api.recordActivity).toHaveBeenCalledTimes(1);
      expect(screen.queryByText(/not an owner/)).not.toBeInTheDocument();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    });
  });
});
