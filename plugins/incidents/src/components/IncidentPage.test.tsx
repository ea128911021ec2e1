import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { rootRouteRef } from '../routes';
import {
  anIncident,
  details,
  fakeIncidentsApi,
  testApis,
} from '../__testUtils__/fakeIncidentsApi';
import { IncidentPage } from './IncidentPage';

const render = (api = fakeIncidentsApi()) =>
  renderInTestApp(<IncidentPage id="i1" />, {
    apis: testApis(api) as any,
    mountedRoutes: {
      '/incidents': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
  });

describe('an incident page', () => {
  it('shows the timeline with the runbook runs, linking to their task logs', async () => {
    const api = fakeIncidentsApi({
      getIncident: jest.fn(async () =>
        details({
          timeline: [
            ...details().timeline,
            {
              type: 'runbook-run',
              message:
                'user:default/bob ran the runbook Restart deployment: completed in 42s',
              actor: 'user:default/bob',
              at: '2026-11-20T10:05:00.000Z',
              runbookRun: {
                taskId: 't1',
                templateRef: 'template:default/restart-deployment',
                templateTitle: 'Restart deployment',
                outcome: 'completed',
                durationMs: 42_000,
                link: '/create/tasks/t1',
              },
            },
          ],
        }),
      ),
    });
    render(api);
    expect(
      await screen.findByRole('heading', { name: 'Checkout fails with 502' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/ran the runbook Restart deployment/),
    ).toBeInTheDocument();
    // People by name and linked to their page, in the messages too: no entity ref
    // is printed raw.
    const timeline = screen.getByRole('list', { name: 'Timeline' });
    expect(timeline).toHaveTextContent(
      'bob ran the runbook Restart deployment: completed in 42s',
    );
    expect(timeline).toHaveTextContent(
      'bob opened a sev2 incident: Checkout fails with 502',
    );
    expect(
      within(timeline).getAllByRole('link', { name: 'bob' })[0],
    ).toHaveAttribute('href', '/catalog/default/user/bob');
    expect(document.body).not.toHaveTextContent(/user:default|group:default/);
    expect(screen.getByRole('link', { name: 'Task log' })).toHaveAttribute(
      'href',
      '/create/tasks/t1',
    );
  });

  it('says when the runbook runs could not be loaded', async () => {
    render(
      fakeIncidentsApi({
        getIncident: jest.fn(async () =>
          details({
            runbookRunsError:
              'Runbook runs could not be loaded: the runbooks service did not answer.',
          }),
        ),
      }),
    );
    expect(
      await screen.findByText(/Runbook runs could not be loaded/),
    ).toBeInTheDocument();
  });

  it('adds a note, changes the status and resolves with a cause', async () => {
    const api = fakeIncidentsApi();
    render(api);
    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Note' }),
      'Rolled back',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() =>
      expect(api.addNote).toHaveBeenCalledWith('i1', 'Rolled back'),
    );

    await userEvent.selectOptions(
      await screen.findByLabelText('Status'),
      'monitoring',
    );
    await waitFor(() =>
      expect(api.setStatus).toHaveBeenCalledWith('i1', 'monitoring'),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Resolve' }),
    );
    const resolveButtons = screen.getAllByRole('button', { name: 'Resolve' });
    const confirm = resolveButtons[resolveButtons.length - 1];
    expect(confirm).toBeDisabled();
    await userEvent.type(
      screen.getByRole('textbox', { name: /Cause/ }),
      'Bad pool size',
    );
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(api.resolve).toHaveBeenCalledWith(
        'i1',
        'Bad pool size',
        undefined,
      ),
    );
  }, 20_000);

  it('shows how a resolved incident ended', async () => {
    render(
      fakeIncidentsApi({
        getIncident: jest.fn(async () =>
          details({
            ...anIncident({
              status: 'resolved',
              resolvedBy: 'user:default/bob',
              resolvedAt: '2026-11-20T11:00:00.000Z',
              cause: 'Bad pool size',
              timeToRestoreMs: 3_600_000,
            }),
          }),
        ),
      }),
    );
    expect(await screen.findByText('Cause: Bad pool size')).toBeInTheDocument();
    expect(screen.getByText(/^By\s/)).toHaveTextContent(/^By bob at /);
    expect(screen.getByText(/Restored in 1h 0m/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add note' })).toBeNull();
  });
});
