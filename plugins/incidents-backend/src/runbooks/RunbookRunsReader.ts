import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { responseBody } from '@paved/openapi-client-utils';
import { RunbookRun, RunbooksApiClient } from '@paved/plugin-runbooks-common';

/** Reads the runbook runs on an entity, as the caller. */
export interface RunbookRunsReader {
  runs(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<RunbookRun[]>;
}

/**
 * {@link RunbookRunsReader} over the runbooks backend's `GET /runs`, through the
 * client generated from its OpenAPI spec.
 */
export class HttpRunbookRunsReader implements RunbookRunsReader {
  private readonly api: RunbooksApiClient;

  constructor(
    discovery: DiscoveryService,
    private readonly auth: AuthService,
    timeoutMs = 5_000,
  ) {
    this.api = new RunbooksApiClient({
      discoveryApi: discovery,
      // The runs are an optional part of an incident's timeline: a slow runbooks
      // backend must not hold the incident's page.
      fetchApi: {
        fetch: (input, init) =>
          fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
      },
    });
  }

  async runs(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<RunbookRun[]> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'runbooks',
    });
    const { items } = await responseBody<{ items: RunbookRun[] }>(
      this.api.listRuns({ query: { entityRef } }, { token }),
    );
    return items;
  }
}
