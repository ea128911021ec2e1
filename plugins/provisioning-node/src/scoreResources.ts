import { JsonObject } from '@backstage/types';
import { ReferencedRequest } from './StepContext';
import type { ResourceType } from './ResourceType';

/**
 * A resource a Score workload asks for (`resources.<name>` of its `score.yaml`), as a
 * resource type's `score.parameters` sees it.
 *
 * @public
 */
export interface ScoreResourceClaim {
  /** The resource's name in the workload, e.g. `db`. */
  name: string;
  /** `resources.<name>.type`, e.g. `postgres`. */
  type: string;
  /** `resources.<name>.class`, e.g. `large`; the type's default when absent. */
  class?: string;
  /** `resources.<name>.params`, as written in the workload. */
  params?: JsonObject;
  /** The workload's `metadata.name`. */
  workload: string;
}

/**
 * What a placeholder `${resources.<name>.<output>}` resolves to: a plain value, or a
 * key of the Secret the resource type delivered into the environment's namespace. A
 * secret output becomes a `secretKeyRef` in the rendered manifests, never a value.
 *
 * @public
 */
export type ScoreResourceOutput =
  | { value: string | number | boolean }
  | { secretKeyRef: { name: string; key: string } };

/**
 * Makes a resource type usable from Score: the Score resource types it provides, the
 * request it makes for a workload's resource, and the outputs placeholders can name.
 * The type must also declare `environmentCopy`: the request is attached to the
 * environment the workload is deployed into, and found there again by the next
 * deployment of the same workload and resource name.
 *
 * @public
 */
export interface ScoreResources<TParams extends JsonObject = JsonObject> {
  /** Score resource types (`resources.<name>.type`) it provides, e.g. `['postgres']`. */
  types: string[];
  /**
   * The parameters of the request made for a claim when the environment has none
   * for it; `environmentName` is set by the caller. Throws an `InputError` naming
   * `resources.<name>.class` or `resources.<name>.params.<key>` for values it refuses.
   */
  parameters(claim: ScoreResourceClaim): JsonObject;
  /** The outputs of a ready request of the type, by name (e.g. `host`, `password`). */
  outputs(
    request: ReferencedRequest<TParams>,
  ): Record<string, ScoreResourceOutput>;
}

/**
 * The resource types registered with the provisioning plugin, as steps and checks of
 * other types see them, e.g. the workload type resolving a Score resource.
 *
 * @public
 */
export interface ResourceTypeLookup {
  /** The registered type whose `score.types` include `scoreType`, if any. */
  forScoreType(scoreType: string): ResourceType | undefined;
  /** Every Score resource type a registered type provides, sorted. */
  scoreTypes(): string[];
}
