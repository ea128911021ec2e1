import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { stringifyError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Incident,
  IncidentTimelineEvent,
} from '@paved/plugin-incidents-common';
import { RunbookRunsReader } from '../runbooks/RunbookRunsReader';

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m ${seconds % 60}s`
    : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/**
 * The runbook runs on an incident's entity while it was open, as timeline events.
 * Read from the runbooks backend at request time, as the caller, so they are never
 * stale and the caller sees only what they may see.
 */
export class RunbookTimeline {
  constructor(
    private readonly deps: {
      runbookRuns: RunbookRunsReader;
      catalog: CatalogService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async eventsOf(
    incident: Incident,
    credentials: BackstageCredentials,
  ): Promise<{ events: IncidentTimelineEvent[]; error?: string }> {
    let runs;
    try {
      runs = await this.deps.runbookRuns.runs(incident.entityRef, credentials);
    } catch (error) {
      this.deps.logger.warn(
        `Could not read runbook runs on ${incident.entityRef}: ${stringifyError(
          error,
        )}`,
      );
      return {
        events: [],
        error:
          'Runbook runs could not be loaded: the runbooks service did not answer.',
      };
    }
    const from = Date.parse(incident.openedAt);
    const to = incident.resolvedAt
      ? Date.parse(incident.resolvedAt)
      : Number.POSITIVE_INFINITY;
    const during = runs.filter(run => {
      const at = Date.parse(run.createdAt);
      return at >= from && at <= to;
    });
    const titles = await this.titles(
      [...new Set(during.map(run => run.templateRef))],
      credentials,
    );
    return {
      events: during.map(run => {
        const title = titles.get(run.templateRef) ?? run.templateRef;
        const who = run.createdBy ?? 'someone';
        const duration =
          run.durationMs !== undefined
            ? ` in ${formatDuration(run.durationMs)}`
            : '';
        return {
          type: 'runbook-run' as const,
          message: `${who} ran the runbook ${title}: ${run.outcome}${duration}`,
          ...(run.createdBy ? { actor: run.createdBy } : {}),
          at: new Date(run.createdAt).toISOString(),
          runbookRun: {
            taskId: run.taskId,
            templateRef: run.templateRef,
            templateTitle: title,
            outcome: run.outcome,
            ...(run.durationMs !== undefined
              ? { durationMs: run.durationMs }
              : {}),
            link: `/create/tasks/${encodeURIComponent(run.taskId)}`,
          },
        };
      }),
    };
  }

  /** Template titles by ref; the template's name where the catalog has no title. */
  private async titles(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    const titles = new Map<string, string>();
    for (const ref of refs) {
      try {
        titles.set(ref, parseEntityRef(ref).name);
      } catch {
        titles.set(ref, ref);
      }
    }
    if (refs.length === 0) return titles;
    try {
      const { items } = await this.deps.catalog.getEntitiesByRefs(
        { entityRefs: refs },
        { credentials },
      );
      items.forEach((entity, index) => {
        if (entity?.metadata.title) {
          titles.set(refs[index], entity.metadata.title);
        }
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not read runbook titles: ${stringifyError(error)}`,
      );
    }
    return titles;
  }
}
