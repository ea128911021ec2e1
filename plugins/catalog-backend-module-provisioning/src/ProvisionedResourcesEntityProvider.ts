import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { responseBody } from '@paved/openapi-client-utils';
import {
  ACTIVE_REQUEST_STATES,
  ProvisioningApiClient,
  ProvisioningRequest,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import { requestToEntity } from './requestToEntity';

/** The provisioning API's largest page. */
const PAGE_SIZE = 500;

/**
 * Puts every active provisioned resource (from the provisioning plugin's API) in
 * the catalog as a `Resource` entity, so that databases and environments show up
 * under their team and next to the components they serve. Deleted and rejected
 * requests drop out of the catalog on the next run.
 */
export class ProvisionedResourcesEntityProvider implements EntityProvider {
  private readonly api: ProvisioningApiClient;
  private connection?: EntityProviderConnection;
  private lastLogged?: string;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      appBaseUrl: string;
      /** Runs `fn` on a schedule; called when the catalog connects the provider. */
      schedule?: (fn: () => Promise<void>) => Promise<void>;
      fetch?: typeof fetch;
    },
  ) {
    this.api = new ProvisioningApiClient({
      discoveryApi: options.discovery,
      fetchApi: { fetch: options.fetch ?? fetch },
    });
  }

  getProviderName(): string {
    return 'paved-provisioned-resources';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.schedule?.(() => this.refresh());
  }

  /** Reads all active requests and applies them when anything changed. */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }
    const { items: typeList } = await responseBody<{
      items: ResourceTypeInfo[];
    }>(this.api.listResourceTypes({}, await this.token()));
    const types = new Map(typeList.map(type => [type.id, type]));
    const requests: ProvisioningRequest[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await responseBody<{ items: ProvisioningRequest[] }>(
        this.api.listRequests(
          {
            query: {
              state: ACTIVE_REQUEST_STATES.join(','),
              limit: PAGE_SIZE,
              offset,
            },
          },
          await this.token(),
        ),
      );
      requests.push(...page.items);
      if (page.items.length < PAGE_SIZE) {
        break;
      }
    }
    const entities = requests.map(request => {
      const type = types.get(request.type);
      return requestToEntity(request, {
        catalogType: type?.catalogType ?? request.type,
        typeTitle: type?.title ?? request.type,
        appBaseUrl: this.options.appBaseUrl,
      });
    });
    // Applied on every run, even when this process emitted the same set last time:
    // the task is global, so another replica may have emitted a different set since
    // (a resource made there and deleted before this run), and skipping would leave
    // that set in the catalog. The catalog compares hashes, so an unchanged set costs
    // one read and writes nothing.
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    // Only the log line is kept per process: at worst a replica logs a count again.
    const fingerprint = JSON.stringify(entities);
    if (fingerprint !== this.lastLogged) {
      this.lastLogged = fingerprint;
      this.options.logger.info(
        `Provisioned resources in the catalog: ${entities.length}`,
      );
    }
  }

  /** Reads as this plugin: every team's requests, not one user's. */
  private async token(): Promise<{ token: string }> {
    const { auth } = this.options;
    return auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'provisioning',
    });
  }
}
