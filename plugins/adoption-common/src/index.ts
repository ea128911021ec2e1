/**
 * The usage events that plugins record for the adoption dashboard.
 *
 * @packageDocumentation
 */
export { USAGE_EVENTS_TOPIC, usageEventSchema } from './usageEvents';
export type { UsageEvent } from './usageEvents';
