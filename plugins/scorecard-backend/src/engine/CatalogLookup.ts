import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityLookup } from '@paved/plugin-scorecard-node';
import { refOf } from '../providers/refs';

/**
 * Catalog reads for one evaluation, cached: each ref and each kind is fetched once,
 * in batches, however many providers ask.
 */
export class CatalogLookup implements EntityLookup {
  private readonly byRef = new Map<string, Entity | null>();
  private readonly byKind = new Map<string, Promise<Entity[]>>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly credentials: BackstageCredentials,
  ) {}

  /** Seeds the cache with entities already read. */
  add(entities: Entity[]) {
    for (const e of entities) this.byRef.set(refOf(e), e);
  }

  async getByRefs(refs: string[]): Promise<Map<string, Entity>> {
    const missing = [...new Set(refs)].filter(r => !this.byRef.has(r));
    for (let i = 0; i < missing.length; i += 1000) {
      const chunk = missing.slice(i, i + 1000);
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: chunk },
        { credentials: this.credentials },
      );
      chunk.forEach((ref, j) => this.byRef.set(ref, items[j] ?? null));
    }
    const out = new Map<string, Entity>();
    for (const ref of refs) {
      const e = this.byRef.get(ref);
      if (e) out.set(ref, e);
    }
    return out;
  }

  getByKind(kind: string): Promise<Entity[]> {
    const key = kind.toLocaleLowerCase('en-US');
    let found = this.byKind.get(key);
    if (!found) {
      found = this.catalog
        .getEntities({ filter: { kind } }, { credentials: this.credentials })
        .then(r => {
          this.add(r.items);
          return r.items;
        });
      this.byKind.set(key, found);
    }
    return found;
  }
}

/** Every entity of `kinds`, paged through the catalog. */
export async function readAllEntities(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  kinds: string[],
  fields?: string[],
): Promise<Entity[]> {
  const out: Entity[] = [];
  let cursor: string | undefined;
  do {
    const page: any = await catalog.queryEntities(
      cursor
        ? { cursor, limit: 2000, fields }
        : { filter: { kind: kinds }, limit: 2000, fields },
      { credentials },
    );
    out.push(...page.items);
    cursor = page.pageInfo?.nextCursor;
  } while (cursor);
  return out;
}
