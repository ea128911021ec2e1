/**
 * The maturity scorecard in the portal (new frontend system).
 *
 * @packageDocumentation
 */
export { scorecardPlugin as default } from './plugin';
export { scorecardApiRef, ScorecardClient, type ScorecardApi } from './api';
