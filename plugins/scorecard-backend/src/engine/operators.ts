import { FactValue, RuleOperator } from '@paved/plugin-scorecard-common';

export type Op = (
  actual: FactValue | undefined,
  expected: FactValue | undefined,
) => boolean;

const num = (v: FactValue | undefined) => (typeof v === 'number' ? v : NaN);
const list = (v: FactValue | undefined): unknown[] =>
  Array.isArray(v) ? v : [];

/** The operators, as plain functions; a missing fact fails every one but `exists`. */
export const OPERATORS: Readonly<Record<RuleOperator, Op>> = {
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

/** Every operator rules may use, by name: the built-in ones and the added check types. */
export type Operators = Readonly<Record<string, Op>>;

/**
 * The built-in operators plus the check types modules added; refuses (at start-up)
 * a check type whose id is taken.
 */
export function operatorsWith(
  checkTypes: ReadonlyArray<{ id: string; evaluate: Op }>,
): Operators {
  const operators: Record<string, Op> = { ...OPERATORS };
  for (const type of checkTypes) {
    if (operators[type.id]) {
      throw new Error(
        `Scorecard check type '${type.id}' is added twice or is a built-in operator`,
      );
    }
    operators[type.id] = (actual, expected) => type.evaluate(actual, expected);
  }
  return operators;
}
