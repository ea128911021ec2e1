import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { stringifyError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ReminderKind, StoredCampaign } from './CampaignStore';

const TOPIC = 'upgrades';

const nameOf = (ref: string) => {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
};

/** The change's page, or the campaign's while a service has no change. */
const linkOf = (campaign: StoredCampaign, changeId?: string) =>
  changeId
    ? `/upgrades/changes/${encodeURIComponent(changeId)}`
    : `/upgrades/campaigns/${encodeURIComponent(campaign.id)}`;

const PREFIX: Record<ReminderKind, string> = {
  week: 'Reminder: ',
  day: 'Due tomorrow: ',
  overdue: 'Overdue: ',
};

/**
 * Tells a service's owners about its campaign: the change opened for it, then the
 * reminders before the deadline. Best effort: a notification that cannot be sent is
 * logged and never fails a run. One notification per service and campaign (its
 * scope), so a reminder replaces the previous message instead of piling up.
 */
export class CampaignNotifier {
  constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
  ) {}

  opened(
    campaign: StoredCampaign,
    target: { entityRef: string; owner: string },
    change: { id: string; state: string },
  ) {
    return this.send(campaign, target, change.id, {
      prefix: '',
      description: `${
        campaign.title
      }. A change request with the upgrade is ready${
        change.state === 'conflicted'
          ? '; it has conflicts to resolve before merging'
          : ' to review and merge'
      }.`,
      severity: 'normal',
    });
  }

  reminder(
    campaign: StoredCampaign,
    target: { entityRef: string; owner: string },
    kind: ReminderKind,
    changeId?: string,
  ) {
    return this.send(campaign, target, changeId, {
      prefix: PREFIX[kind],
      description: `${campaign.title}. ${
        changeId
          ? 'Its change request is waiting to be merged.'
          : 'No change request could be opened yet; open the campaign to see why.'
      }`,
      severity: kind === 'overdue' ? 'high' : 'normal',
    });
  }

  private async send(
    campaign: StoredCampaign,
    target: { entityRef: string; owner: string },
    changeId: string | undefined,
    message: {
      prefix: string;
      description: string;
      severity: 'high' | 'normal';
    },
  ) {
    const title = `${message.prefix}Upgrade ${nameOf(
      target.entityRef,
    )} to ${nameOf(campaign.templateRef)} ${campaign.toVersion} by ${
      campaign.deadline
    }`;
    try {
      await this.notifications.send({
        recipients: { type: 'entity', entityRef: target.owner },
        payload: {
          title,
          description: message.description,
          link: linkOf(campaign, changeId),
          severity: message.severity,
          topic: TOPIC,
          scope: `upgrade-campaign:${campaign.id}:${target.entityRef}`,
        },
      });
    } catch (error) {
      this.logger.warn(
        `Could not notify ${target.owner} about campaign ${campaign.id} for ${
          target.entityRef
        }: ${stringifyError(error)}`,
      );
    }
  }
}
