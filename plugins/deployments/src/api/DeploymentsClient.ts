import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  DeploymentRecord,
  DoraReport,
  PromoteBody,
  RollbackBody,
  WorkloadEnvironment,
} from '@paved/plugin-deployments-common';
import {
  DeploymentAccepted,
  DeploymentsApi,
  DeployRequest,
  DoraQuery,
  ListDeploymentsQuery,
} from './DeploymentsApi';

type Query = Record<string, string | number | undefined>;

/**
 * {@link DeploymentsApi} over the provisioning backend's `/deployments` routes
 * (`plugins/provisioning-backend-module-score/src/schema/openapi.yaml`; the lists
 * are plain arrays). Hand-written for now: that document was written alongside
 * this plugin and has no generated client yet; swap once it has.
 *
 * @public
 */
export class DeploymentsClient implements DeploymentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  deploy(request: DeployRequest): Promise<DeploymentAccepted> {
    return this.call('POST', '/deployments', {}, request);
  }

  promote(request: PromoteBody): Promise<DeploymentAccepted> {
    return this.call('POST', '/deployments/promote', {}, request);
  }

  rollback(request: RollbackBody): Promise<DeploymentAccepted> {
    return this.call('POST', '/deployments/rollback', {}, request);
  }

  listDeployments(query: ListDeploymentsQuery): Promise<DeploymentRecord[]> {
    return this.call('GET', '/deployments', { ...query });
  }

  listEnvironments(component: string): Promise<WorkloadEnvironment[]> {
    return this.call('GET', '/deployments/environments', { component });
  }

  getDora(query: DoraQuery): Promise<DoraReport> {
    return this.call('GET', '/deployments/dora', { ...query });
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    query: Query,
    body?: object,
  ): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.size ? `?${params}` : '';
    const baseUrl = await this.discoveryApi.getBaseUrl('provisioning');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}${search}`, {
      method,
      ...(body && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
