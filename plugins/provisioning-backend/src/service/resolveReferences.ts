import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  provisioningRequestReadPermission,
  provisioningRequestUpdatePermission,
} from '@paved/plugin-provisioning-common';
import {
  ReferencedRequest,
  ResourceRequestInput,
  ResourceType,
} from '@paved/plugin-provisioning-node';
import { RequestStore } from '../database/RequestStore';
import { RequestAuthorizer } from '../permissions/RequestAuthorizer';
import { toReferencedRequest } from './StoreRequestLookup';

/** States in which another request can be depended on: its resource exists. */
const USABLE_STATES = ['ready', 'updating'];

/**
 * Finds the requests a new request depends on (its type's `references`) and checks
 * that the requester may use them: a missing one is a 400 naming its field, one the
 * requester may not read (or change, as the type asks) a 403 naming it.
 */
export async function resolveReferences(
  type: ResourceType,
  request: ResourceRequestInput,
  deps: { store: RequestStore; authorizer: RequestAuthorizer },
  credentials: BackstageCredentials,
): Promise<Record<string, ReferencedRequest>> {
  const resolved: Record<string, ReferencedRequest> = {};
  for (const reference of type.references?.(request) ?? []) {
    const found = await deps.store.findActiveByTypeAndName(
      reference.type,
      reference.name,
    );
    if (!found || !USABLE_STATES.includes(found.state)) {
      throw new InputError(
        `Invalid request: ${reference.field}: ${
          found
            ? `${reference.type} '${reference.name}' is ${found.state}, not ready`
            : `there is no ${reference.type} named '${reference.name}'`
        }`,
      );
    }
    const permission =
      reference.permission === 'update'
        ? provisioningRequestUpdatePermission
        : provisioningRequestReadPermission;
    try {
      await deps.authorizer.authorize(permission, found, credentials);
    } catch (error) {
      if (error instanceof NotAllowedError) {
        throw new NotAllowedError(
          `${reference.field}: you may not use ${reference.type} '${
            reference.name
          }' of ${found.owner}; ${
            reference.permission === 'update'
              ? 'only its owners and the platform team may'
              : 'you may not read it'
          }`,
        );
      }
      throw error;
    }
    resolved[reference.field] = toReferencedRequest(found);
  }
  return resolved;
}
