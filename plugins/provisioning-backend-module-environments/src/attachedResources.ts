import { ResourceStatusSection } from '@paved/plugin-provisioning-common';
import {
  NonRetryableError,
  ReferencedRequest,
  RequestLookup,
} from '@paved/plugin-provisioning-node';

/*
 * Resources attached to an environment: requests of any type that declares
 * `environmentCopy` whose `environmentName` names the environment, their Secrets in
 * its namespace (`ctx.requests.listAttached`). The environment is ready once they
 * are; a copy of it gets resources of its own (`copyAttachedResources`); deleting
 * it deletes them first (`deleteAttachedResources`). Nothing here knows a type.
 */

/** Request states whose resource is there to be used. */
const USABLE = new Set(['ready', 'updating']);

/** How timeline messages and errors name an attached resource. */
export const describeAttached = (request: ReferencedRequest): string =>
  `${request.type} '${request.name}'`;

/**
 * Whether every resource attached to the environment is usable; a failed one fails
 * the environment for good, naming its type and name.
 */
export async function attachedReadiness(
  requests: RequestLookup,
  environment: string,
): Promise<{ ready: boolean; message?: string }> {
  const attached = (await requests.listAttached(environment)).map(
    a => a.request,
  );
  const failed = attached.find(r => r.state === 'failed');
  if (failed) {
    throw new NonRetryableError(
      `attached ${describeAttached(failed)} failed; see its request`,
    );
  }
  const waiting = attached.filter(r => !USABLE.has(r.state));
  if (waiting.length > 0) {
    return {
      ready: false,
      message: `${attached.length - waiting.length} of ${
        attached.length
      } attached resource(s) ready; waiting for ${waiting
        .map(r => `${describeAttached(r)} (${r.state})`)
        .join(', ')}`,
    };
  }
  return {
    ready: true,
    message:
      attached.length > 0
        ? `${attached.length} attached resource(s) ready`
        : undefined,
  };
}

/**
 * The "Attached resources" section of an environment's status; none without any.
 * The Secret column shows the `secretName` output, which types that deliver a
 * Secret record by convention.
 */
export async function attachedResourcesSection(
  requests: RequestLookup,
  environment: string,
): Promise<ResourceStatusSection | undefined> {
  const attached = await requests.listAttached(environment);
  if (attached.length === 0) {
    return undefined;
  }
  return {
    title: 'Attached resources',
    table: {
      columns: ['Type', 'Name', 'State', 'Secret'],
      rows: attached.map(({ request }) => [
        request.type,
        request.name,
        request.state,
        typeof request.outputs.secretName === 'string'
          ? request.outputs.secretName
          : '',
      ]),
    },
  };
}
