import {
  ProvisioningOperation,
  ProvisioningRequest,
} from '@paved/plugin-provisioning-common';
import { OperationOutcome } from '../database/OperationQueue';

/** How a finished operation leaves its request. */
export function successOf(
  request: ProvisioningRequest,
  operation: ProvisioningOperation,
): OperationOutcome {
  const what = `${request.type} '${request.name}'`;
  switch (operation.kind) {
    case 'provision':
      return {
        status: 'succeeded',
        requestState: 'ready',
        event: { type: 'ready', message: `Provisioned ${what}` },
      };
    case 'action':
      return {
        status: 'succeeded',
        requestState: 'ready',
        event: {
          type: 'action-succeeded',
          message: `Action '${operation.action}' on ${what} succeeded`,
        },
      };
    default:
      return {
        status: 'succeeded',
        requestState: 'deleted',
        event: { type: 'deleted', message: `Destroyed ${what}` },
      };
  }
}

/** How a failed operation leaves its request: a failed action leaves it usable. */
export function failureOf(
  operation: ProvisioningOperation,
  reason: string,
): OperationOutcome {
  const failed = (what: string) =>
    `${what} failed after ${operation.attempts} attempt(s): ${reason}`;
  switch (operation.kind) {
    case 'provision':
      return {
        status: 'failed',
        requestState: 'failed',
        lastError: reason,
        event: { type: 'failed', message: failed('Provisioning') },
      };
    case 'action':
      // The resource still exists; the request stays usable and keeps the error.
      return {
        status: 'failed',
        requestState: 'ready',
        lastError: reason,
        event: {
          type: 'action-failed',
          message: failed(`Action '${operation.action}'`),
        },
      };
    default:
      return {
        status: 'failed',
        requestState: 'failed',
        lastError: reason,
        event: { type: 'failed', message: failed('Destroying') },
      };
  }
}
