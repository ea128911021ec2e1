import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

/** When entities' docs were last built. */
export interface DocsBuildTimes {
  /** One time per entity, in order; undefined where it is not known. */
  buildTimes(entities: Entity[]): Promise<(Date | undefined)[]>;
}

/** How many metadata requests run at once. */
const CONCURRENCY = 8;

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

  async buildTimes(entities: Entity[]): Promise<(Date | undefined)[]> {
    if (entities.length === 0) return [];
    const { discovery, auth, logger } = this.deps;
    let baseUrl: string;
    let token: string;
    try {
      baseUrl = await discovery.getBaseUrl('techdocs');
      ({ token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'techdocs',
      }));
    } catch (error) {
      logger.warn(`TechDocs metadata unavailable: ${error}`);
      return entities.map(() => undefined);
    }
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
