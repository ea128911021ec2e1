import { JsonObject } from '@backstage/types';
import {
  NonRetryableError,
  ReferencedRequest,
  RequestLookup,
} from '@paved/plugin-provisioning-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { copyDatabaseName } from './copyDatabaseName';
import {
  attachedDatabases,
  DATABASE_TYPE,
  ENVIRONMENT_NAME_PARAMETER,
} from './databases';
import {
  ProvisioningApiError,
  ProvisioningCalls,
} from './provisioningApi/ProvisioningCalls';

/** How long a clone waits for a source database's backup. */
const BACKUP_WAIT_MS = 300_000;
/** The parameters of a source database that its copy takes over. */
const COPIED_PARAMETERS = [
  'target',
  'connectionLimit',
  'environment',
  'component',
];

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
 * Gives a copy of an environment a database of its own for each database attached
 * to the source: a new `postgres` request with the source's parameters, attached to
 * the copy and owned by the copy's owner, restored from a fresh backup of the source
 * when `seed` is on. Idempotent: the backup action is keyed by the copy's request id,
 * and creating a request that exists with the same parameters returns it. Returns
 * the names of the new databases.
 */
export async function copyAttachedDatabases(options: {
  calls: ProvisioningCalls | undefined;
  requests: RequestLookup;
  source: string;
  environment: { id: string; name: string; owner: string };
  seed: boolean;
  signal: AbortSignal;
  log: (message: string) => void;
  backupWaitMs?: number;
}): Promise<string[]> {
  const { calls, source, environment, seed, signal, log } = options;
  const databases = await attachedDatabases(options.requests, source);
  if (databases.length === 0) {
    return [];
  }
  if (!calls) {
    throw new NonRetryableError(
      `environment '${source}' has databases attached, and this portal cannot make their copies (no provisioning API)`,
    );
  }
  const names: string[] = [];
  for (const database of databases) {
    if (seed) {
      const operation = await calls
        .runAction(database.id, 'backup-now', `clone:${environment.id}`)
        .catch(error => {
          // Not ready (e.g. another action runs on it): retried.
          throw error instanceof ProvisioningApiError && error.status === 409
            ? error
            : refusal(error, `backing up database '${database.name}'`);
        });
      await waitForOperation(calls, database, operation.id, {
        signal,
        timeoutMs: options.backupWaitMs ?? BACKUP_WAIT_MS,
      });
      log(`Backed up database '${database.name}' to seed its copy`);
    }
    const name = copyDatabaseName(environment.name, source, database.name);
    const parameters: JsonObject = {};
    for (const key of COPIED_PARAMETERS) {
      const value = database.parameters[key];
      if (value !== undefined) {
        parameters[key] = value;
      }
    }
    parameters[ENVIRONMENT_NAME_PARAMETER] = environment.name;
    if (seed) {
      // Its newest backup: the one just made.
      parameters.restoreFrom = { database: database.name };
    }
    const created = await calls
      .createRequest({
        type: DATABASE_TYPE,
        name,
        owner: environment.owner,
        parameters,
      })
      .catch(error => {
        throw refusal(
          error,
          `copying database '${database.name}' as '${name}'`,
        );
      });
    log(
      `Database '${name}' (request ${created.id}) copies '${database.name}'${
        seed ? ', seeded from a fresh backup' : ', empty'
      }`,
    );
    names.push(name);
  }
  return names;
}

async function waitForOperation(
  calls: ProvisioningCalls,
  database: ReferencedRequest,
  operationId: string,
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const details = await calls.getRequest(database.id);
    const operation = details.operations.find(o => o.id === operationId);
    if (operation?.status === 'succeeded') {
      return;
    }
    if (operation?.status === 'failed') {
      throw new NonRetryableError(
        `the backup of database '${database.name}' failed: ${
          operation.lastError ?? 'no reason recorded'
        }`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the backup of database '${database.name}' did not finish within ${
          options.timeoutMs / 1000
        } s`,
      );
    }
    await sleep(500, undefined, { signal: options.signal });
  }
}
