import { createApiRef } from '@backstage/frontend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  CreateRequestBody,
  LocalClusterStatus,
  ProvisioningOperation,
  ProvisioningRequest,
  ProvisioningRequestDetails,
  RequestState,
  ResourceStatus,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';

/**
 * Filters of {@link ProvisioningApi.listRequests}.
 *
 * @public
 */
export interface ListRequestsOptions {
  /** The owning group's entity ref, or several: requests of any of them. */
  owner?: string | string[];
  type?: string;
  state?: RequestState[];
  /** Requests whose approval is routed to this group. */
  approvalGroup?: string;
  limit?: number;
  offset?: number;
}

/**
 * The provisioning backend's API, as the portal uses it. Failed calls reject with a
 * `ResponseError` from `@backstage/errors`, whose message is the server's.
 *
 * @public
 */
export interface ProvisioningApi {
  listTypes(): Promise<ResourceTypeInfo[]>;
  createRequest(body: CreateRequestBody): Promise<ProvisioningRequest>;
  listRequests(
    options?: ListRequestsOptions,
  ): Promise<{ items: ProvisioningRequest[]; totalCount: number }>;
  getRequest(id: string): Promise<ProvisioningRequestDetails>;
  /** The live status the request's type reports; rejects with a 409 unless it is ready. */
  getRequestStatus(id: string): Promise<ResourceStatus>;
  approveRequest(id: string, comment?: string): Promise<ProvisioningRequest>;
  rejectRequest(id: string, comment: string): Promise<ProvisioningRequest>;
  runAction(
    id: string,
    action: string,
    options: { input: JsonObject; idempotencyKey?: string },
  ): Promise<ProvisioningOperation>;
  deleteRequest(id: string): Promise<ProvisioningRequest>;
  /**
   * Records that the resource is in use (its page was opened), which moves the
   * expiry of a resource that expires. Rejects with a 403 for non-owners.
   */
  recordActivity(id: string): Promise<ProvisioningRequest>;
  /**
   * Extends an expiring resource's life to `hours` from now, at most its type's
   * `lifetime.maxHours`; rejects with a 409 for a resource that does not expire.
   */
  extendRequest(id: string, hours: number): Promise<ProvisioningRequest>;
  /**
   * Whether the local Kubernetes cluster of `./paved start` is still being built;
   * `off` where there is none (production).
   */
  getLocalCluster(): Promise<LocalClusterStatus>;
}

/** @public */
export const provisioningApiRef = createApiRef<ProvisioningApi>().with({
  id: 'plugin.provisioning.service',
  pluginId: 'provisioning',
});
