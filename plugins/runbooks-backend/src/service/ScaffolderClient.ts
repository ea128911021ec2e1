import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { ScaffolderTaskSummary } from '@paved/plugin-runbooks-common';

/** The scaffolder's task API, as runbooks use it. */
export class ScaffolderClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** Tasks, newest first; with `statuses`, only those. Read as this plugin. */
  async listTasks(
    options: { statuses?: string[]; limit?: number } = {},
  ): Promise<ScaffolderTaskSummary[]> {
    const query = new URLSearchParams();
    for (const status of options.statuses ?? []) {
      query.append('status', status);
    }
    query.set('order', 'desc:created_at');
    query.set('limit', String(options.limit ?? 1000));
    const body = await this.call<{ tasks: ScaffolderTaskSummary[] }>(
      await this.auth.getOwnServiceCredentials(),
      `/v2/tasks?${query}`,
    );
    return body.tasks;
  }

  /** Starts a task of `templateRef` as the user of `credentials`. */
  async createTask(
    credentials: BackstageCredentials,
    templateRef: string,
    values: JsonObject,
  ): Promise<string> {
    const body = await this.call<{ id: string }>(credentials, '/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({ templateRef, values }),
    });
    return body.id;
  }

  private async call<T>(
    credentials: BackstageCredentials,
    path: string,
    init: RequestInit = {},
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('scaffolder');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'scaffolder',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
