export { incidentsApiRef } from './IncidentsApi';
export type { IncidentsApi, ListIncidentsOptions } from './IncidentsApi';
export { IncidentsClient } from './IncidentsClient';
