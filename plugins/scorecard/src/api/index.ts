export { scorecardApiRef } from './ScorecardApi';
export type { ScorecardApi } from './ScorecardApi';
export { ScorecardClient } from './ScorecardClient';
export type * from './types';
