import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  findConcurrentRun,
  RUNBOOK_DOCS_ANNOTATION,
  RUNBOOK_TEMPLATE_TYPE,
  runbookAppliesTo,
  runbookRunPermission,
  RunbookRun,
  RunbookRunOutcome,
  RunbookSummary,
  templateRefOf,
} from '@paved/plugin-runbooks-common';
import { ScaffolderClient } from './ScaffolderClient';

/** A full entity ref, or an InputError naming `field`. */
export function normalizeRef(
  ref: unknown,
  field: string,
  defaultKind?: string,
): string {
  if (typeof ref !== 'string' || !ref) {
    throw new InputError(`${field} is required`);
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError(`${field} '${ref}' is not an entity reference`);
  }
}

function safeRef(ref: unknown): string | undefined {
  try {
    return typeof ref === 'string'
      ? stringifyEntityRef(parseEntityRef(ref, { defaultNamespace: 'default' }))
      : undefined;
  } catch {
    return undefined;
  }
}

/** Which runbooks apply to an entity, their runs, and starting one. */
export class RunbookService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      scaffolder: ScaffolderClient;
      permissions: PermissionsService;
    },
  ) {}

  async entity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Unable to find entity '${entityRef}'`);
    }
    return entity;
  }

  private async templates(credentials: BackstageCredentials) {
    const { items } = await this.deps.catalog.getEntities(
      { filter: { kind: 'Template', 'spec.type': RUNBOOK_TEMPLATE_TYPE } },
      { credentials },
    );
    return items;
  }

  async listRunbooks(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<RunbookSummary[]> {
    const entity = await this.entity(entityRef, credentials);
    return (await this.templates(credentials))
      .filter(template => runbookAppliesTo(template, entity))
      .map(template => summarize(template, entityRef))
      .sort((a, b) => a.title.localeCompare(b.title));
  }

  async listRuns(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<RunbookRun[]> {
    const runbooks = new Set(
      (await this.templates(credentials)).map(t => stringifyEntityRef(t)),
    );
    const tasks = await this.deps.scaffolder.listTasks();
    return tasks
      .filter(task => {
        const templateRef = templateRefOf(task);
        return (
          templateRef !== undefined &&
          runbooks.has(templateRef) &&
          safeRef(task.spec.parameters?.entityRef) === entityRef
        );
      })
      .map(task => {
        const finished = !['open', 'processing'].includes(task.status);
        const end = finished ? Date.parse(task.lastHeartbeatAt ?? '') : NaN;
        const durationMs = Number.isFinite(end)
          ? Math.max(0, end - Date.parse(task.createdAt))
          : undefined;
        return {
          taskId: task.id,
          templateRef: templateRefOf(task)!,
          entityRef,
          createdBy: task.createdBy || undefined,
          createdAt: task.createdAt,
          outcome: task.status as RunbookRunOutcome,
          durationMs,
          parameters: task.spec.parameters ?? {},
          link: `/create/tasks/${encodeURIComponent(task.id)}`,
        };
      });
  }

  /**
   * Starts a runbook on an entity as the user: 403 unless the permission
   * framework lets them run runbooks on it, 409 while the same runbook runs on it.
   */
  async run(
    options: { templateRef: string; entityRef: string; values: JsonObject },
    credentials: BackstageCredentials,
  ): Promise<{ taskId: string; entity: Entity }> {
    const { templateRef, entityRef, values } = options;
    const entity = await this.entity(entityRef, credentials);
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: runbookRunPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not run runbooks on ${entityRef}: only its owner ${
          entity.spec?.owner ?? ''
        } and the platform admins may`.trim(),
      );
    }
    const template = await this.deps.catalog.getEntityByRef(templateRef, {
      credentials,
    });
    if (!template) {
      throw new InputError(
        `templateRef '${templateRef}' is not in the catalog`,
      );
    }
    if (!runbookAppliesTo(template, entity)) {
      throw new InputError(
        `templateRef '${templateRef}' is not a runbook for ${entityRef}`,
      );
    }
    const running = findConcurrentRun(
      await this.deps.scaffolder.listTasks({
        statuses: ['open', 'processing'],
      }),
      { templateRef, entityRef },
    );
    if (running) {
      throw new ConflictError(
        `runbook ${template.metadata.name} is already running on ${entityRef} (task ${running.id})`,
      );
    }
    const taskId = await this.deps.scaffolder.createTask(
      credentials,
      templateRef,
      { ...values, entityRef },
    );
    return { taskId, entity };
  }
}

function summarize(template: Entity, entityRef: string): RunbookSummary {
  const { name, namespace = 'default' } = template.metadata;
  const parameters = [template.spec?.parameters ?? []].flat() as Array<{
    properties?: Record<string, unknown>;
  }>;
  const docs =
    template.metadata.annotations?.[RUNBOOK_DOCS_ANNOTATION] ??
    template.metadata.links?.find(
      link => link.icon === 'docs' || /doc/i.test(link.title ?? ''),
    )?.url;
  return {
    templateRef: stringifyEntityRef(template),
    name,
    title: template.metadata.title ?? name,
    description: template.metadata.description,
    version: template.metadata.annotations?.['paved.dev/template-version'],
    destructive: parameters.some(step => step.properties?.confirm),
    link: `/create/templates/${encodeURIComponent(
      namespace,
    )}/${encodeURIComponent(name)}?formData=${encodeURIComponent(
      JSON.stringify({ entityRef }),
    )}`,
    docsUrl: docs,
  };
}
