import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  paved?: {
    techdocs?: {
      /** Building TechDocs ahead of the first visit, so that search finds them. */
      prebuild?: {
        /** Defaults to true. Turn off where CI builds docs (techdocs.builder: external). */
        enabled?: boolean;
        /** Defaults to every 15 minutes, starting 20 seconds after the backend starts. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
