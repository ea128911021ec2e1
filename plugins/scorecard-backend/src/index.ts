/**
 * The scorecard backend plugin: maturity tracks, levels and checks.
 *
 * @packageDocumentation
 */
export { scorecardPlugin as default } from './plugin';
