import { JsonObject } from '@backstage/types';

/**
 * A day-2 action of a resource type, as `GET /types` describes it.
 *
 * @public
 */
export interface ResourceTypeActionInfo {
  id: string;
  title: string;
  description?: string;
  /** JSON Schema of the action's input. */
  parameters: JsonObject;
}

/**
 * A resource type, as `GET /types` describes it: enough to render its request form.
 *
 * @public
 */
export interface ResourceTypeInfo {
  id: string;
  title: string;
  description: string;
  /** The `spec.type` of the catalog Resource entities of this type, e.g. `database`. */
  catalogType: string;
  /** JSON Schema (an object schema) of the request's parameters. */
  parameters: JsonObject;
  /** Present for types whose resources expire without activity. */
  lifetime?: {
    /** The longest an owner may extend a resource by, in hours from now. */
    maxHours: number;
  };
  /**
   * The Score resource types (`resources.<name>.type` of a `score.yaml`) the type
   * provides, e.g. `postgres`; absent for types Score workloads cannot use.
   */
  scoreTypes?: string[];
  actions: ResourceTypeActionInfo[];
}
