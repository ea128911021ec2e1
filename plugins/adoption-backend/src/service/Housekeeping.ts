import {
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readSchedule } from '@paved/backend-plugin-utils';
import { EventStore } from '../database/EventStore';
import { RollupStore } from '../database/RollupStore';
import { dayOf } from '../days';
import { ScaffolderRunCollector } from './ScaffolderRunCollector';

/**
 * The plugin's scheduled work, each task global (one replica runs it): rolling up
 * new events, purging raw events past retention, and recording scaffolder runs.
 */
export class Housekeeping {
  constructor(
    private readonly deps: {
      events: EventStore;
      rollups: RollupStore;
      collector: ScaffolderRunCollector;
      logger: LoggerService;
      rawEventRetentionMs: number;
      now?: () => Date;
    },
  ) {}

  /** The first day whose raw events are kept. */
  oldestRetainedDay() {
    const now = this.deps.now?.() ?? new Date();
    return dayOf(now.getTime() - this.deps.rawEventRetentionMs);
  }

  async refreshRollups() {
    const { days } = await this.deps.rollups.refresh({
      oldestDay: this.oldestRetainedDay(),
      today: dayOf(this.deps.now?.() ?? new Date()),
    });
    if (days.length > 0) {
      this.deps.logger.debug(`Rolled up ${days.length} day(s) of events`);
    }
    return { days: days.length };
  }

  async purge() {
    // Roll up first so that nothing is purged before it is counted.
    await this.refreshRollups();
    const purged = await this.deps.events.purgeBefore(this.oldestRetainedDay());
    if (purged > 0) {
      this.deps.logger.info(`Purged ${purged} raw adoption event(s)`);
    }
    return { purged };
  }

  /**
   * `config` may override each task's schedule (`adoption.schedule.<task>`), e.g. to
   * make the intervals short in a test of several replicas.
   */
  async schedule(scheduler: SchedulerService, config?: RootConfigService) {
    const read = (
      key: 'rollups' | 'retention' | 'scaffolderRuns',
      fallback: SchedulerServiceTaskScheduleDefinition,
    ) => readSchedule(config, `adoption.schedule.${key}`, fallback);
    await scheduler.scheduleTask({
      id: 'adoption-rollups',
      ...read('rollups', {
        frequency: { minutes: 5 },
        timeout: { minutes: 30 },
        initialDelay: { seconds: 30 },
      }),
      scope: 'global',
      fn: async () => {
        await this.refreshRollups();
      },
    });
    await scheduler.scheduleTask({
      id: 'adoption-retention',
      ...read('retention', {
        frequency: { hours: 6 },
        timeout: { hours: 1 },
        initialDelay: { minutes: 5 },
      }),
      scope: 'global',
      fn: async () => {
        await this.purge();
      },
    });
    await scheduler.scheduleTask({
      id: 'adoption-scaffolder-runs',
      ...read('scaffolderRuns', {
        frequency: { minutes: 10 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 1 },
      }),
      scope: 'global',
      fn: async () => {
        const { recorded } = await this.deps.collector.collect();
        if (recorded > 0) {
          this.deps.logger.info(`Recorded ${recorded} golden-path run(s)`);
        }
      },
    });
  }
}
