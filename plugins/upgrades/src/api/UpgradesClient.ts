import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  Campaign,
  CampaignDetails,
  ChangeDiff,
  ChangeRequest,
  CreateCampaignBody,
  ProposeBody,
  TemplateVersionList,
  UpgradeStatus,
} from '@paved/plugin-upgrades-common';
import { ListChangesQuery, UpgradesApi } from './UpgradesApi';

type Query = Record<string, string | undefined>;

const segment = encodeURIComponent;

/**
 * {@link UpgradesApi} over the upgrades backend's HTTP API
 * (`plugins/upgrades-backend`). Hand-written: the API was written alongside this
 * plugin and has no generated client yet.
 *
 * @public
 */
export class UpgradesClient implements UpgradesApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getUpgradeStatus(entityRef: string): Promise<UpgradeStatus> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return this.call(
      'GET',
      `/entities/${segment(kind)}/${segment(namespace)}/${segment(
        name,
      )}/upgrade`,
    );
  }

  getTemplateVersions(templateRef: string): Promise<TemplateVersionList> {
    const { namespace, name } = parseEntityRef(templateRef, {
      defaultKind: 'template',
    });
    return this.call(
      'GET',
      `/templates/${segment(namespace)}/${segment(name)}/versions`,
    );
  }

  proposeChange(body: ProposeBody): Promise<ChangeRequest> {
    return this.call('POST', '/changes', {}, body);
  }

  async listChanges(query: ListChangesQuery): Promise<ChangeRequest[]> {
    const page = await this.call<{ items: ChangeRequest[] }>(
      'GET',
      '/changes',
      { ...query },
    );
    return page.items;
  }

  getChange(id: string): Promise<ChangeRequest> {
    return this.call('GET', `/changes/${segment(id)}`);
  }

  getChangeDiff(id: string): Promise<ChangeDiff> {
    return this.call('GET', `/changes/${segment(id)}/diff`);
  }

  mergeChange(id: string): Promise<ChangeRequest> {
    return this.call('POST', `/changes/${segment(id)}/merge`);
  }

  closeChange(id: string): Promise<ChangeRequest> {
    return this.call('POST', `/changes/${segment(id)}/close`);
  }

  refreshChange(id: string): Promise<ChangeRequest> {
    return this.call('POST', `/changes/${segment(id)}/refresh`);
  }

  async listCampaigns(): Promise<Campaign[]> {
    const page = await this.call<{ items: Campaign[] }>('GET', '/campaigns');
    return page.items;
  }

  createCampaign(body: CreateCampaignBody): Promise<Campaign> {
    return this.call('POST', '/campaigns', {}, body);
  }

  getCampaign(id: string): Promise<CampaignDetails> {
    return this.call('GET', `/campaigns/${segment(id)}`);
  }

  runCampaign(id: string): Promise<CampaignDetails> {
    return this.call('POST', `/campaigns/${segment(id)}/run`);
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    query: Query = {},
    body?: object,
  ): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, value);
    }
    const search = params.size ? `?${params}` : '';
    const baseUrl = await this.discoveryApi.getBaseUrl('upgrades');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}${search}`, {
      method,
      // The POSTs without a body (merge, close, refresh, run) send none: the
      // backend's JSON parser would refuse an empty JSON body.
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
