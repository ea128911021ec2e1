import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { EventsService } from '@backstage/plugin-events-node';
import {
  USAGE_EVENTS_TOPIC,
  usageEventSchema,
} from '@paved/plugin-adoption-common';
import { formatZodError } from '@paved/backend-plugin-utils';
import { IngestionService } from './IngestionService';

/** Stores the usage events backend plugins publish on the usage topic. */
export async function subscribeToUsageEvents(options: {
  events: EventsService;
  ingestion: IngestionService;
  logger: LoggerService;
}) {
  const { events, ingestion, logger } = options;
  await events.subscribe({
    id: 'adoption-usage-events',
    topics: [USAGE_EVENTS_TOPIC],
    async onEvent(params) {
      const parsed = usageEventSchema.safeParse(params.eventPayload);
      if (!parsed.success) {
        logger.warn(
          `Ignored a malformed usage event: ${formatZodError(parsed.error)}`,
        );
        return;
      }
      try {
        await ingestion.ingestUsageEvent(parsed.data);
      } catch (error) {
        logger.error(
          `Could not store usage event ${parsed.data.plugin}/${
            parsed.data.action
          }: ${stringifyError(error)}`,
        );
      }
    },
  });
}
