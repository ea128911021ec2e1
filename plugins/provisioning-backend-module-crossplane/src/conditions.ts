import { Condition } from './xrd';

/**
 * Reasons of a False `Ready` or `Synced` condition that say something went wrong,
 * rather than that Crossplane is still at work (`Creating`, `ReconcilePaused`,
 * `Deleting`): `ReconcileError` (e.g. a composition function failed, or a composed
 * resource is not valid) and `Unavailable` (it was up, and is not any more).
 */
export const FAILURE_REASONS = new Set(['ReconcileError', 'Unavailable']);

/** The conditions that make a composite resource ready, in the order they are told. */
const READY_CONDITIONS = ['Ready', 'Synced'];

/**
 * What a composite resource's conditions say.
 *
 * @public
 */
export type Readiness =
  | { state: 'ready'; message: string }
  | { state: 'waiting'; message: string }
  | { state: 'failed'; message: string };

/** The part of a composite resource readiness depends on. */
export interface ConditionedObject {
  metadata?: { generation?: number };
  status?: { conditions?: Condition[] };
}

function describe(condition: Condition): string {
  const reason = condition.reason ? ` (${condition.reason})` : '';
  const message = condition.message ? `: ${condition.message}` : '';
  return `${condition.type} is ${condition.status}${reason}${message}`;
}

/**
 * Whether Crossplane reports the composite resource ready (`Ready` and `Synced`
 * True), failing (either False for a reason in {@link FAILURE_REASONS}), or still
 * at work. A condition about an older generation of the spec than the current one
 * counts as not reported yet: Crossplane has not looked at the change.
 */
export function readinessOf(object: ConditionedObject): Readiness {
  const generation = object.metadata?.generation;
  const conditions = object.status?.conditions ?? [];
  const current = (type: string) =>
    conditions.find(
      c =>
        c.type === type &&
        (c.observedGeneration === undefined ||
          generation === undefined ||
          c.observedGeneration >= generation),
    );
  const found = READY_CONDITIONS.map(type => ({
    type,
    condition: current(type),
  }));

  const failures = found.filter(
    ({ condition }) =>
      condition?.status === 'False' &&
      FAILURE_REASONS.has(condition.reason ?? ''),
  );
  if (failures.length > 0) {
    return {
      state: 'failed',
      message: failures.map(({ condition }) => describe(condition!)).join('; '),
    };
  }
  if (found.every(({ condition }) => condition?.status === 'True')) {
    return { state: 'ready', message: 'Ready and Synced' };
  }
  return {
    state: 'waiting',
    message: found
      .map(({ type, condition }) =>
        condition
          ? describe(condition)
          : `${type}: not reported by Crossplane yet${
              generation === undefined ? '' : ` (generation ${generation})`
            }`,
      )
      .join('; '),
  };
}
