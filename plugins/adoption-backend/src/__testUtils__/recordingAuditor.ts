import {
  AuditorService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

export interface RecordedAuditEvent {
  eventId: string;
  status: 'succeeded' | 'failed';
  severityLevel?: string;
  meta: JsonObject;
  error?: string;
}

/** An auditor that keeps what it is told, for assertions. */
export function recordingAuditor() {
  const events: RecordedAuditEvent[] = [];
  const auditor: AuditorService = {
    async createEvent({ eventId, severityLevel, meta = {} }) {
      return {
        async success(options) {
          events.push({
            eventId,
            status: 'succeeded',
            severityLevel,
            meta: { ...meta, ...options?.meta },
          });
        },
        async fail({ error }) {
          events.push({
            eventId,
            status: 'failed',
            severityLevel,
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
