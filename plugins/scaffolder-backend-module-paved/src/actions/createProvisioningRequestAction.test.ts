import { ResponseError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ProvisioningRequestDetails } from '@paved/plugin-provisioning-common';
import { ProvisioningClient } from '../provisioning/ProvisioningClient';
import { createProvisioningRequestAction } from './createProvisioningRequestAction';

function requestIn(
  state: ProvisioningRequestDetails['state'],
  events: string[],
  extra: Partial<ProvisioningRequestDetails> = {},
): ProvisioningRequestDetails {
  return {
    id: 'req-1',
    type: 'postgres',
    name: 'orders',
    owner: 'group:default/checkout-team',
    parameters: {},
    state,
    outputs: state === 'ready' ? { secretName: 'orders-postgres' } : {},
    createdBy: 'user:default/bob',
    createdAt: '2026-11-26T00:00:00Z',
    updatedAt: '2026-11-26T00:00:00Z',
    timeline: events.map((message, index) => ({
      id: index + 1,
      requestId: 'req-1',
      type: 'step',
      message,
      createdAt: '2026-11-26T00:00:00Z',
    })),
    operations: [],
    ...extra,
  };
}

/** A provisioning API that answers each GET with the next of `states`. */
function fakeClient(states: ProvisioningRequestDetails[]) {
  return {
    listTypes: jest.fn().mockResolvedValue([
      {
        id: 'postgres',
        title: 'PostgreSQL database',
        description: '',
        catalogType: 'database',
        parameters: {},
        actions: [],
      },
    ]),
    createRequest: jest.fn().mockResolvedValue(states[0]),
    getRequest: jest
      .fn()
      .mockImplementation(async () => states.shift() ?? states[0]),
  };
}

const input = {
  type: 'postgres',
  name: 'orders',
  owner: 'group:default/checkout-team',
  parameters: { connectionLimit: 5 },
};

describe('paved:provisioning:request', () => {
  const make = (client: ProvisioningClient) =>
    createProvisioningRequestAction({
      client,
      appBaseUrl: 'http://portal.test',
      pollIntervalMs: 1,
    });

  it('files the request as the user, logs each new timeline event once, and ends when ready', async () => {
    const client = fakeClient([
      requestIn('provisioning', ['requested']),
      requestIn('provisioning', ['requested', 'role created']),
      requestIn('ready', ['requested', 'role created', 'ready']),
    ]);
    const ctx = createMockActionContext<any, any>({ input });
    const info = jest.spyOn(ctx.logger, 'info');
    await make(client).handler(ctx);

    expect(client.createRequest).toHaveBeenCalledWith(
      input,
      await ctx.getInitiatorCredentials(),
    );
    const lines = info.mock.calls.map(([line]) => String(line));
    expect(
      lines.filter(line => line.endsWith('step: role created')),
    ).toHaveLength(1);
    expect(ctx.output).toHaveBeenCalledWith(
      'requestUrl',
      'http://portal.test/self-service/requests/req-1',
    );
    expect(ctx.output).toHaveBeenCalledWith('state', 'ready');
    expect(ctx.output).toHaveBeenCalledWith('outputs', {
      secretName: 'orders-postgres',
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'resource:default/orders',
    );
  });

  it('ends the step when the request waits for an approval, naming the approvers', async () => {
    const client = fakeClient([
      requestIn('pending-approval', ['requested'], {
        approval: {
          group: 'group:default/platform-team',
          reason: 'production databases need a platform-team approval',
        },
      }),
    ]);
    const ctx = createMockActionContext<any, any>({ input });
    const info = jest.spyOn(ctx.logger, 'info');
    await make(client).handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('state', 'pending-approval');
    expect(info.mock.calls.map(([line]) => String(line)).join('\n')).toContain(
      'Waiting for an approval by group:default/platform-team',
    );
  });

  it('fails with the reason when provisioning fails', async () => {
    const client = fakeClient([
      requestIn('failed', ['requested'], { lastError: 'target is down' }),
    ]);
    await expect(
      make(client).handler(createMockActionContext<any, any>({ input })),
    ).rejects.toThrow('The request ended failed: target is down');
  });

  it("passes the API's refusal (which names the field) on as the step's error", async () => {
    const client = fakeClient([]);
    client.createRequest.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: "name: 'Bad Name' is not valid",
            },
          }),
          { status: 400, headers: { 'content-type': 'application/json' } },
        ),
      ),
    );
    await expect(
      make(client).handler(createMockActionContext<any, any>({ input })),
    ).rejects.toThrow("name: 'Bad Name' is not valid");
  });

  it('checks the type in a dry run without filing anything', async () => {
    const client = fakeClient([]);
    const ctx = createMockActionContext<any, any>({
      input: { ...input, type: 'kafka' },
    });
    await expect(
      make(client).handler({ ...ctx, isDryRun: true }),
    ).rejects.toThrow(
      "type 'kafka' is not a resource type of this portal; known: postgres",
    );
    expect(client.createRequest).not.toHaveBeenCalled();
  });
});
