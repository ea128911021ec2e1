/**
 * The value of a fact: what a provider says about an entity.
 *
 * @public
 */
export type FactValue = string | number | boolean | string[] | null;

/** @public */
export type FactType = 'boolean' | 'number' | 'string' | 'set';

/**
 * The operators a rule may use.
 *
 * @public
 */
export const RULE_OPERATORS = [
  'equal',
  'notEqual',
  'greaterThan',
  'greaterThanInclusive',
  'lessThan',
  'lessThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'exists',
] as const;

/** @public */
export type RuleOperator = (typeof RULE_OPERATORS)[number];

/**
 * One condition over a fact, e.g. `{ fact: 'catalog.hasOwner', operator: 'equal', value: true }`.
 *
 * @public
 */
export interface Rule {
  fact: string;
  /** A built-in operator, or the id of a check type a module added. */
  operator: RuleOperator | (string & {});
  value?: FactValue;
}

/** @public */
export interface CheckDefinition {
  id: string;
  title: string;
  /** Why it matters. */
  description: string;
  /** How to fix it: a sentence. */
  howToFix: string;
  /** A link to docs or a template. */
  fixUrl?: string;
  /**
   * A fact whose string value, when set, is this entity's own fix link, e.g. its
   * open upgrade change; else fixUrl. Not required to be known: without the
   * provider of that fact every entity gets fixUrl.
   */
  fixUrlFact?: string;
  /** Every rule must hold (`all`) or one of them (`any`, default `all`). */
  match?: 'all' | 'any';
  rules: Rule[];
  /** Kinds it applies to; default `component`. Not-applicable checks pass. */
  appliesTo?: { kinds?: string[]; types?: string[] };
}

/** @public */
export interface LevelDefinition {
  level: number;
  name: string;
  checks: CheckDefinition[];
}

/** @public */
export interface TrackDefinition {
  id: string;
  title: string;
  description?: string;
  levels: LevelDefinition[];
}

/** @public */
export interface CheckResult {
  checkId: string;
  title: string;
  /** Why it matters. */
  description?: string;
  level: number;
  passed: boolean;
  /** Why it passed or failed, with the facts' values. */
  reason: string;
  howToFix?: string;
  fixUrl?: string;
}

/** @public */
export interface EntityTrackScore {
  trackId: string;
  title: string;
  /** 0 when not even level 1 passes. */
  level: number;
  levelName: string;
  checks: CheckResult[];
  evaluatedAt: string;
}

/** @public */
export interface EntityScorecard {
  entityRef: string;
  tracks: EntityTrackScore[];
}
