import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  paved?: {
    /** Template upgrades as change requests, and campaigns. */
    upgrades?: {
      /**
       * Give the sample organisation's golden-path components local repositories
       * (rendered at their recorded template version, with a team edit on top) after
       * start, so that Propose upgrade has something to merge. For `./paved start`.
       * @default false
       */
      sampleRepositories?: boolean;
      campaigns?: {
        /**
         * When campaign reminders are sent (one replica at a time), as
         * `{ frequency, timeout, initialDelay? }`. Defaults to every hour, the first a
         * minute after start.
         */
        reminderSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /** The author of upgrade commits and merges. */
      author?: {
        /** @default Paved */
        name?: string;
        /** @default paved@paved.local */
        email?: string;
      };
    };
  };
}
