import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { FactType, FactValue } from '@paved/plugin-scorecard-common';

/**
 * A fact a provider supplies; its id is global, e.g. `catalog.hasOwner`.
 *
 * @public
 */
export interface FactDescriptor {
  id: string;
  type: FactType;
  description: string;
}

/**
 * Reads catalog entities in bulk during one evaluation. Lookups are cached for the
 * evaluation, so providers may ask for the same refs without extra round trips.
 *
 * @public
 */
export interface EntityLookup {
  /** The entities among `refs` that exist, by their ref (lower case). */
  getByRefs(refs: string[]): Promise<Map<string, Entity>>;
  /** Every entity of a kind (cached per evaluation). */
  getByKind(kind: string): Promise<Entity[]>;
}

/** @public */
export interface FactRetrievalContext {
  logger: LoggerService;
  lookup: EntityLookup;
  /** A token to call other backend plugins as the scorecard plugin. */
  getPluginToken(targetPluginId: string): Promise<string>;
  /** The base URL of another backend plugin. */
  getBaseUrl(pluginId: string): Promise<string>;
}

/**
 * Facts for a batch of entities, by entity ref (lower case) then by fact id.
 *
 * @public
 */
export type FactBatch = Map<string, Record<string, FactValue>>;

/**
 * Supplies facts for many entities at once: one call per evaluation, not per entity.
 *
 * @public
 */
export interface FactProvider {
  id: string;
  facts: FactDescriptor[];
  /** Which entities it has facts for; others get no facts (rules on them fail). */
  entityFilter?: (entity: Entity) => boolean;
  retrieve(entities: Entity[], ctx: FactRetrievalContext): Promise<FactBatch>;
}
