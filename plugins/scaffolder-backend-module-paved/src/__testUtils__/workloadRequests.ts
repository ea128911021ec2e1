/*
 * Shared by the tests of paved:deploy and paved:deploy:rollback: a workload request
 * as the provisioning API returns it, and a provisioning client that answers each
 * GET with the next of a list of them.
 */
import {
  ProvisioningOperation,
  ProvisioningRequestDetails,
} from '@paved/plugin-provisioning-common';

/** The rollout's operation (`op-1` of request `req-1`). */
export const operation = (
  status: ProvisioningOperation['status'],
  lastError?: string,
): ProvisioningOperation => ({
  id: 'op-1',
  requestId: 'req-1',
  kind: 'action',
  action: 'deploy',
  input: {},
  status,
  attempts: 1,
  lastError,
  createdBy: 'user:default/mock',
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
});

/** Workload request `req-1` in `state`, with a timeline of `events` (messages). */
export const request = (
  state: ProvisioningRequestDetails['state'],
  events: string[],
  operations: ProvisioningOperation[],
): ProvisioningRequestDetails => ({
  id: 'req-1',
  type: 'workload',
  name: 'orders-api-dev-orders-api',
  owner: 'group:default/checkout-team',
  parameters: {},
  state,
  outputs: {},
  createdBy: 'user:default/mock',
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
  timeline: events.map((message, index) => ({
    id: index + 1,
    requestId: 'req-1',
    type: 'step',
    message,
    createdAt: '2026-12-01T00:00:00Z',
  })),
  operations,
});

/** A provisioning client whose getRequest answers with the next of `states` (the last one again at the end). */
export const provisioningAnswering = (
  states: ProvisioningRequestDetails[],
) => ({
  listTypes: jest.fn(),
  createRequest: jest.fn(),
  getRequest: jest
    .fn()
    .mockImplementation(async () =>
      states.length > 1 ? states.shift() : states[0],
    ),
});
