import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Incident,
  IncidentDetails,
  IncidentList,
  IncidentOpenStatus,
} from '@paved/plugin-incidents-common';
import { IncidentsApi, ListIncidentsOptions } from './IncidentsApi';

/** {@link IncidentsApi} over HTTP, with the app's discovery and fetch. @public */
export class IncidentsClient implements IncidentsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  listIncidents(options: ListIncidentsOptions = {}): Promise<IncidentList> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined) continue;
      query.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return this.call(`/incidents?${query}`);
  }

  getIncident(id: string): Promise<IncidentDetails> {
    return this.call(`/incidents/${encodeURIComponent(id)}`);
  }

  openIncident(
    body: Parameters<IncidentsApi['openIncident']>[0],
  ): Promise<Incident> {
    return this.call('/incidents', body);
  }

  addNote(id: string, text: string): Promise<IncidentDetails> {
    return this.call(`/incidents/${encodeURIComponent(id)}/notes`, { text });
  }

  setStatus(id: string, status: IncidentOpenStatus): Promise<Incident> {
    return this.call(`/incidents/${encodeURIComponent(id)}/status`, {
      status,
    });
  }

  resolve(id: string, cause: string, resolution?: string): Promise<Incident> {
    return this.call(`/incidents/${encodeURIComponent(id)}/resolve`, {
      cause,
      ...(resolution ? { resolution } : {}),
    });
  }

  private async call<T>(path: string, body?: object): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('incidents');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      body
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }
        : undefined,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
