/**
 * Template upgrades as change requests, and campaigns.
 *
 * @packageDocumentation
 */
export { upgradesPlugin as default } from './plugin';
