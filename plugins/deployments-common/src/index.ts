/**
 * Score workloads (types, schema, validation, placeholders), deployment records and
 * delivery (DORA) figures, shared by Paved's deployments packages.
 *
 * @packageDocumentation
 */

export * from './deployments';
export * from './deploymentsApi';
export * from './score/types';
export * from './score/placeholders';
export * from './score/schema';
export * from './score/imageReference';
export {
  parseScoreWorkload,
  formatScoreProblems,
  jsonPath,
  scoreWorkloadPlaceholders,
  type ScoreProblem,
  type ParseScoreWorkloadResult,
} from './score/parseWorkload';
export * from './dora';
