/**
 * How Paved's frontend plugins show people and teams (by their catalog name, linked
 * to their page), times, durations and what the server said about a failed call.
 *
 * @packageDocumentation
 */
export { absoluteTime, formatDuration, relativeTime } from './time';
export { messageOf, statusOf } from './errors';
export { actorEntityRef } from './actorEntityRef';
export { ActorName } from './ActorName';
export { TextWithActorNames } from './TextWithActorNames';
