/**
 * How Paved's frontend plugins show times, durations and what the server said
 * about a failed call.
 *
 * @packageDocumentation
 */
export { absoluteTime, formatDuration, relativeTime } from './time';
export { messageOf, statusOf } from './errors';
