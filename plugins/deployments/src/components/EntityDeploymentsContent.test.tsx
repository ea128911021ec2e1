import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  devCurrent,
  environments,
  fakeDeploymentsApi,
  httpError,
  orders,
  record,
  testApis,
} from '../__testUtils__/fakeDeploymentsApi';
import { EntityDeploymentsContent } from './EntityDeploymentsContent';

const render = (api = fakeDeploymentsApi()) =>
  renderInTestApp(
    <EntityProvider entity={orders}>
      <EntityDeploymentsContent pollIntervalMs={20} />
    </EntityProvider>,
    {
      apis: testApis(api) as any,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );

// A whole tab with charts on a busy 2-core machine.
jest.setTimeout(20_000);

describe('the Deployments tab of a component', () => {
  it('shows what runs where, by stage, with the failed latest and its reason', async () => {
    const api = fakeDeploymentsApi();
    await render(api);

    const cards = await screen.findAllByTestId('environment-card');
    expect(cards.map(c => c.getAttribute('data-environment'))).toEqual([
      'orders-dev',
      'orders-staging',
    ]);
    expect(api.listEnvironments).toHaveBeenCalledWith(
      'component:default/orders',
    );
    // Once deployed, later versions are deployed from the tab.
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeInTheDocument();
    const dev = within(cards[0]);
    expect(dev.getByTestId('environment-image')).toHaveTextContent(
      'ghcr.io/acme/orders:1.4.2',
    );
    expect(dev.getByText('a1b2c3d')).toBeInTheDocument();
    expect(dev.getByText('Development')).toBeInTheDocument();
    expect(dev.getByTestId('environment-request-link')).toHaveAttribute(
      'href',
      '/self-service/requests/r-dev',
    );
    expect(
      dev.getByRole('button', { name: 'Promote to orders-staging' }),
    ).toBeEnabled();

    const staging = within(cards[1]);
    expect(staging.getByTestId('environment-latest')).toHaveTextContent(
      'Deployment of ghcr.io/acme/orders:1.4.2 failed: ReplicaFailure: exceeded quota',
    );
    expect(staging.getByText('Staging')).toBeInTheDocument();
    expect(
      staging.getByRole('button', { name: 'Promote to orders-prod' }),
    ).toBeInTheDocument();
  });

  it('lists the history with status, duration and who', async () => {
    await render();
    const table = await screen.findByTestId('deployment-history');
    await waitFor(() =>
      expect(within(table).getAllByTestId('deployment-status')).toHaveLength(4),
    );
    expect(
      within(table)
        .getAllByTestId('deployment-status')
        .map(s => s.getAttribute('data-status')),
    ).toEqual(['failed', 'succeeded', 'succeeded', 'succeeded']);
    expect(within(table).getByText('Promotion')).toBeInTheDocument();
    expect(within(table).getAllByText('42s').length).toBeGreaterThan(0);
    expect(
      within(table).getByText('ghcr.io/acme/orders:1.4.0'),
    ).toBeInTheDocument();
  });

  it('says what to do when nothing was deployed yet', async () => {
    const api = fakeDeploymentsApi({
      listEnvironments: jest.fn(async () => []),
      listDeployments: jest.fn(async () => []),
    });
    await render(api);
    const empty = await screen.findByTestId('deployments-empty');
    expect(within(empty).getByText('No deployments yet')).toBeInTheDocument();
    // A first deployment needs the Score workload, which the Deploy dialog does
    // not send: the tab points at CI and the golden paths instead of offering it.
    expect(empty).toHaveTextContent(
      "The first deployment sends the component's Score workload (its score.yaml), so it comes from the component's CI, with POST /api/provisioning/deployments, or from a golden path",
    );
    expect(
      within(empty).getByRole('link', { name: 'golden path' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/paved-portal/golden-paths/',
    );
    expect(
      within(empty).getByRole('link', { name: 'How to deploy' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/paved-portal/deployments/#from-template-to-running-service',
    );
    expect(
      screen.queryByRole('button', { name: 'Deploy' }),
    ).not.toBeInTheDocument();
  });

  it('deploys and follows the rollout until it finishes', async () => {
    const rolling = record({
      id: 'd9',
      operationId: 'op-new',
      image: 'ghcr.io/acme/orders:1.5.0',
      status: 'in-progress',
      finishedAt: undefined,
    });
    const done = {
      ...rolling,
      status: 'succeeded' as const,
      finishedAt: '2026-11-25T10:00:05.000Z',
    };
    let polls = 0;
    const api = fakeDeploymentsApi({
      listEnvironments: jest.fn(async () => {
        polls += 1;
        if (polls < 2) return environments;
        const dev = { ...environments[1] };
        if (polls < 4) {
          dev.latest = rolling;
        } else {
          dev.current = done;
          dev.latest = undefined;
        }
        return [environments[0], dev];
      }),
    });
    await render(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Deploy to orders-dev' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Deploy' });
    expect(within(dialog).getByLabelText(/Environment/)).toHaveValue(
      'orders-dev',
    );
    const image = within(dialog).getByLabelText(/Image/);
    expect(image).toHaveValue(devCurrent.image);
    // fireEvent.change, not userEvent.type: typing key by key takes seconds here.
    fireEvent.change(image, { target: { value: 'ghcr.io/acme/orders:1.5.0' } });
    fireEvent.change(within(dialog).getByLabelText(/Git ref/), {
      target: { value: 'cafe123' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );

    expect(api.deploy).toHaveBeenCalledWith({
      component: 'component:default/orders',
      environment: 'orders-dev',
      image: 'ghcr.io/acme/orders:1.5.0',
      gitRef: 'cafe123',
    });
    expect(
      await screen.findByText(
        /Deploying ghcr.io\/acme\/orders:1.5.0 to orders-dev…/,
      ),
    ).toBeInTheDocument();
    await waitFor(
      () =>
        expect(screen.getByTestId('deployment-progress')).toHaveAttribute(
          'data-status',
          'succeeded',
        ),
      { timeout: 5000 },
    );
    expect(screen.getByTestId('deployment-progress')).toHaveTextContent(
      'Deploying ghcr.io/acme/orders:1.5.0 to orders-dev: done in 5s.',
    );
    // The history is read again once it finished.
    expect(api.listDeployments.mock.calls.length).toBeGreaterThanOrEqual(3);
    const polledSoFar = polls;
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(polls).toBe(polledSoFar);
  });

  it('refuses a bad image in the form, naming it, and sends nothing', async () => {
    const api = fakeDeploymentsApi();
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deploy to orders-dev' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Deploy' });
    const image = within(dialog).getByLabelText(/Image/);
    fireEvent.change(image, { target: { value: 'Orders App:latest' } });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );
    expect(
      within(dialog).getByText(
        /image: "Orders App:latest" is not a valid image reference/,
      ),
    ).toBeInTheDocument();
    expect(image).toHaveAttribute('aria-invalid', 'true');
    expect(api.deploy).not.toHaveBeenCalled();
  });

  it("shows the server's refusal with its message", async () => {
    const api = fakeDeploymentsApi({
      deploy: jest.fn(async () => {
        throw await httpError(
          403,
          "parameters.environmentName: you may not deploy to 'orders-prod'",
        );
      }),
    });
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deploy to orders-staging' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Deploy' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );
    const error = await within(dialog).findByTestId('deployments-error');
    expect(error).toHaveTextContent('The deployment was refused');
    expect(error).toHaveTextContent(
      "parameters.environmentName: you may not deploy to 'orders-prod'",
    );
  });

  it('rolls back after confirming, naming what it puts back', async () => {
    const api = fakeDeploymentsApi();
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back orders-dev' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Roll back orders-dev?',
    });
    await waitFor(() =>
      expect(dialog).toHaveTextContent(
        'Puts back ghcr.io/acme/orders:1.4.0 (0ld0ld0), the previous deployment that succeeded here.',
      ),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    expect(api.rollback).toHaveBeenCalledWith({
      component: 'component:default/orders',
      environment: 'orders-dev',
    });
    expect(
      await screen.findByText(/Rolling back orders-dev…/),
    ).toBeInTheDocument();
  });

  it('promotes to the next environment', async () => {
    const api = fakeDeploymentsApi();
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Promote to orders-staging' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote to orders-staging?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote to orders-staging' }),
    );
    expect(api.promote).toHaveBeenCalledWith({
      component: 'component:default/orders',
      from: 'orders-dev',
      to: 'orders-staging',
    });
  });

  it('shows the delivery figures of the component', async () => {
    const api = fakeDeploymentsApi();
    await render(api);
    const panel = await screen.findByTestId('dora-panel');
    expect(api.getDora).toHaveBeenCalledWith({
      component: 'component:default/orders',
      owner: undefined,
      weeks: 12,
    });
    expect(
      within(panel).getByTestId('dora-deployment-frequency'),
    ).toHaveTextContent('2.5 / week');
    expect(
      within(panel).getByRole('img', { name: 'Deployments per week' }),
    ).toBeInTheDocument();
  });
});
