import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { CampaignCounts } from '@paved/plugin-upgrades-common';
import { CampaignNotifier } from './CampaignNotifier';
import { CampaignService } from './CampaignService';
import { CampaignStore, ReminderKind } from './CampaignStore';

const DAY_MS = 86_400_000;

export interface CampaignRemindersOptions {
  campaigns: CampaignService;
  store: CampaignStore;
  notifications: NotificationService;
  logger: LoggerService;
}

/** The reminder due for a deadline today, if any: a week before, a day before, after. */
export function reminderKindFor(
  deadline: string,
  now: Date,
): ReminderKind | undefined {
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const daysLeft = Math.round(
    (Date.parse(`${deadline}T00:00:00Z`) - today) / DAY_MS,
  );
  if (daysLeft < 0) return 'overdue';
  if (daysLeft <= 1) return 'day';
  if (daysLeft <= 7) return 'week';
  return undefined;
}

const sameCounts = (a: CampaignCounts, b: CampaignCounts) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * One pass of the reminders task at `now`: every service of a campaign near or past
 * its deadline whose change is neither merged nor closed (its owners decided)
 * gets the reminder of that kind (claimed
 * in the store first, so never twice, even by two replicas), and each campaign gets
 * at most one progress snapshot a day, so that its chart moves without runs. A
 * finished campaign whose counts have not changed since its last snapshot gets none.
 */
export async function sendCampaignReminders(
  options: CampaignRemindersOptions,
  now: Date = new Date(),
): Promise<{ reminders: number; snapshots: number }> {
  const { campaigns, store, logger } = options;
  const notifier = new CampaignNotifier(options.notifications, logger);
  const today = now.toISOString().slice(0, 10);
  let reminders = 0;
  let snapshots = 0;
  for (const { id } of await store.list()) {
    try {
      const details = await campaigns.get(id);
      const kind = reminderKindFor(details.deadline, now);
      if (kind) {
        for (const target of details.targets) {
          if (
            target.state === 'merged' ||
            target.state === 'closed' ||
            !target.owner
          ) {
            continue;
          }
          if (
            await store.claimReminder(
              id,
              target.entityRef,
              kind,
              now.toISOString(),
            )
          ) {
            await notifier.reminder(
              details,
              { entityRef: target.entityRef, owner: target.owner },
              kind,
              target.changeId,
            );
            reminders += 1;
          }
        }
      }
      const last = (await store.snapshots(id)).at(-1);
      const finished =
        details.counts.notStarted +
          details.counts.open +
          details.counts.conflicted ===
        0;
      const takenToday = last && last.at.slice(0, 10) === today;
      const unchanged = last && sameCounts(last.counts, details.counts);
      if (!takenToday && !(finished && unchanged)) {
        await store.addSnapshot(id, details.counts, now.toISOString());
        snapshots += 1;
      }
    } catch (error) {
      // one campaign's failure (e.g. the changes cannot be read) never stops the rest
      logger.warn(
        `Could not remind or snapshot campaign ${id}: ${stringifyError(error)}`,
      );
    }
  }
  if (reminders > 0) {
    logger.info(`Sent ${reminders} campaign reminder(s)`);
  }
  return { reminders, snapshots };
}

/**
 * Schedules {@link sendCampaignReminders} every hour (one replica runs it), the first
 * a minute after start.
 */
export async function scheduleCampaignReminders(
  options: CampaignRemindersOptions & {
    scheduler: SchedulerService;
    clock?: () => Date;
    /** `paved.upgrades.campaigns.reminderSchedule`, when configured. */
    schedule?: SchedulerServiceTaskScheduleDefinition;
  },
): Promise<void> {
  await options.scheduler.scheduleTask({
    id: 'upgrades-campaign-reminders',
    ...(options.schedule ?? {
      frequency: { hours: 1 },
      timeout: { minutes: 15 },
      initialDelay: { minutes: 1 },
    }),
    scope: 'global',
    fn: async () => {
      await sendCampaignReminders(options, options.clock?.() ?? new Date());
    },
  });
}
