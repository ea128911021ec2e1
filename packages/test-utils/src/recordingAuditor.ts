import {
  AuditorService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

export interface RecordedAuditEvent {
  eventId: string;
  /** Only recorded with the `withSeverityLevel` option. */
  severityLevel?: string;
  status: 'succeeded' | 'failed';
  meta: JsonObject;
  error?: string;
}

/**
 * An auditor that keeps what it is told, for assertions. With `withSeverityLevel`,
 * each event also records the severity level it was created with.
 */
export function recordingAuditor(
  options: { withSeverityLevel?: boolean } = {},
) {
  const events: RecordedAuditEvent[] = [];
  const auditor: AuditorService = {
    async createEvent({ eventId, severityLevel, meta = {} }) {
      const severity = options.withSeverityLevel ? { severityLevel } : {};
      return {
        async success(successOptions) {
          events.push({
            eventId,
            ...severity,
            status: 'succeeded',
            meta: { ...meta, ...successOptions?.meta },
          });
        },
        async fail({ error }) {
          events.push({
            eventId,
            ...severity,
            status: 'failed',
            meta,
            error: error.message,
          });
        },
      };
    },
  };
  return {
    events,
    factory: createServiceFactory({
      service: coreServices.auditor,
      deps: {},
      factory: () => auditor,
    }),
  };
}
