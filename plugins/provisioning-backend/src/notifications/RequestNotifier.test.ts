import { mockServices } from '@backstage/backend-test-utils';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { NotificationsRequestNotifier } from './RequestNotifier';

const request: ProvisioningRequest = {
  id: 'r1',
  type: 'postgres',
  name: 'orders',
  owner: 'group:default/checkout-team',
  parameters: {},
  state: 'failed',
  outputs: {},
  createdBy: 'user:default/bob',
  createdAt: '2026-11-26T00:00:00Z',
  updatedAt: '2026-11-26T00:00:00Z',
};

describe('NotificationsRequestNotifier', () => {
  it('tells the requester and the owning team about a failure, with the reason and a link', async () => {
    const send = jest.fn();
    await new NotificationsRequestNotifier(
      { send },
      mockServices.logger.mock(),
    ).notify(request, { type: 'failed', reason: 'target is down' });
    expect(send).toHaveBeenCalledWith({
      recipients: {
        type: 'entity',
        entityRef: ['user:default/bob', 'group:default/checkout-team'],
      },
      payload: expect.objectContaining({
        title: "postgres 'orders' failed",
        description: 'target is down',
        link: '/self-service/requests/r1',
        severity: 'high',
        topic: 'self-service',
      }),
    });
  });

  it('does not notify a service that made the request, only the team', async () => {
    const send = jest.fn();
    await new NotificationsRequestNotifier(
      { send },
      mockServices.logger.mock(),
    ).notify({ ...request, createdBy: 'ci' }, { type: 'ready' });
    expect(send.mock.calls[0][0].recipients.entityRef).toEqual([
      'group:default/checkout-team',
    ]);
  });

  it('never fails the caller when sending fails', async () => {
    const logger = mockServices.logger.mock();
    await new NotificationsRequestNotifier(
      { send: jest.fn().mockRejectedValue(new Error('notifications down')) },
      logger,
    ).notify(request, { type: 'deleted' });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications down'),
    );
  });
});
