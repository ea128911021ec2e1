import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The catalog's entities of a kind with some fields, read as the plugin itself:
 * the dashboard counts what exists, whatever the viewer may see.
 */
export class CatalogEntities {
  constructor(
    private readonly deps: { catalog: CatalogService; auth: AuthService },
  ) {}

  async ofKind(kind: string, fields: string[]): Promise<Entity[]> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: { kind },
        fields: ['kind', 'metadata.name', 'metadata.namespace', ...fields],
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    return items;
  }
}
