import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ScaffolderRun,
  ScaffolderRunStore,
} from '../database/ScaffolderRunStore';
import { Pseudonymizer } from './Pseudonymizer';

const FINISHED = ['completed', 'failed', 'cancelled'] as const;
const PAGE = 100;
/** Pages read at most per run, so a huge history is taken in over several runs. */
const MAX_PAGES = 50;
/**
 * Tasks created this recently are always looked at again: one may finish after
 * newer ones were recorded (the scaffolder's default task timeout is 24 hours).
 */
const RECENT_MS = 25 * 3_600_000;

interface SerializedTask {
  id: string;
  spec?: {
    templateInfo?: { entityRef?: string };
    user?: { ref?: string };
    parameters?: Record<string, unknown>;
  };
  status: string;
  createdAt: string;
  lastHeartbeatAt?: string;
  createdBy?: string;
}

/**
 * Records finished scaffolder tasks (golden-path runs), reading the scaffolder's
 * task list newest first with the plugin's own service credentials.
 */
export class ScaffolderRunCollector {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      store: ScaffolderRunStore;
      people: Pseudonymizer;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async collect(): Promise<{ recorded: number }> {
    const { discovery, auth, store } = this.deps;
    const baseUrl = await discovery.getBaseUrl('scaffolder');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const recentSince = (this.deps.now?.() ?? new Date()).getTime() - RECENT_MS;
    let recorded = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({
        order: 'desc:created_at',
        limit: String(PAGE),
        offset: String(page * PAGE),
      });
      FINISHED.forEach(status => query.append('status', status));
      const response = await fetch(`${baseUrl}/v2/tasks?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      const { tasks } = (await response.json()) as { tasks: SerializedTask[] };
      const known = await store.known(tasks.map(task => task.id));
      const fresh = tasks.filter(task => !known.has(task.id));
      recorded += await store.record(fresh.map(task => this.toRun(task)));
      const oldest = tasks[tasks.length - 1];
      const pastRecent =
        !oldest || new Date(oldest.createdAt).getTime() < recentSince;
      if (tasks.length < PAGE || (fresh.length === 0 && pastRecent)) {
        break;
      }
    }
    return { recorded };
  }

  private toRun(task: SerializedTask): ScaffolderRun {
    const created = new Date(task.createdAt);
    const finished = task.lastHeartbeatAt
      ? new Date(task.lastHeartbeatAt)
      : undefined;
    const owner = task.spec?.parameters?.owner;
    const createdBy = task.createdBy ?? task.spec?.user?.ref;
    return {
      taskId: task.id,
      templateRef: task.spec?.templateInfo?.entityRef ?? 'unknown',
      outcome: task.status as ScaffolderRun['outcome'],
      createdAt: created,
      durationMs: finished
        ? Math.max(0, finished.getTime() - created.getTime())
        : undefined,
      createdBy: this.deps.people.of(createdBy),
      team:
        typeof owner === 'string' && owner.startsWith('group:')
          ? owner
          : undefined,
    };
  }
}
