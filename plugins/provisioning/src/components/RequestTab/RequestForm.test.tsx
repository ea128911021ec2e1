import { coreApis } from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResourceTypeInfo } from '@paved/plugin-provisioning-common';
import { requestsRouteRef } from '../../routes';
import {
  fakeProvisioningApi,
  postgresType,
  responseError,
  testApis,
} from '../../__testUtils__/fakeProvisioningApi';
import { RequestForm } from './RequestForm';

// Typing into several fields is slow when the machine is busy.
jest.setTimeout(30_000);

const render = (
  api = fakeProvisioningApi(),
  groups = ['group:default/team-a'],
  type: ResourceTypeInfo = postgresType,
) =>
  renderInTestApp(<RequestForm type={type} />, {
    apis: testApis(api, { groups }),
    mountedRoutes: { '/self-service/requests': requestsRouteRef },
    mountPath: `/self-service/request/${type.id}`,
    initialRouteEntries: [`/self-service/request/${type.id}`],
  });

/** A type whose parameters are a list of objects, as the queues of a queue request. */
const queueType: ResourceTypeInfo = {
  id: 'rabbitmq-queue',
  title: 'RabbitMQ queues',
  description: 'Durable queues in a virtual host of their own.',
  catalogType: 'queue',
  parameters: {
    type: 'object',
    required: ['queues'],
    properties: {
      queues: {
        type: 'array',
        title: 'Queues',
        minItems: 1,
        items: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', title: 'Queue name' },
            deadLetter: {
              type: 'boolean',
              title: 'Dead-letter queue',
              default: false,
            },
          },
        },
      },
    },
  },
  actions: [],
};

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

  it('lists objects without numbered titles, with a labelled add button and the needed item kept', async () => {
    const api = fakeProvisioningApi();
    await render(api, undefined, queueType);

    await userEvent.type(
      await screen.findByLabelText(/^Name/),
      'orders-events',
    );
    // The one queue the list needs is there from the start, and cannot be removed.
    const names = () => screen.getAllByRole('textbox', { name: /Queue name/ });
    expect(names()).toHaveLength(1);
    expect(screen.queryByText(/Queues-1/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();

    await userEvent.type(names()[0], 'orders.created');
    await userEvent.click(
      screen.getByRole('button', { name: 'Add to queues' }),
    );
    expect(names()).toHaveLength(2);
    expect(screen.queryByText(/Queues-2/)).not.toBeInTheDocument();
    // With two, either can go.
    expect(screen.getAllByRole('button', { name: 'Remove' })).toHaveLength(2);
    await userEvent.type(names()[1], 'orders.shipped');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request RabbitMQ queues' }),
    );

    await waitFor(() => expect(api.createRequest).toHaveBeenCalledTimes(1));
    expect(api.createRequest).toHaveBeenCalledWith(
      expect.objectContaining({
        parameters: {
          queues: [
            { name: 'orders.created', deadLetter: false },
            { name: 'orders.shipped', deadLetter: false },
          ],
        },
      }),
    );
  });
});
