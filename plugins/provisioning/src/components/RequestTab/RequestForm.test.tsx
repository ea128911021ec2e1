import { coreApis } from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { requestsRouteRef } from '../../routes';
import {
  fakeProvisioningApi,
  postgresType,
  responseError,
  testApis,
} from '../../__testUtils__/fakeProvisioningApi';
import { RequestForm } from './RequestForm';

const render = (
  api = fakeProvisioningApi(),
  groups = ['group:default/team-a'],
) =>
  renderInTestApp(<RequestForm type={postgresType} />, {
    apis: testApis(api, { groups }),
    mountedRoutes: { '/self-service/requests': requestsRouteRef },
    mountPath: '/self-service/request/postgres',
    initialRouteEntries: ['/self-service/request/postgres'],
  });

describe('RequestForm', () => {
  it('submits the name, the owner and the parameters of the generated form, then opens the request', async () => {
    const api = fakeProvisioningApi();
    const { apis } = await render(api);

    await userEvent.type(await screen.findByLabelText(/^Name/), 'orders-db');
    // The user's only group is preselected as the owner.
    expect(screen.getByLabelText(/^Owner/)).toHaveValue('Team A');
    const size = screen.getByLabelText(/Size \(GB\)/);
    await userEvent.clear(size);
    await userEvent.type(size, '20');
    await userEvent.click(screen.getByLabelText(/Nightly backups/));
    await userEvent.click(
      screen.getByRole('button', { name: 'Request PostgreSQL database' }),
    );

    await waitFor(() => expect(api.createRequest).toHaveBeenCalledTimes(1));
    expect(api.createRequest).toHaveBeenCalledWith({
      type: 'postgres',
      name: 'orders-db',
      owner: 'group:default/team-a',
      parameters: { sizeGb: 20, environment: 'development', backups: false },
    });
    await waitFor(() =>
      expect(
        apis.get(coreApis.appHistory)!.getSnapshot().location.pathname,
      ).toBe('/self-service/requests/new-1'),
    );
  });

  it('checks the name before it calls the server', async () => {
    const api = fakeProvisioningApi();
    await render(api);

    await userEvent.type(await screen.findByLabelText(/^Name/), 'Orders_DB');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request PostgreSQL database' }),
    );

    expect(
      await screen.findByText(/must be lowercase letters, digits and dashes/),
    ).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it('validates the parameters against the type schema', async () => {
    const api = fakeProvisioningApi();
    await render(api);

    await userEvent.type(await screen.findByLabelText(/^Name/), 'orders-db');
    const size = screen.getByLabelText(/Size \(GB\)/);
    await userEvent.clear(size);
    await userEvent.type(size, '900');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request PostgreSQL database' }),
    );

    expect(await screen.findByText(/must be <= 500/)).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it('shows the server refusal next to the form, naming the field', async () => {
    const api = fakeProvisioningApi({
      createRequest: jest.fn(async () => {
        throw await responseError(
          409,
          "Quota exceeded: owner: group:default/team-a uses 5 of its quota of 5 for 'postgres'",
        );
      }),
    });
    await render(api);

    await userEvent.type(await screen.findByLabelText(/^Name/), 'orders-db');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request PostgreSQL database' }),
    );

    expect(
      await screen.findByText('The request was refused'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^Quota exceeded: owner: .* uses 5 of its quota of 5/),
    ).toBeInTheDocument();
    // The owner field carries the part of the message that names it.
    expect(
      screen.getByText(/group:default\/team-a uses 5 of its quota/, {
        selector: 'p.MuiFormHelperText-root',
      }),
    ).toBeInTheDocument();
  });

  it('makes the user pick an owner when they are in several groups', async () => {
    const api = fakeProvisioningApi();
    await render(api, ['group:default/team-a', 'group:default/team-b']);

    await userEvent.type(await screen.findByLabelText(/^Name/), 'orders-db');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request PostgreSQL database' }),
    );
    expect(await screen.findByText('is required')).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();

    await userEvent.click(screen.getByLabelText(/^Owner/));
    await userEvent.click(
      await screen.findByRole('option', { name: /Team B/ }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Request PostgreSQL database' }),
    );
    await waitFor(() =>
      expect(api.createRequest).toHaveBeenCalledWith(
        expect.objectContaining({ owner: 'group:default/team-b' }),
      ),
    );
  });
});
