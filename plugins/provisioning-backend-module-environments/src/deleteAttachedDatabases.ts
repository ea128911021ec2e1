import {
  NonRetryableError,
  RequestLookup,
} from '@paved/plugin-provisioning-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { attachedDatabases } from './databases';
import {
  ProvisioningApiError,
  ProvisioningCalls,
} from './provisioningApi/ProvisioningCalls';

/** How long `destroy` waits for the attached databases to be deleted. */
const DATABASE_DELETION_WAIT_MS = 120_000;

/**
 * Deletes every database attached to the environment and waits until none is
 * active; a retryable error when they take longer than `timeoutMs`.
 */
export async function deleteAttachedDatabases(options: {
  calls: ProvisioningCalls | undefined;
  requests: RequestLookup;
  environment: string;
  signal: AbortSignal;
  log: (message: string) => void;
  timeoutMs?: number;
}): Promise<number> {
  const { calls, requests, environment, signal, log } = options;
  const timeoutMs = options.timeoutMs ?? DATABASE_DELETION_WAIT_MS;
  const initial = await attachedDatabases(requests, environment);
  if (initial.length === 0) {
    return 0;
  }
  if (!calls) {
    throw new NonRetryableError(
      `environment '${environment}' has databases attached (${initial
        .map(d => d.name)
        .join(
          ', ',
        )}), and this portal cannot delete them (no provisioning API)`,
    );
  }
  for (const database of initial) {
    if (database.state !== 'deleting') {
      await calls.deleteRequest(database.id).catch(error => {
        // Gone in between.
        if (!(error instanceof ProvisioningApiError && error.status === 404)) {
          throw error;
        }
      });
      log(`Deleting attached database '${database.name}'`);
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await attachedDatabases(requests, environment);
    if (left.length === 0) {
      return initial.length;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `attached database(s) ${left
          .map(d => `'${d.name}' (${d.state})`)
          .join(', ')} still not deleted after ${timeoutMs / 1000} s`,
      );
    }
    await sleep(500, undefined, { signal });
  }
}
