import { LoggerService } from '@backstage/backend-plugin-api';
import { StatusContext } from '@paved/plugin-provisioning-node';
import { queueRequestNames } from './names';
import { desiredQueues } from './policies';
import { QueueBroker } from './QueueBroker';
import { QueueParameters } from './schema';

/**
 * Puts back what the portal owns in a ready request's vhost when someone changed it
 * by hand: the user's permissions (and tags), the queues and their policies. Returns
 * a sentence for each correction, which the engine records in the timeline. A vhost
 * or user that is gone is not made again here (the user's password lives only in
 * the Secret): that is logged, and Rotate credentials, or a new request, repairs it.
 */
export async function reconcileQueues(
  broker: QueueBroker,
  ctx: StatusContext<QueueParameters> & { logger: LoggerService },
): Promise<string[]> {
  const names = queueRequestNames(ctx.request.name);
  const { signal } = ctx;
  const owner = await broker.vhostOwner(names.vhost, ctx.request.id, signal);
  if (owner !== 'ours') {
    ctx.logger.warn(
      `Vhost '${names.vhost}' of request ${ctx.request.id} is ${
        owner === 'absent' ? 'gone' : 'not the one this request made'
      }; not repaired by the drift check`,
    );
    return [];
  }
  const queues = desiredQueues(ctx.request.parameters.queues, ctx.outputs);
  const userExists = await broker.userExists(names.user, signal);
  if (!userExists) {
    ctx.logger.warn(
      `User '${names.user}' of request ${ctx.request.id} is gone; Rotate credentials makes it again`,
    );
  }
  return [
    ...(userExists ? await broker.ensureAccess(names, signal) : []),
    ...(await broker.ensureQueues(names.vhost, queues, {
      signal,
      reportMissing: true,
    })),
    ...(await broker.ensurePolicies(names.vhost, queues, {
      signal,
      reportDrift: true,
    })),
  ];
}
