import { FactValue, RuleOperator } from '@paved/plugin-scorecard-common';

type Op = (
  actual: FactValue | undefined,
  expected: FactValue | undefined,
) => boolean;

const num = (v: FactValue | undefined) => (typeof v === 'number' ? v : NaN);
const list = (v: FactValue | undefined): unknown[] =>
  Array.isArray(v) ? v : [];

/** The operators, as plain functions; a missing fact fails every one but `exists`. */
export const OPERATORS: Record<RuleOperator, Op> = {
  equal: (a, e) => a !== undefined && a === e,
  notEqual: (a, e) => a !== undefined && a !== e,
  greaterThan: (a, e) => num(a) > num(e),
  greaterThanInclusive: (a, e) => num(a) >= num(e),
  lessThan: (a, e) => num(a) < num(e),
  lessThanInclusive: (a, e) => num(a) <= num(e),
  in: (a, e) => a !== undefined && list(e).includes(a),
  notIn: (a, e) => a !== undefined && !list(e).includes(a),
  contains: (a, e) =>
    Array.isArray(a)
      ? (a as unknown[]).includes(e)
      : typeof a === 'string' && typeof e === 'string' && a.includes(e),
  doesNotContain: (a, e) =>
    Array.isArray(a)
      ? !(a as unknown[]).includes(e)
      : typeof a === 'string' && typeof e === 'string' && !a.includes(e),
  // An empty set does not exist: `catalog.observability exists` means "has one".
  exists: (a, e) =>
    (a !== undefined && a !== null && !(Array.isArray(a) && a.length === 0)) ===
    (e === undefined || e === null ? true : e === true),
};
