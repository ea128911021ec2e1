import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  Incident,
  IncidentDetails,
  IncidentList,
  IncidentOpenStatus,
  IncidentSeverity,
} from '@paved/plugin-incidents-common';

/** Filters and paging of {@link IncidentsApi.listIncidents}. @public */
export interface ListIncidentsOptions {
  entityRef?: string;
  owner?: string;
  /** Statuses, or `open` for every status but resolved. */
  status?: string[];
  limit?: number;
  offset?: number;
}

/** The incidents backend, as the frontend uses it. @public */
export interface IncidentsApi {
  listIncidents(options?: ListIncidentsOptions): Promise<IncidentList>;
  getIncident(id: string): Promise<IncidentDetails>;
  openIncident(body: {
    entityRef: string;
    severity: IncidentSeverity;
    summary: string;
    description?: string;
  }): Promise<Incident>;
  addNote(id: string, text: string): Promise<IncidentDetails>;
  setStatus(id: string, status: IncidentOpenStatus): Promise<Incident>;
  resolve(id: string, cause: string, resolution?: string): Promise<Incident>;
}

/** @public */
export const incidentsApiRef = createApiRef<IncidentsApi>({
  id: 'plugin.incidents.service',
});
