import type { ResourceType } from './ResourceType';
import type { ResourceTypeLookup } from './scoreResources';

/**
 * A {@link ResourceTypeLookup} over the given types: the engine's over the registered
 * ones, a test's over those it runs with. Throws when a type with `score` lacks
 * `environmentCopy` (its requests could not be attached to an environment) or when
 * two types provide the same Score resource type (a workload's resource would be
 * ambiguous), naming the types: the engine then fails to start.
 *
 * @public
 */
export function resourceTypeLookup(
  types: ResourceType<any>[],
): ResourceTypeLookup {
  const byScoreType = new Map<string, ResourceType>();
  for (const type of types) {
    if (!type.score) {
      continue;
    }
    if (!type.environmentCopy) {
      throw new Error(
        `Resource type '${type.id}' declares 'score' but not 'environmentCopy'; the requests it makes for Score workloads are attached to environments`,
      );
    }
    for (const scoreType of type.score.types) {
      const other = byScoreType.get(scoreType);
      if (other && other.id !== type.id) {
        throw new Error(
          `Resource types '${other.id}' and '${type.id}' both provide the Score resource type '${scoreType}'; only one may`,
        );
      }
      byScoreType.set(scoreType, type);
    }
  }
  const sorted = [...byScoreType.keys()].sort();
  return {
    forScoreType: scoreType => byScoreType.get(scoreType),
    scoreTypes: () => [...sorted],
  };
}
