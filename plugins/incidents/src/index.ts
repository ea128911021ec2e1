/**
 * Incidents in the portal (new frontend system): a component's Incidents tab and
 * the organisation's open incidents at `/incidents`.
 *
 * @packageDocumentation
 */
export { incidentsPlugin as default } from './plugin';
export {
  incidentsApiRef,
  IncidentsClient,
  type IncidentsApi,
  type ListIncidentsOptions,
} from './api';
