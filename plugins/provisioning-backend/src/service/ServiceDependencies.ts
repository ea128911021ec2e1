import { NotFoundError } from '@backstage/errors';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { ExpiryStore, RequestStore } from '../database/RequestStore';
import { RequestNotifier } from '../notifications/RequestNotifier';
import { RequestAuthorizer } from '../permissions/RequestAuthorizer';
import { ProvisioningPolicy } from './ProvisioningPolicy';
import { ResourceTypeRegistry } from './ResourceTypeRegistry';

/** What the request, approval and operation services share. */
export interface ServiceDependencies {
  store: RequestStore;
  types: ResourceTypeRegistry;
  policy: ProvisioningPolicy;
  authorizer: RequestAuthorizer;
  /** Called after work was queued, so that the worker picks it up without waiting. */
  onWorkQueued(): void;
  /** Tells approvers and requesters about milestones; silent if absent. */
  notifier?: RequestNotifier;
  /** Moves expiring resources' expiry on with activity; none expire if absent. */
  expiry?: ExpiryStore;
}

export async function loadRequest(
  store: RequestStore,
  id: string,
): Promise<ProvisioningRequest> {
  const request = await store.getRequest(id);
  if (!request) {
    throw new NotFoundError(`Provisioning request '${id}' does not exist`);
  }
  return request;
}
