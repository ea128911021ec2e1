import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { EventsService } from '@backstage/plugin-events-node';
import { USAGE_EVENTS_TOPIC, UsageEvent } from '@paved/plugin-adoption-common';

/**
 * Records uses of a plugin for the adoption dashboard.
 *
 * @public
 */
export interface UsageRecorder {
  record(event: Omit<UsageEvent, 'plugin' | 'occurredAt'>): Promise<void>;
}

/**
 * Publishes usage events of one plugin on the events service's usage topic. Best
 * effort: a usage event that cannot be published is logged and never fails what was
 * done.
 *
 * @public
 */
export class EventsUsageRecorder implements UsageRecorder {
  /**
   * @param plugin - the plugin the events are of, e.g. `provisioning`
   */
  constructor(
    private readonly plugin: string,
    private readonly events: EventsService,
    private readonly logger: LoggerService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(event: Omit<UsageEvent, 'plugin' | 'occurredAt'>) {
    const payload: UsageEvent = {
      plugin: this.plugin,
      occurredAt: this.now().toISOString(),
      ...event,
    };
    try {
      await this.events.publish({
        topic: USAGE_EVENTS_TOPIC,
        eventPayload: payload,
      });
    } catch (error) {
      this.logger.warn(
        `Could not record usage event ${event.action}: ${stringifyError(
          error,
        )}`,
      );
    }
  }
}
