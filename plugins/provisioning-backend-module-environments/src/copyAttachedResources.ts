import {
  AttachedRequest,
  ENVIRONMENT_NAME_PARAMETER,
  NonRetryableError,
  RequestLookup,
} from '@paved/plugin-provisioning-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeAttached } from './attachedResources';
import { copyResourceName } from './copyResourceName';
import {
  ProvisioningApiError,
  ProvisioningCalls,
} from './provisioningApi/ProvisioningCalls';

/** How long a copy waits for a source's seed action (a database's backup). */
const SEED_WAIT_MS = 300_000;

/**
 * A resource a copy of an environment got, as its output `attachedResources` lists
 * it. `seeded` tells the owners which copies start empty: steps have no way to
 * write the request's timeline, and the backend log is not theirs to read.
 */
export type CopiedResource = { type: string; name: string; seeded: boolean };

/** A refusal that repeating the call cannot change (a 400, 403, 404, or 409 on create). */
function refusal(error: unknown, what: string): Error {
  if (
    error instanceof ProvisioningApiError &&
    [400, 403, 404, 409].includes(error.status)
  ) {
    return new NonRetryableError(`${what}: ${error.message}`);
  }
  return error as Error;
}

/**
 * Gives a copy of an environment a resource of its own for each one attached to the
 * source, whatever its type: a new request of the same type with the parameters the
 * type's `environmentCopy` makes, attached to the copy and owned by the copy's
 * owner. With `seed` on, the type's seed action (a database's `backup-now`) runs on
 * the source first and the copy starts from it; a type without one is copied empty.
 * Idempotent: the seed action is keyed by the copy's request id, and creating a
 * request that exists with the same parameters returns it.
 */
export async function copyAttachedResources(options: {
  calls: ProvisioningCalls | undefined;
  requests: RequestLookup;
  source: string;
  environment: { id: string; name: string; owner: string };
  seed: boolean;
  signal: AbortSignal;
  log: (message: string) => void;
  seedWaitMs?: number;
}): Promise<CopiedResource[]> {
  const { calls, source, environment, seed, log } = options;
  const attached = await options.requests.listAttached(source);
  if (attached.length === 0) {
    return [];
  }
  if (!calls) {
    throw new NonRetryableError(
      `environment '${source}' has resources attached (${attached
        .map(a => describeAttached(a.request))
        .join(
          ', ',
        )}), and this portal cannot make their copies (no provisioning API)`,
    );
  }
  const copies: CopiedResource[] = [];
  for (const item of attached) {
    const { request } = item;
    const seeded = seed && item.seedAction !== undefined;
    if (seeded) {
      await runSeedAction(calls, item, environment.id, options);
    }
    const name = copyResourceName(environment.name, source, request.name);
    const created = await calls
      .createRequest({
        type: request.type,
        name,
        owner: environment.owner,
        parameters: {
          ...item.copyParameters({ seeded }),
          [ENVIRONMENT_NAME_PARAMETER]: environment.name,
        },
      })
      .catch(async error => {
        const made = await madeMeanwhile(options.requests, error, {
          type: request.type,
          name,
          environment,
        });
        if (made) {
          return made;
        }
        throw refusal(
          error,
          `copying ${describeAttached(request)} as '${name}'`,
        );
      });
    let how = ', empty';
    if (seeded) {
      how = `, seeded by its '${item.seedAction}'`;
    } else if (seed) {
      how = `, empty: ${request.type} has no way to seed a copy`;
    }
    log(
      `Copied ${describeAttached(request)} as '${name}' (request ${
        created.id
      })${how}`,
    );
    copies.push({ type: request.type, name, seeded });
  }
  return copies;
}

/**
 * The request of the copy's name that someone made meanwhile, when creating it was
 * refused with a 409: a workload copied into this environment makes the resources
 * it uses by the same names (the workload type's names line up with
 * `copyResourceName`), and whichever comes first makes it. Used only when it is
 * attached to this environment and its owner's: never someone else's request.
 */
async function madeMeanwhile(
  requests: RequestLookup,
  error: unknown,
  wanted: {
    type: string;
    name: string;
    environment: { name: string; owner: string };
  },
): Promise<{ id: string; state: string } | undefined> {
  if (!(error instanceof ProvisioningApiError) || error.status !== 409) {
    return undefined;
  }
  const existing = await requests.findActive(wanted.type, wanted.name);
  if (
    existing &&
    existing.owner === wanted.environment.owner &&
    existing.parameters[ENVIRONMENT_NAME_PARAMETER] === wanted.environment.name
  ) {
    return { id: existing.id, state: existing.state };
  }
  return undefined;
}

/** Runs the seed action on the source, once per copy, and waits for it to succeed. */
async function runSeedAction(
  calls: ProvisioningCalls,
  item: AttachedRequest,
  copyId: string,
  options: {
    signal: AbortSignal;
    log: (message: string) => void;
    seedWaitMs?: number;
  },
): Promise<void> {
  const { request } = item;
  const action = item.seedAction!;
  const what = `the '${action}' of ${describeAttached(request)}`;
  const operation = await calls
    .runAction(request.id, action, `clone:${copyId}`)
    .catch(error => {
      // Not ready (e.g. another action runs on it): retried.
      throw error instanceof ProvisioningApiError && error.status === 409
        ? error
        : refusal(error, `running ${what} to seed its copy`);
    });
  const timeoutMs = options.seedWaitMs ?? SEED_WAIT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const details = await calls.getRequest(request.id);
    const status = details.operations.find(o => o.id === operation.id);
    if (status?.status === 'succeeded') {
      options.log(`Ran ${what} to seed its copy`);
      return;
    }
    if (status?.status === 'failed') {
      throw new NonRetryableError(
        `${what} failed: ${status.lastError ?? 'no reason recorded'}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not finish within ${timeoutMs / 1000} s`);
    }
    await sleep(500, undefined, { signal: options.signal });
  }
}
