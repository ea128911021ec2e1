import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/**
 * A scheduled task's schedule from config (`{ frequency, timeout, initialDelay? }`)
 * when `key` is set, else the plugin's default: every Paved task can be retimed, which
 * tests of several replicas use to make the intervals short. Durations are better
 * written as ISO strings (`PT8S`): an object over another config layer's object merges
 * with it (`{ seconds: 8 }` over `{ hours: 1 }` keeps both).
 */
export function readSchedule(
  config: RootConfigService | undefined,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const section = config?.getOptionalConfig(key);
  return section
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(section)
    : fallback;
}
