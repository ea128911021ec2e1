import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The entity as the caller sees it in the catalog. The catalog applies the
 * permission framework to the caller's credentials, so an entity the user may not
 * read is "not found" here exactly as on its catalog page (no hint that it exists).
 */
export async function visibleEntity(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
  fields?: string[],
): Promise<Entity> {
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: [entityRef], fields },
    { credentials },
  );
  const entity = items[0];
  if (!entity) {
    throw new NotFoundError(`No entity '${entityRef}' in the catalog`);
  }
  return entity;
}

/** Which of `refs` the caller may see in the catalog (one request). */
export async function visibleRefs(
  catalog: CatalogService,
  refs: string[],
  credentials: BackstageCredentials,
): Promise<Set<string>> {
  if (!refs.length) return new Set();
  const { items } = await catalog.getEntitiesByRefs(
    {
      entityRefs: refs,
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    },
    { credentials },
  );
  // getEntitiesByRefs answers in the order asked, null where the caller sees nothing.
  return new Set(refs.filter((_, i) => items[i]));
}
