import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { responseBody } from '@paved/openapi-client-utils';
import {
  Incident,
  IncidentDetails,
  IncidentList,
  IncidentOpenStatus,
  IncidentsApiClient,
} from '@paved/plugin-incidents-common';
import { IncidentsApi, ListIncidentsOptions } from './IncidentsApi';

/**
 * {@link IncidentsApi} over the client generated from the backend's OpenAPI
 * document, with the app's discovery and fetch.
 *
 * @public
 */
export class IncidentsClient implements IncidentsApi {
  private readonly client: IncidentsApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = new IncidentsApiClient(options);
  }

  listIncidents(options: ListIncidentsOptions = {}): Promise<IncidentList> {
    const { status, ...query } = options;
    return responseBody(
      this.client.listIncidents({
        query: { ...query, status: status?.join(',') },
      }),
    );
  }

  getIncident(id: string): Promise<IncidentDetails> {
    return responseBody(this.client.getIncident({ path: { id } }));
  }

  openIncident(
    body: Parameters<IncidentsApi['openIncident']>[0],
  ): Promise<Incident> {
    return responseBody(this.client.openIncident({ body }));
  }

  addNote(id: string, text: string): Promise<IncidentDetails> {
    return responseBody(
      this.client.addIncidentNote({ path: { id }, body: { text } }),
    );
  }

  setStatus(id: string, status: IncidentOpenStatus): Promise<Incident> {
    return responseBody(
      this.client.setIncidentStatus({ path: { id }, body: { status } }),
    );
  }

  resolve(id: string, cause: string, resolution?: string): Promise<Incident> {
    return responseBody(
      this.client.resolveIncident({
        path: { id },
        body: { cause, ...(resolution ? { resolution } : {}) },
      }),
    );
  }
}
