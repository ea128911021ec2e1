import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  ProvisioningApiClient,
  ResourceStatusSection,
} from '@paved/plugin-provisioning-common';
import {
  NonRetryableError,
  ReferencedRequest,
  RequestLookup,
} from '@paved/plugin-provisioning-node';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/*
 * Databases attached to an environment: `postgres` requests whose `environmentName`
 * names it, their Secret in its namespace. A copy of an environment gets databases
 * of its own (made afresh through the database type, optionally seeded from a fresh
 * dump of the source's); deleting an environment deletes them first.
 */

/** The type of the databases an environment can have attached. */
export const DATABASE_TYPE = 'postgres';
/** The parameter of a database request that attaches it to an environment. */
export const ENVIRONMENT_NAME_PARAMETER = 'environmentName';
/**
 * The longest name of a database request: `MAX_NAME_LENGTH` in the postgres module's
 * names.ts (its roles `<name>_rw` must fit PostgreSQL's 63-byte identifiers).
 */
export const MAX_DATABASE_NAME_LENGTH = 60;
/** How long `destroy` waits for the attached databases to be deleted. */
export const DATABASE_DELETION_WAIT_MS = 120_000;
/** How long a clone waits for a source database's backup. */
export const BACKUP_WAIT_MS = 300_000;
/** The parameters of a source database that its copy takes over. */
const COPIED_PARAMETERS = [
  'target',
  'connectionLimit',
  'environment',
  'component',
];
/** Request states whose resource is there to be used. */
const USABLE = new Set(['ready', 'updating']);

/**
 * The name of a copy's database: `<new env>-<source database name>`, without the
 * source database's leading `<source env>-` (so that `orders-main-db` copied into
 * `orders-pr-7` is `orders-pr-7-db`). A name longer than
 * {@link MAX_DATABASE_NAME_LENGTH} is cut and ends in `-` and six hex digits of a
 * hash of the full name; one that starts with a digit gets `db-` in front (database
 * names start with a letter).
 *
 * @public
 */
export function copyDatabaseName(
  environment: string,
  sourceEnvironment: string,
  sourceDatabase: string,
): string {
  const prefix = `${sourceEnvironment}-`;
  const rest =
    sourceDatabase.startsWith(prefix) && sourceDatabase.length > prefix.length
      ? sourceDatabase.slice(prefix.length)
      : sourceDatabase;
  let full = `${environment}-${rest}`;
  if (!/^[a-z]/.test(full)) {
    full = `db-${full}`;
  }
  if (full.length <= MAX_DATABASE_NAME_LENGTH) {
    return full;
  }
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6);
  return `${full
    .slice(0, MAX_DATABASE_NAME_LENGTH - hash.length - 1)
    .replace(/-+$/, '')}-${hash}`;
}

/** The active databases attached to an environment, by name. */
export async function attachedDatabases(
  requests: RequestLookup,
  environment: string,
): Promise<ReferencedRequest[]> {
  const attached = await requests.listActive(DATABASE_TYPE, {
    [ENVIRONMENT_NAME_PARAMETER]: environment,
  });
  return attached.sort((a, b) => a.name.localeCompare(b.name));
}

/** A refusal or failure of the provisioning API, with its status code. */
export class ProvisioningApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ProvisioningApiError';
  }
}

/** What the environment type asks of the provisioning API. */
export interface ProvisioningCalls {
  /** POST /requests: idempotent when an active request has the same parameters. */
  createRequest(body: {
    type: string;
    name: string;
    owner: string;
    parameters: JsonObject;
  }): Promise<{ id: string; state: string }>;
  /** GET /requests/{id}: with its operations. */
  getRequest(id: string): Promise<{
    state: string;
    operations: Array<{ id: string; status: string; lastError?: string }>;
  }>;
  /** POST /requests/{id}/actions/{action}: the operation, the same for one key. */
  runAction(
    id: string,
    action: string,
    idempotencyKey: string,
  ): Promise<{ id: string }>;
  /** DELETE /requests/{id}: idempotent. */
  deleteRequest(id: string): Promise<void>;
}

/**
 * The provisioning API over HTTP, called as the provisioning plugin itself (its own
 * service credentials), so that permissions, quotas and the audit trail apply.
 */
export function provisioningCalls(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): ProvisioningCalls {
  const api = new ProvisioningApiClient({
    discoveryApi: options.discovery,
    fetchApi: { fetch },
  });
  const token = async () =>
    options.auth.getPluginRequestToken({
      onBehalfOf: await options.auth.getOwnServiceCredentials(),
      targetPluginId: 'provisioning',
    });
  return {
    async createRequest(body) {
      return json(api.createRequest({ body }, await token()));
    },
    async getRequest(id) {
      return json(api.getRequest({ path: { id } }, await token()));
    },
    async runAction(id, action, idempotencyKey) {
      return json(
        api.runAction(
          { path: { id, action }, body: { input: {}, idempotencyKey } },
          await token(),
        ),
      );
    },
    async deleteRequest(id) {
      await json(api.deleteRequest({ path: { id } }, await token()));
    },
  };
}

async function json<T>(pending: Promise<Response>): Promise<T> {
  const response = await pending;
  if (!response.ok) {
    const error = await ResponseError.fromResponse(response);
    throw new ProvisioningApiError(
      response.status,
      error.body?.error?.message ?? error.message,
    );
  }
  return (await response.json()) as T;
}

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

/**
 * Whether every database attached to the environment is usable; a failed one fails
 * the environment for good, naming it.
 */
export async function databaseReadiness(
  requests: RequestLookup,
  environment: string,
): Promise<{ ready: boolean; message?: string }> {
  const databases = await attachedDatabases(requests, environment);
  const failed = databases.find(d => d.state === 'failed');
  if (failed) {
    throw new NonRetryableError(
      `attached database '${failed.name}' failed; see its request`,
    );
  }
  const waiting = databases.filter(d => !USABLE.has(d.state));
  if (waiting.length > 0) {
    return {
      ready: false,
      message: `${databases.length - waiting.length} of ${
        databases.length
      } attached database(s) ready; waiting for ${waiting
        .map(d => `'${d.name}' (${d.state})`)
        .join(', ')}`,
    };
  }
  return {
    ready: true,
    message:
      databases.length > 0
        ? `${databases.length} attached database(s) ready`
        : undefined,
  };
}

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

/** The "Databases" section of an environment's status; none without databases. */
export async function databasesSection(
  requests: RequestLookup,
  environment: string,
): Promise<ResourceStatusSection | undefined> {
  const databases = await attachedDatabases(requests, environment);
  if (databases.length === 0) {
    return undefined;
  }
  return {
    title: 'Databases',
    table: {
      columns: ['Name', 'State', 'Secret'],
      rows: databases.map(d => [
        d.name,
        d.state,
        typeof d.outputs.secretName === 'string' ? d.outputs.secretName : '',
      ]),
    },
  };
}
