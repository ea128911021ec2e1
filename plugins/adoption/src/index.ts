/**
 * The adoption dashboard (new frontend system): an analytics implementation that
 * sends the portal's events to the adoption backend, the platform team's
 * dashboard at `/adoption`, and the NPS survey.
 *
 * @packageDocumentation
 */
export { adoptionPlugin as default } from './plugin';
export {
  adoptionApiRef,
  AdoptionClient,
  type AdoptionApi,
  type DashboardQuery,
} from './api';
export {
  AdoptionAnalytics,
  type AdoptionAnalyticsOptions,
} from './analytics/AdoptionAnalytics';
