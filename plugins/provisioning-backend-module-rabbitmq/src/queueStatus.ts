import { ResourceStatusSection } from '@paved/plugin-provisioning-common';
import { StatusContext } from '@paved/plugin-provisioning-node';
import { queueRequestNames } from './names';
import { RabbitmqManagement } from './RabbitmqManagement';
import { QueueParameters } from './schema';

/** The columns of the queues table. */
export const QUEUE_COLUMNS = [
  'Queue',
  'Ready',
  'Unacknowledged',
  'Consumers',
  'Publish /s',
  'Deliver /s',
];

const rate = (value: number | undefined) => Number((value ?? 0).toFixed(1));

/**
 * The "Queues" section of a queue request's live status: every queue of its vhost
 * (the requested ones, their dead-letter queues and any the application declared),
 * with the management API's figures. The broker samples them every few seconds
 * (`collect_statistics_interval`), so they lag that much behind.
 */
export async function queueStatus(
  management: RabbitmqManagement,
  ctx: StatusContext<QueueParameters>,
): Promise<ResourceStatusSection> {
  const title = 'Queues';
  const { vhost } = queueRequestNames(ctx.request.name);
  if (!(await management.getVhost(vhost, ctx.signal))) {
    return { title, message: `Vhost '${vhost}' does not exist.` };
  }
  const queues = await management.listQueues(vhost, ctx.signal);
  if (queues.length === 0) {
    return { title, message: `Vhost '${vhost}' has no queues.` };
  }
  return {
    title,
    table: {
      columns: QUEUE_COLUMNS,
      rows: queues
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(queue => [
          queue.name,
          queue.messages_ready ?? 0,
          queue.messages_unacknowledged ?? 0,
          queue.consumers ?? 0,
          rate(queue.message_stats?.publish_details?.rate),
          rate(queue.message_stats?.deliver_get_details?.rate),
        ]),
    },
  };
}
