import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { parseSyncStream } from './parseSyncStream';

/** The annotation that marks an entity as having TechDocs. */
const TECHDOCS_REF_ANNOTATION = 'backstage.io/techdocs-ref';

/** What one prebuild pass did. */
export interface PrebuildSummary {
  entities: number;
  updated: string[];
  upToDate: string[];
  failed: { entityRef: string; message: string }[];
}

/**
 * Builds the TechDocs of every catalog entity that has them, ahead of the first
 * visit, by asking the techdocs backend to sync each one.
 *
 * With `techdocs.builder: local`, Backstage builds a site only when someone opens it,
 * so search finds nothing in docs nobody has read yet. Going through the techdocs
 * backend's own sync endpoint (rather than running mkdocs here) keeps its
 * publisher, cache and build strategy in charge.
 */
export class TechDocsPrebuilder {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      fetch?: typeof fetch;
    },
  ) {}

  async run(): Promise<PrebuildSummary> {
    const { catalog, auth, discovery, logger } = this.deps;
    const doFetch = this.deps.fetch ?? fetch;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${TECHDOCS_REF_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    const baseUrl = await discovery.getBaseUrl('techdocs');
    const summary: PrebuildSummary = {
      entities: items.length,
      updated: [],
      upToDate: [],
      failed: [],
    };
    // One at a time: each build runs mkdocs, and the machine may have 2 cores.
    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity);
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'techdocs',
      });
      const namespace = entity.metadata.namespace ?? 'default';
      const url = `${baseUrl}/sync/${encodeURIComponent(
        namespace,
      )}/${encodeURIComponent(entity.kind)}/${encodeURIComponent(
        entity.metadata.name,
      )}`;
      try {
        const response = await doFetch(url, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!response.ok) {
          throw new Error(`HTTP ${response.status} ${await response.text()}`);
        }
        const outcome = parseSyncStream(await response.text());
        if (outcome.kind === 'failed') {
          throw new Error(outcome.message);
        }
        (outcome.updated ? summary.updated : summary.upToDate).push(entityRef);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.warn(`TechDocs prebuild of ${entityRef} failed: ${message}`);
        summary.failed.push({ entityRef, message });
      }
    }
    return summary;
  }
}
