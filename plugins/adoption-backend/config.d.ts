import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** The adoption dashboard's backend. */
  adoption?: {
    /**
     * Store an HMAC-SHA256 of each user ref instead of the ref itself.
     * @default false
     */
    pseudonymize?: boolean;
    /**
     * The HMAC secret; when absent, a random one is generated and kept in the
     * plugin's database on first start.
     * @visibility secret
     */
    pseudonymizationSecret?: string;
    /**
     * Figures over fewer distinct people than this are not shown.
     * @default 3
     */
    minimumGroupSize?: number;
    retention?: {
      /**
       * How long raw events are kept; daily and weekly rollups are kept.
       * @default { days: 90 }
       */
      rawEvents?: HumanDuration | string;
    };
    survey?: {
      /**
       * The least time between two NPS surveys shown to one person.
       * @default { days: 90 }
       */
      period?: HumanDuration | string;
    };
    /**
     * The schedules of the plugin's global tasks (one replica runs each), each
     * `{ frequency, timeout, initialDelay? }`.
     */
    schedule?: {
      /** Rolling up new events. @default every 5 minutes, first after 30 s */
      rollups?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Purging raw events past retention. @default every 6 hours, first after 5 minutes */
      retention?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Recording golden-path scaffolder runs. @default every 10 minutes, first after 1 minute */
      scaffolderRuns?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    docs?: {
      /**
       * Docs whose last build is older than this are reported as stale.
       * @default { days: 180 }
       */
      staleAfter?: HumanDuration | string;
    };
  };
}
