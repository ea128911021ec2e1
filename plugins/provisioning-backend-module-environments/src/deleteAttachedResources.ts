import {
  NonRetryableError,
  ReferencedRequest,
  RequestLookup,
} from '@paved/plugin-provisioning-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeAttached } from './attachedResources';
import {
  ProvisioningApiError,
  ProvisioningCalls,
} from './provisioningApi/ProvisioningCalls';

/** How long `destroy` waits for the attached resources to be deleted. */
const ATTACHED_DELETION_WAIT_MS = 120_000;

const attachedTo = async (
  requests: RequestLookup,
  environment: string,
): Promise<ReferencedRequest[]> =>
  (await requests.listAttached(environment)).map(a => a.request);

/**
 * Deletes every resource attached to the environment, whatever its type, and waits
 * until none is active; a retryable error when they take longer than `timeoutMs`.
 * Returns how many there were.
 */
export async function deleteAttachedResources(options: {
  calls: ProvisioningCalls | undefined;
  requests: RequestLookup;
  environment: string;
  signal: AbortSignal;
  log: (message: string) => void;
  timeoutMs?: number;
}): Promise<number> {
  const { calls, requests, environment, signal, log } = options;
  const timeoutMs = options.timeoutMs ?? ATTACHED_DELETION_WAIT_MS;
  const initial = await attachedTo(requests, environment);
  if (initial.length === 0) {
    return 0;
  }
  if (!calls) {
    throw new NonRetryableError(
      `environment '${environment}' has resources attached (${initial
        .map(describeAttached)
        .join(
          ', ',
        )}), and this portal cannot delete them (no provisioning API)`,
    );
  }
  for (const request of initial) {
    if (request.state !== 'deleting') {
      await calls.deleteRequest(request.id).catch(error => {
        // Gone in between.
        if (!(error instanceof ProvisioningApiError && error.status === 404)) {
          throw error;
        }
      });
      log(`Deleting attached ${describeAttached(request)}`);
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await attachedTo(requests, environment);
    if (left.length === 0) {
      return initial.length;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `attached resource(s) ${left
          .map(r => `${describeAttached(r)} (${r.state})`)
          .join(', ')} still not deleted after ${timeoutMs / 1000} s`,
      );
    }
    await sleep(500, undefined, { signal });
  }
}
