import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { stepRequestOf } from './stepRequestOf';

describe('stepRequestOf', () => {
  it("keeps what was asked and by whom, and none of the request's state, outputs or approval", () => {
    const stored: ProvisioningRequest = {
      id: 'r1',
      type: 'postgres',
      name: 'orders-db',
      owner: 'group:default/checkout-team',
      parameters: { environment: 'staging' },
      state: 'ready',
      outputs: { host: 'db.internal' },
      createdBy: 'user:default/bob',
      createdAt: '2026-11-26T03:00:00.000Z',
      updatedAt: '2026-11-26T03:05:00.000Z',
      lastError: 'earlier failure',
      expiresAt: '2026-12-26T03:00:00.000Z',
    };

    expect(stepRequestOf(stored)).toStrictEqual({
      id: 'r1',
      type: 'postgres',
      name: 'orders-db',
      owner: 'group:default/checkout-team',
      parameters: { environment: 'staging' },
      createdBy: 'user:default/bob',
    });
  });
});
