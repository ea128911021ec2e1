import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { RunbookRun } from '@paved/plugin-runbooks-common';

/** Reads the runbook runs on an entity, as the caller. */
export interface RunbookRunsReader {
  runs(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<RunbookRun[]>;
}

/** {@link RunbookRunsReader} over the runbooks backend's `GET /runs`. */
export class HttpRunbookRunsReader implements RunbookRunsReader {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
    private readonly timeoutMs = 5_000,
  ) {}

  async runs(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<RunbookRun[]> {
    const baseUrl = await this.discovery.getBaseUrl('runbooks');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'runbooks',
    });
    const response = await fetch(
      `${baseUrl}/runs?entityRef=${encodeURIComponent(entityRef)}`,
      {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as
      | RunbookRun[]
      | { items: RunbookRun[] };
    return Array.isArray(body) ? body : body.items ?? [];
  }
}
