import {
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readSchedule } from '@paved/backend-plugin-utils';
import { Evaluator } from '../engine/Evaluator';

/**
 * Two global tasks: a full evaluation (facts from outside the catalog, such as
 * TechDocs builds and incidents, change without the entity changing) and a frequent
 * poll of catalog etags that re-scores only the entities that changed.
 */
export async function scheduleEvaluation(options: {
  config: RootConfigService;
  scheduler: SchedulerService;
  logger: LoggerService;
  evaluator: Evaluator;
}) {
  const { config, scheduler, logger, evaluator } = options;
  const read = (
    key: string,
    fallback: SchedulerServiceTaskScheduleDefinition,
  ) => readSchedule(config, key, fallback);
  await scheduler.scheduleTask({
    id: 'scorecard-evaluate-all',
    scope: 'global',
    ...(read('scorecard.schedule.full', {
      frequency: { hours: 1 },
      timeout: { minutes: 15 },
      initialDelay: { seconds: 30 },
    }) as any),
    fn: async () => {
      const s = await evaluator.evaluateAll();
      logger.info(
        `Scorecard: evaluated ${s.evaluated} entities in ${s.durationMs} ms, ${s.changed} changed, ${s.removed} removed`,
      );
    },
  });
  await scheduler.scheduleTask({
    id: 'scorecard-evaluate-changed',
    scope: 'global',
    // Every 2 minutes: each poll reads the etag of every scored entity (the catalog
    // offers no "changed since"), a cost that grows with the catalog; and the catalog
    // itself takes about as long to see a change in a source (its processing
    // interval, 100-200 s), so polling more often mostly re-reads unchanged etags.
    ...(read('scorecard.schedule.incremental', {
      frequency: { minutes: 2 },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 2 },
    }) as any),
    fn: async () => {
      const s = await evaluator.evaluateChanged();
      if (s.evaluated || s.removed) {
        logger.info(
          `Scorecard: re-scored ${s.evaluated} changed entities in ${s.durationMs} ms (${s.changed} changed level or checks, ${s.removed} removed)`,
        );
      }
    },
  });
}
