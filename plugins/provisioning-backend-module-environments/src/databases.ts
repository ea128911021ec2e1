import { ResourceStatusSection } from '@paved/plugin-provisioning-common';
import {
  NonRetryableError,
  ReferencedRequest,
  RequestLookup,
} from '@paved/plugin-provisioning-node';

/*
 * Databases attached to an environment: `postgres` requests whose `environmentName`
 * names it, their Secret in its namespace. A copy of an environment gets databases
 * of its own (made afresh through the database type, optionally seeded from a fresh
 * dump of the source's, see `copyAttachedDatabases`); deleting an environment
 * deletes them first (`deleteAttachedDatabases`).
 */

/** The type of the databases an environment can have attached. */
export const DATABASE_TYPE = 'postgres';
/** The parameter of a database request that attaches it to an environment. */
export const ENVIRONMENT_NAME_PARAMETER = 'environmentName';
/** Request states whose resource is there to be used. */
const USABLE = new Set(['ready', 'updating']);

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
