/**
 * The usage events that plugins record for the adoption dashboard, the analytics
 * batches the frontend sends, and the dashboard's permission.
 *
 * @packageDocumentation
 */
export { USAGE_EVENTS_TOPIC, usageEventSchema } from './usageEvents';
export type { UsageEvent } from './usageEvents';
export {
  MAX_EVENTS_PER_BATCH,
  analyticsBatchSchema,
  analyticsEventSchema,
} from './analyticsBatch';
export type { AnalyticsBatch, AnalyticsEventInput } from './analyticsBatch';
export {
  adoptionDashboardViewPermission,
  adoptionPermissions,
} from './permissions';
// The client generated from plugins/adoption-backend/src/schema/openapi.yaml
// (`yarn generate:client`); its models stay internal, the types above are the API's.
export { DefaultApiClient as AdoptionApiClient } from './schema/openapi';
