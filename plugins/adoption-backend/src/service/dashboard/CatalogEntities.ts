import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ExpiringCache } from '@paved/backend-plugin-utils';

/**
 * How long a kind's entities are reused. The dashboard counts 30 days of use; a
 * catalog change showing a minute late changes nothing, while reading every component
 * from the catalog on each request was the golden-paths and docs sections' main cost
 * under load (100 viewers: 100 full catalog reads at once).
 */
export const CATALOG_TTL_MS = 60_000;

/**
 * The catalog's entities of a kind with some fields, read as the plugin itself:
 * the dashboard counts what exists, whatever the viewer may see.
 */
export class CatalogEntities {
  private readonly cache: ExpiringCache<string, Entity[]>;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
    },
  ) {
    this.cache = new ExpiringCache({ ttlMs: CATALOG_TTL_MS });
  }

  async ofKind(kind: string, fields: string[]): Promise<Entity[]> {
    return this.cache.get(JSON.stringify([kind, fields]), async () => {
      const { items } = await this.deps.catalog.getEntities(
        {
          filter: { kind },
          fields: ['kind', 'metadata.name', 'metadata.namespace', ...fields],
        },
        { credentials: await this.deps.auth.getOwnServiceCredentials() },
      );
      return items;
    });
  }
}
