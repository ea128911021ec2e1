import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ScaffolderTaskSummary } from '@paved/plugin-runbooks-common';
import { responseBody } from '@paved/openapi-client-utils';

/** The scaffolder's own task list, read as this plugin (every task, not only the user's). */
export class ScaffolderTasks {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** Tasks with one of `statuses`, oldest first. */
  async list(statuses: string[]): Promise<ScaffolderTaskSummary[]> {
    const { baseUrl, headers } = await this.request();
    const query = new URLSearchParams();
    for (const status of statuses) {
      query.append('status', status);
    }
    query.set('order', 'asc:created_at');
    query.set('limit', '1000');
    const body = await responseBody<{ tasks: ScaffolderTaskSummary[] }>(
      fetch(`${baseUrl}/v2/tasks?${query}`, { headers }),
    );
    return body.tasks;
  }

  /** Whether step `stepId` of the task has completed (not failed). */
  async hasCompletedStep(taskId: string, stepId: string): Promise<boolean> {
    const { baseUrl, headers } = await this.request();
    const events = await responseBody<
      Array<{ body: { stepId?: string; status?: string } }>
    >(
      fetch(`${baseUrl}/v2/tasks/${encodeURIComponent(taskId)}/events`, {
        headers,
      }),
    );
    return events.some(
      event =>
        event.body.stepId === stepId && event.body.status === 'completed',
    );
  }

  private async request() {
    const baseUrl = await this.discovery.getBaseUrl('scaffolder');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    return { baseUrl, headers: { authorization: `Bearer ${token}` } };
  }
}
