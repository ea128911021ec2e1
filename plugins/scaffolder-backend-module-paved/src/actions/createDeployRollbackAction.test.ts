import { NotFoundError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ProvisioningOperation,
  ProvisioningRequestDetails,
} from '@paved/plugin-provisioning-common';
import {
  operation,
  provisioningAnswering,
  request as workloadRequest,
} from '../__testUtils__/workloadRequests';
import { createDeployAction } from './createDeployAction';
import { createDeployRollbackAction } from './createDeployRollbackAction';

const request = (
  state: ProvisioningRequestDetails['state'],
  operations: ProvisioningOperation[],
) =>
  workloadRequest(
    state,
    ['rolling back to ghcr.io/acme/orders-api:1.0.0'],
    operations,
  );

const input = {
  component: 'component:default/orders-api',
  environment: 'orders-api-dev',
};

function make(states: ProvisioningRequestDetails[], rollback: jest.Mock) {
  return createDeployRollbackAction({
    deployments: { rollback },
    provisioning: provisioningAnswering(states),
    appBaseUrl: 'http://portal.test',
    pollIntervalMs: 1,
  });
}

describe('paved:deploy:rollback', () => {
  it('rolls back as the user, follows the rollout and links to it', async () => {
    const rollback = jest.fn().mockResolvedValue({
      requestId: 'req-1',
      operationId: 'op-1',
      state: 'updating',
    });
    const action = make(
      [
        request('updating', [operation('running')]),
        request('ready', [operation('succeeded')]),
      ],
      rollback,
    );
    const ctx = createMockActionContext<any, any>({ input });
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx);
    expect(rollback).toHaveBeenCalledTimes(1);
    expect(rollback.mock.calls[0][0]).toEqual(input);
    expect(rollback.mock.calls[0][1]).toBeDefined();
    expect(ctx.output).toHaveBeenCalledWith(
      'requestUrl',
      'http://portal.test/self-service/requests/req-1',
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
    expect(info.mock.calls.map(c => c[0]).join('\n')).toContain(
      'rolling back to ghcr.io/acme/orders-api:1.0.0',
    );
  });

  it("fails with the rollout's reasons, and turns a refusal into an input error naming the field", async () => {
    const failing = make(
      [request('ready', [operation('failed', 'exceeded quota')])],
      jest.fn().mockResolvedValue({
        requestId: 'req-1',
        operationId: 'op-1',
        state: 'updating',
      }),
    );
    await expect(
      failing.handler(createMockActionContext<any, any>({ input })),
    ).rejects.toThrow('The deployment failed: exceeded quota');

    const refused = make(
      [],
      jest
        .fn()
        .mockRejectedValue(
          new NotFoundError(
            "environment: component:default/orders-api has never been deployed to 'orders-api-dev'",
          ),
        ),
    );
    await expect(
      refused.handler(createMockActionContext<any, any>({ input })),
    ).rejects.toThrow(/environment: .*never been deployed/);
  });

  it('changes nothing in a dry run', async () => {
    const rollback = jest.fn();
    const action = make([], rollback);
    await action.handler({
      ...createMockActionContext<any, any>({ input }),
      isDryRun: true,
    });
    expect(rollback).not.toHaveBeenCalled();
  });
});

describe('paved:deploy with newestWorkload', () => {
  it("sends no workload (the API deploys the newest deployment's) and needs no Score file", async () => {
    const deploy = jest.fn().mockResolvedValue({
      requestId: 'req-1',
      operationId: 'op-1',
      state: 'updating',
    });
    const action = createDeployAction({
      deployments: { deploy, rollback: jest.fn() },
      provisioning: {
        listTypes: jest.fn(),
        createRequest: jest.fn(),
        getRequest: jest
          .fn()
          .mockResolvedValue(request('ready', [operation('succeeded')])),
      },
      appBaseUrl: '',
      pollIntervalMs: 1,
    });
    const ctx = createMockActionContext<any, any>({
      input: {
        ...input,
        image: 'ghcr.io/acme/orders-api:2.0.0',
        gitRef: 'v2',
        newestWorkload: true,
      },
    });
    await action.handler(ctx);
    expect(deploy.mock.calls[0][0]).toEqual({
      ...input,
      image: 'ghcr.io/acme/orders-api:2.0.0',
      gitRef: 'v2',
      workload: undefined,
    });
    expect(ctx.output).toHaveBeenCalledWith('status', 'succeeded');
  });
});
