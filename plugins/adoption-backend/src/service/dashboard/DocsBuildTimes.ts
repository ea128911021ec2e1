import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ExpiringCache } from '@paved/backend-plugin-utils';

/** When entities' docs were last built. */
export interface DocsBuildTimes {
  /** One time per entity, in order; undefined where it is not known. */
  buildTimes(entities: Entity[]): Promise<(Date | undefined)[]>;
}

/** How many metadata requests run at once. */
const CONCURRENCY = 8;

/**
 * How long build times are reused. Docs are stale after weeks; a rebuild showing a
 * few minutes late changes nothing, while asking TechDocs once per docs entity on
 * every request (each a metadata call that reads the entity from the catalog) made
 * the docs section the dashboard's slowest under load.
 */
export const BUILD_TIMES_TTL_MS = 5 * 60_000;

/**
 * {@link DocsBuildTimes} from the TechDocs backend's metadata, read as the plugin
 * itself. Unknown (not failed) when TechDocs cannot be reached: a dashboard section
 * should not break because docs metadata is missing.
 */
export class TechDocsBuildTimes implements DocsBuildTimes {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /** The last answers, per list of entities asked about. */
  private readonly cache = new ExpiringCache<string, (Date | undefined)[]>({
    ttlMs: BUILD_TIMES_TTL_MS,
    maxEntries: 100,
  });

  async buildTimes(entities: Entity[]): Promise<(Date | undefined)[]> {
    if (entities.length === 0) return [];
    try {
      return await this.cache.get(
        entities.map(e => stringifyEntityRef(e)).join('\n'),
        () => this.read(entities),
      );
    } catch (error) {
      this.deps.logger.warn(`TechDocs metadata unavailable: ${error}`);
      return entities.map(() => undefined);
    }
  }

  /** Asks TechDocs; throws only when TechDocs cannot be asked at all. */
  private async read(entities: Entity[]): Promise<(Date | undefined)[]> {
    const { discovery, auth } = this.deps;
    const baseUrl = await discovery.getBaseUrl('techdocs');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'techdocs',
    });
    const results: (Date | undefined)[] = new Array(entities.length);
    let next = 0;
    const worker = async () => {
      while (next < entities.length) {
        const i = next++;
        const { namespace = 'default', name } = entities[i].metadata;
        const kind = entities[i].kind.toLowerCase();
        try {
          const response = await fetch(
            `${baseUrl}/metadata/techdocs/${encodeURIComponent(
              namespace,
            )}/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          const body = response.ok
            ? ((await response.json()) as { build_timestamp?: number })
            : undefined;
          results[i] = body?.build_timestamp
            ? new Date(body.build_timestamp * 1000)
            : undefined;
        } catch {
          results[i] = undefined;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return results;
  }
}
