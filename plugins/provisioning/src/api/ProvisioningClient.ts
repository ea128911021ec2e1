import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  CreateRequestBody,
  ProvisioningApiClient,
  ProvisioningApiResponse,
  ProvisioningOperation,
  ProvisioningRequest,
  ProvisioningRequestDetails,
  ResourceStatus,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import { ListRequestsOptions, ProvisioningApi } from './ProvisioningApi';

/**
 * {@link ProvisioningApi} over the client generated from the backend's OpenAPI
 * document: this class only turns error responses into `ResponseError`s.
 *
 * @public
 */
export class ProvisioningClient implements ProvisioningApi {
  private readonly client: ProvisioningApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = new ProvisioningApiClient(options);
  }

  async listTypes(): Promise<ResourceTypeInfo[]> {
    const { items } = await this.body<{ items: ResourceTypeInfo[] }>(
      this.client.listResourceTypes({}),
    );
    return items;
  }

  createRequest(body: CreateRequestBody): Promise<ProvisioningRequest> {
    return this.body(this.client.createRequest({ body }));
  }

  listRequests(
    options: ListRequestsOptions = {},
  ): Promise<{ items: ProvisioningRequest[]; totalCount: number }> {
    const { state, owner, ...query } = options;
    return this.body(
      this.client.listRequests({
        query: {
          ...query,
          owner: Array.isArray(owner) ? owner.join(',') : owner,
          state: state?.length ? state.join(',') : undefined,
        },
      }),
    );
  }

  getRequest(id: string): Promise<ProvisioningRequestDetails> {
    return this.body(this.client.getRequest({ path: { id } }));
  }

  getRequestStatus(id: string): Promise<ResourceStatus> {
    return this.body(this.client.getRequestStatus({ path: { id } }));
  }

  approveRequest(id: string, comment?: string): Promise<ProvisioningRequest> {
    return this.body(
      this.client.approveRequest({ path: { id }, body: { comment } }),
    );
  }

  rejectRequest(id: string, comment: string): Promise<ProvisioningRequest> {
    return this.body(
      this.client.rejectRequest({ path: { id }, body: { comment } }),
    );
  }

  runAction(
    id: string,
    action: string,
    options: { input: JsonObject; idempotencyKey?: string },
  ): Promise<ProvisioningOperation> {
    return this.body(
      this.client.runAction({ path: { id, action }, body: options }),
    );
  }

  deleteRequest(id: string): Promise<ProvisioningRequest> {
    return this.body(this.client.deleteRequest({ path: { id } }));
  }

  recordActivity(id: string): Promise<ProvisioningRequest> {
    return this.body(this.client.recordActivity({ path: { id } }));
  }

  extendRequest(id: string, hours: number): Promise<ProvisioningRequest> {
    return this.body(
      this.client.extendRequest({ path: { id }, body: { hours } }),
    );
  }

  // The generated models type `date-time` fields as `Date`, but the JSON carries
  // strings, which is what the common package's types say.
  private async body<T>(
    pending: Promise<ProvisioningApiResponse<unknown>>,
  ): Promise<T> {
    const response = await pending;
    if (!response.ok) {
      throw await ResponseError.fromResponse(response as Response);
    }
    return (await response.json()) as T;
  }
}
