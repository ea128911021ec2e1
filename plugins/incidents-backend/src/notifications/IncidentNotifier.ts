import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Incident } from '@paved/plugin-incidents-common';

/** Tells the owning team about its incidents. Best effort: never fails the caller. */
export interface IncidentNotifier {
  opened(incident: Incident): Promise<void>;
  resolved(incident: Incident): Promise<void>;
}

const TOPIC = 'incidents';

/** The incident's page in the portal. */
export const incidentLink = (id: string) =>
  `/incidents/${encodeURIComponent(id)}`;

/**
 * Sends incident milestones through Backstage's notifications plugin to the owning
 * group (not to whoever caused it: they know), linking to the incident's page.
 */
export class NotificationsIncidentNotifier implements IncidentNotifier {
  constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
  ) {}

  opened(incident: Incident): Promise<void> {
    return this.send(incident, incident.openedBy, {
      title: `${incident.severity.toUpperCase()} incident on ${
        incident.entityRef
      }: ${incident.summary}`,
      description: `Opened by ${incident.openedBy}. Open it to follow the timeline, add notes and run a runbook.`,
      severity:
        incident.severity === 'sev1' || incident.severity === 'sev2'
          ? 'critical'
          : 'high',
    });
  }

  resolved(incident: Incident): Promise<void> {
    return this.send(incident, incident.resolvedBy, {
      title: `Resolved: ${incident.summary} (${incident.entityRef})`,
      description: incident.cause && `Cause: ${incident.cause}`,
      severity: 'normal',
    });
  }

  private async send(
    incident: Incident,
    exclude: string | undefined,
    message: {
      title: string;
      description?: string;
      severity: 'critical' | 'high' | 'normal';
    },
  ) {
    try {
      await this.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: [incident.owner],
          ...(exclude ? { excludeEntityRef: exclude } : {}),
        },
        payload: {
          ...message,
          link: incidentLink(incident.id),
          topic: TOPIC,
          scope: `incident:${incident.id}`,
        },
      });
    } catch (error) {
      this.logger.warn(
        `Could not notify ${incident.owner} about incident ${
          incident.id
        }: ${stringifyError(error)}`,
      );
    }
  }
}
