import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import {
  aRun,
  fakeRunbooksApi,
  ordersApi,
  restart,
  testApis,
} from '../__testUtils__/fakeRunbooksApi';
import { EntityRunbooksContent } from './EntityRunbooksContent';

const render = (api = fakeRunbooksApi()) =>
  renderInTestApp(
    <EntityProvider entity={ordersApi}>
      <EntityRunbooksContent />
    </EntityProvider>,
    {
      apis: testApis(api) as any,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );

describe('the Runbooks tab', () => {
  it('lists the runbooks that apply, each running from its prefilled form', async () => {
    const api = fakeRunbooksApi({
      listRunbooks: jest.fn(async () => [restart]),
    });
    render(api);
    expect(await screen.findByText('Restart deployment')).toBeInTheDocument();
    expect(screen.getByText('changes things')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Run Restart deployment' }),
    ).toHaveAttribute('href', restart.link);
    expect(api.listRunbooks).toHaveBeenCalledWith(
      'component:default/orders-api',
    );
  });

  it('shows the past runs: who, when, parameters, outcome, duration and the task log', async () => {
    render(
      fakeRunbooksApi({
        listRunbooks: jest.fn(async () => [restart]),
        listRuns: jest.fn(async () => [
          aRun(),
          aRun({
            taskId: 't0',
            outcome: 'failed',
            createdBy: 'user:default/dave',
            durationMs: 125_000,
            link: '/create/tasks/t0',
          }),
        ]),
      }),
    );
    const table = (await screen.findByText('Past runs')).closest(
      'div[class*="MuiPaper"]',
    ) as HTMLElement;
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Restart deployment')).toBeInTheDocument();
    // Who ran it by name, linked to their catalog page.
    expect(within(rows[0]).getByRole('link', { name: 'bob' })).toHaveAttribute(
      'href',
      '/catalog/default/user/bob',
    );
    expect(rows[0]).not.toHaveTextContent('user:default/bob');
    expect(within(rows[0]).getByText('5 minutes ago')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('deployment=orders-api'),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText('completed')).toBeInTheDocument();
    expect(within(rows[0]).getByText('42s')).toBeInTheDocument();
    expect(
      within(rows[0]).getByRole('link', { name: 'Task log' }),
    ).toHaveAttribute('href', '/create/tasks/t1');
    expect(within(rows[1]).getByText('failed')).toBeInTheDocument();
    expect(within(rows[1]).getByText('2m 5s')).toBeInTheDocument();
  });

  it('says what to do when no runbook applies and none has run', async () => {
    render();
    expect(
      await screen.findByText('No runbooks apply to this component'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No runbook has been run on this component yet/),
    ).toBeInTheDocument();
  });

  it('shows an open incident on the component at the top, with a link', async () => {
    render(
      fakeRunbooksApi({
        listOpenIncidents: jest.fn(async () => [
          {
            id: 'i1',
            entityRef: 'component:default/orders-api',
            owner: 'group:default/payments-team',
            severity: 'sev1' as const,
            status: 'investigating' as const,
            summary: 'Checkout is down',
            openedBy: 'user:default/bob',
            openedAt: new Date().toISOString(),
          },
        ]),
      }),
    );
    expect(
      await screen.findByText(/Open SEV1 incident: Checkout is down/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open the incident' }),
    ).toHaveAttribute('href', '/incidents/i1');
  });
});
