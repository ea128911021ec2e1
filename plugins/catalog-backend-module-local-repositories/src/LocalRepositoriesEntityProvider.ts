import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
  locationSpecToLocationEntity,
} from '@backstage/plugin-catalog-node';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';

/**
 * Puts every checkout of the portal's local repositories into the catalog as a
 * `file` Location, the way the GitHub and GitLab discovery providers emit `url`
 * Locations for the repositories they find.
 *
 * Why a provider and not `catalog:register`: the catalog only lets its API register
 * `url` locations, and allowing `file` there would let any signed-in user register
 * (and so read) any file on the server. This provider only emits the checkouts that
 * the paved publish and register actions made in the data folder.
 */
export class LocalRepositoriesEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private lastEmitted?: string;

  constructor(
    private readonly repositories: LocalRepositories,
    private readonly logger: LoggerService,
    /** Runs `fn` on a schedule; called when the catalog connects the provider. */
    private readonly schedule?: (fn: () => Promise<void>) => Promise<void>,
  ) {}

  getProviderName(): string {
    return 'paved-local-repositories';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.schedule?.(() => this.refresh());
  }

  /**
   * Emits one Location per checkout. Only applies a mutation when the set changed
   * (the catalog's own processing loop re-reads the files), so that frequent runs
   * cost one directory listing.
   */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }
    const names = await this.repositories.listCheckouts();
    const key = names.join('\n');
    if (key === this.lastEmitted) {
      return;
    }
    await this.connection.applyMutation({
      type: 'full',
      entities: names.map(name => ({
        locationKey: this.getProviderName(),
        entity: locationSpecToLocationEntity({
          location: {
            type: 'file',
            target: this.repositories.catalogInfoPath(name),
          },
        }),
      })),
    });
    this.lastEmitted = key;
    this.logger.info(
      `Local repositories in the catalog: ${names.length} (${this.repositories.directory})`,
    );
  }
}
