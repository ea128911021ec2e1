import { ROUTE_TYPE } from '../render';

/**
 * Score resource types the workload type serves itself, without a request: the
 * environment's own values, another workload's in-cluster address, a host name,
 * and a route (an Ingress rule the renderer makes).
 */
export const BUILT_IN_SCORE_TYPES = [
  'environment',
  'service',
  'dns',
  ROUTE_TYPE,
] as const;

export type BuiltInScoreType = (typeof BUILT_IN_SCORE_TYPES)[number];

export const isBuiltIn = (type: string): type is BuiltInScoreType =>
  (BUILT_IN_SCORE_TYPES as readonly string[]).includes(type);
