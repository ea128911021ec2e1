import { FactValue } from '@paved/plugin-scorecard-common';

/**
 * A kind of comparison a check's rules may use, beside the built-in operators
 * (`equal`, `greaterThanInclusive`, `exists`, ...): rules name it as their
 * `operator`. Added by a backend module, e.g. a `semverAtLeast` type that compares
 * a version fact with a minimum version.
 *
 * @public
 */
export interface CheckType {
  /** The operator name rules use; must not be a built-in operator's. */
  id: string;
  /** What it tests, for people writing checks. */
  description: string;
  /**
   * Whether the fact's value passes. Pure and quick: it runs once per entity,
   * check and rule on every evaluation. A missing fact is `undefined`.
   */
  evaluate(
    actual: FactValue | undefined,
    expected: FactValue | undefined,
  ): boolean;
}
