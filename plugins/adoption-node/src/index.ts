/**
 * Node.js library for backend plugins that record usage for the adoption dashboard.
 *
 * @packageDocumentation
 */
export { EventsUsageRecorder } from './UsageRecorder';
export type { UsageRecorder } from './UsageRecorder';
