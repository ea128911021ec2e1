import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { ProvisioningRequests } from '../clients/ProvisioningRequests';
import { pollUntil, requireConfirmed, stepKey } from './util';

type Logger = { info(message: string): void };

/**
 * Queues a day-2 action of a self-service request (once per task step: the
 * idempotency key is the task and step) and follows it to its end.
 */
async function runDayTwoAction(options: {
  provisioning: ProvisioningRequests;
  credentials: BackstageCredentials;
  type: string;
  name: string;
  action: string;
  input: JsonObject;
  idempotencyKey: string;
  logger: Logger;
  checkpoint: <T extends string>(opts: {
    key: string;
    fn: () => Promise<T>;
  }) => Promise<T>;
  signal?: AbortSignal;
  pollIntervalMs: number;
  timeoutMs: number;
}): Promise<{ requestId: string; operationId: string; outputs: JsonObject }> {
  const { provisioning, credentials, logger } = options;
  const request = await provisioning.find(
    credentials,
    options.type,
    options.name,
  );
  const operationId = await options.checkpoint({
    key: `provisioning-action-${options.action}-${request.id}`,
    fn: async () => {
      const operation = await provisioning.runAction(credentials, {
        id: request.id,
        action: options.action,
        input: options.input,
        idempotencyKey: options.idempotencyKey,
      });
      return operation.id;
    },
  });
  logger.info(
    `Queued ${options.action} on ${options.type} '${options.name}' (request ${request.id}, operation ${operationId})`,
  );
  const logged = new Set<number>();
  const details = await pollUntil(
    `${options.action} on ${options.type} '${options.name}' to finish`,
    async () => {
      const current = await provisioning.get(credentials, request.id);
      for (const event of current.timeline ?? []) {
        if (event.operationId === operationId && !logged.has(event.id)) {
          logged.add(event.id);
          logger.info(`${event.createdAt} ${event.type}: ${event.message}`);
        }
      }
      const operation = current.operations?.find(o => o.id === operationId);
      if (operation?.status === 'failed') {
        throw new Error(
          `${options.action} on ${options.type} '${options.name}' failed: ${
            operation.lastError ?? 'no reason given'
          }`,
        );
      }
      return operation?.status === 'succeeded' ? current : undefined;
    },
    {
      timeoutMs: options.timeoutMs,
      intervalMs: options.pollIntervalMs,
      signal: options.signal,
    },
  );
  return {
    requestId: request.id,
    operationId,
    outputs: JSON.parse(JSON.stringify(details.outputs ?? {})),
  };
}

/** `paved:database:rotate-credentials` and `paved:database:terminate-queries`. */
export function createDatabaseActions(options: {
  provisioning: ProvisioningRequests;
  pollIntervalMs?: number;
}) {
  const { provisioning } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 2000;

  const rotate = createTemplateAction({
    id: 'paved:database:rotate-credentials',
    description:
      "Rotates a self-service PostgreSQL database's password (its Secret gets the new one) and waits until it is done",
    supportsDryRun: true,
    schema: {
      input: {
        database: z => z.string().min(1).describe('The postgres request name'),
        confirm: z => z.boolean().optional().describe('false refuses to run'),
      },
      output: {
        requestId: z => z.string().describe('The database request'),
        operationId: z => z.string().describe('The rotation'),
      },
    },
    async handler(ctx) {
      const { database } = ctx.input;
      requireConfirmed(
        ctx.input.confirm,
        `rotate the credentials of ${database}`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      if (ctx.isDryRun) {
        const request = await provisioning.find(
          credentials,
          'postgres',
          database,
        );
        ctx.logger.info(
          `Dry run: would call POST /api/provisioning/requests/${request.id}/actions/rotate-credentials for postgres '${database}'`,
        );
        return;
      }
      const result = await runDayTwoAction({
        provisioning,
        credentials,
        type: 'postgres',
        name: database,
        action: 'rotate-credentials',
        input: {},
        idempotencyKey: stepKey(ctx),
        logger: ctx.logger,
        checkpoint: opts => ctx.checkpoint(opts),
        signal: ctx.signal,
        pollIntervalMs,
        timeoutMs: 10 * 60_000,
      });
      ctx.logger.info(
        `The credentials of ${database} are rotated; applications read the new password from their Secret`,
      );
      ctx.output('requestId', result.requestId);
      ctx.output('operationId', result.operationId);
    },
  });

  const terminate = createTemplateAction({
    id: 'paved:database:terminate-queries',
    description:
      'Ends the sessions of a self-service PostgreSQL database whose query has run longer than olderThanSeconds',
    supportsDryRun: true,
    schema: {
      input: {
        database: z => z.string().min(1).describe('The postgres request name'),
        olderThanSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .default(60)
            .describe('End queries running longer than this (default 60)'),
        confirm: z => z.boolean().optional().describe('false refuses to run'),
      },
      output: {
        requestId: z => z.string().describe('The database request'),
        operationId: z => z.string().describe('The operation'),
        terminated: z =>
          z.number().optional().describe('How many sessions were ended'),
      },
    },
    async handler(ctx) {
      const { database } = ctx.input;
      const olderThanSeconds = ctx.input.olderThanSeconds ?? 60;
      requireConfirmed(ctx.input.confirm, `end queries on ${database}`);
      const credentials = await ctx.getInitiatorCredentials();
      if (ctx.isDryRun) {
        const request = await provisioning.find(
          credentials,
          'postgres',
          database,
        );
        ctx.logger.info(
          `Dry run: would call POST /api/provisioning/requests/${request.id}/actions/terminate-queries with {"olderThanSeconds":${olderThanSeconds}} for postgres '${database}'`,
        );
        return;
      }
      const result = await runDayTwoAction({
        provisioning,
        credentials,
        type: 'postgres',
        name: database,
        action: 'terminate-queries',
        input: { olderThanSeconds },
        idempotencyKey: stepKey(ctx),
        logger: ctx.logger,
        checkpoint: opts => ctx.checkpoint(opts),
        signal: ctx.signal,
        pollIntervalMs,
        timeoutMs: 5 * 60_000,
      });
      const terminated = Number(result.outputs.terminatedSessions);
      ctx.output('requestId', result.requestId);
      ctx.output('operationId', result.operationId);
      if (Number.isFinite(terminated)) {
        ctx.output('terminated', terminated);
        ctx.logger.info(
          `Ended ${terminated} session(s) of ${database} running a query for more than ${olderThanSeconds} s`,
        );
      }
    },
  });
  return [rotate, terminate];
}

/** `paved:environment:extend`. */
export function createExtendEnvironmentAction(options: {
  provisioning: ProvisioningRequests;
}) {
  const { provisioning } = options;
  return createTemplateAction({
    id: 'paved:environment:extend',
    description:
      "Extends a self-service environment's life to some hours from now (at most its type's limit)",
    supportsDryRun: true,
    schema: {
      input: {
        environment: z =>
          z.string().min(1).describe('The environment request name'),
        hours: z => z.number().int().min(1).describe('Hours from now'),
      },
      output: {
        requestId: z => z.string().describe('The environment request'),
        expiresAt: z => z.string().describe('Its new expiry'),
      },
    },
    async handler(ctx) {
      const { environment, hours } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      const request = await provisioning.find(
        credentials,
        'environment',
        environment,
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would call POST /api/provisioning/requests/${
            request.id
          }/extend with {"hours":${hours}}; it expires ${
            request.expiresAt ?? 'never'
          } now`,
        );
        return;
      }
      const expiresAt = await ctx.checkpoint({
        key: `extend-${request.id}-${hours}`,
        fn: async () =>
          (
            await provisioning.extend(credentials, request.id, hours)
          ).expiresAt ?? '',
      });
      ctx.logger.info(
        `Environment '${environment}' now expires at ${expiresAt} (was ${
          request.expiresAt ?? 'never'
        })`,
      );
      ctx.output('requestId', request.id);
      ctx.output('expiresAt', expiresAt);
    },
  });
}
