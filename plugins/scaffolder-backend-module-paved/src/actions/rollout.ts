import { setTimeout as sleep } from 'node:timers/promises';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { refusalAsInputError } from '@paved/openapi-client-utils';
import { DeploymentAccepted } from '@paved/plugin-deployments-common';
import { ProvisioningRequestDetails } from '@paved/plugin-provisioning-common';
import { ProvisioningClient } from '../provisioning/ProvisioningClient';

/*
 * What `paved:deploy` and `paved:deploy:rollback` share: both ask the deployments
 * API for a rollout, which is an operation of the workload request, and follow it
 * (the request's timeline in the log) until it is done.
 */

const DEFAULT_TIMEOUT_MINUTES = 10;

/** The zod that createTemplateAction hands to schema functions. */
type Zod = Parameters<
  Extract<
    NonNullable<
      NonNullable<Parameters<typeof createTemplateAction>[0]['schema']>['input']
    >,
    (...args: any[]) => unknown
  >
>[0];

/** The input of both actions that bounds how long they follow the rollout. */
export const timeoutMinutesInput = (z: Zod) =>
  z
    .number()
    .int()
    .min(1)
    .max(60)
    .optional()
    .describe(
      `How long to follow the rollout (default ${DEFAULT_TIMEOUT_MINUTES})`,
    );

/** The outputs of both actions. */
export const rolloutOutputs = {
  requestId: (z: Zod) =>
    z.string().describe('The workload request in the environment'),
  requestUrl: (z: Zod) =>
    z.string().describe("The workload request's page in the portal"),
  status: (z: Zod) =>
    z
      .string()
      .describe(
        'succeeded, or pending-approval when the environment needs one',
      ),
};

type RolloutContext = Pick<
  ActionContext<{ timeoutMinutes?: number }>,
  'logger' | 'checkpoint' | 'signal' | 'getInitiatorCredentials' | 'input'
> & {
  output(name: 'requestId' | 'requestUrl' | 'status', value: string): void;
};

/** How a deployment's rollout stands, from its workload request. */
export type Progress =
  | { done: false }
  | { done: true; outcome: 'succeeded' | 'pending-approval' }
  | { done: true; outcome: 'failed'; reason: string };

/** What both actions are made with, besides the deployments API. */
export interface RolloutActionOptions {
  provisioning: ProvisioningClient;
  /** The portal's address, for links to the workload request's page. */
  appBaseUrl: string;
  /** How often to read the workload request (default 500 ms). */
  pollIntervalMs?: number;
}

/**
 * Asks for the rollout as the task's user, once (a checkpoint: a resumed task does
 * not ask again), a refusal becoming an InputError that names the field; outputs
 * the workload request and its page. Then follows the rollout: logs each new event
 * of the request's timeline, and ends when its operation is done (status
 * `succeeded` or `pending-approval`; a failure throws with its reasons) or after
 * `input.timeoutMinutes` (it throws; the rollout goes on without the task).
 */
export async function rollOut(
  ctx: RolloutContext,
  options: RolloutActionOptions & {
    /** Names the rollout in the messages. */
    what: 'deployment' | 'rollback';
    /** The checkpoint's key: the same call of the same task asks once. */
    key: string;
    start(credentials: BackstageCredentials): Promise<DeploymentAccepted>;
    /** The first line logged once the rollout is accepted. */
    describe(accepted: DeploymentAccepted): string;
  },
): Promise<void> {
  const { provisioning, what } = options;
  const credentials = await ctx.getInitiatorCredentials();
  const accepted = (await ctx.checkpoint({
    key: options.key,
    fn: async () => {
      try {
        const started = await options.start(credentials);
        // A fresh plain object: checkpoints store JSON.
        return JSON.parse(JSON.stringify(started)) as JsonObject;
      } catch (error) {
        throw refusalAsInputError(error);
      }
    },
  })) as unknown as DeploymentAccepted;
  const requestUrl = `${
    options.appBaseUrl
  }/self-service/requests/${encodeURIComponent(accepted.requestId)}`;
  ctx.output('requestId', accepted.requestId);
  ctx.output('requestUrl', requestUrl);
  ctx.logger.info(options.describe(accepted));
  ctx.logger.info(`Follow it at ${requestUrl}`);

  const timeoutMinutes = ctx.input.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
  const deadline = Date.now() + timeoutMinutes * 60_000;
  const logged = new Set<number>();
  for (;;) {
    const request = await provisioning.getRequest(
      accepted.requestId,
      credentials,
    );
    for (const event of request.timeline ?? []) {
      if (!logged.has(event.id)) {
        logged.add(event.id);
        ctx.logger.info(`${event.createdAt} ${event.type}: ${event.message}`);
      }
    }
    const progress = progressOf(request, accepted.operationId);
    if (progress.done) {
      if (progress.outcome === 'pending-approval') {
        ctx.logger.info(
          `The ${what} waits for an approval; it continues after approval: ${requestUrl}`,
        );
      }
      finishWith(ctx, progress);
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The ${what} is still rolling out after ${timeoutMinutes} min; it goes on without this task: ${requestUrl}`,
      );
    }
    await sleep(options.pollIntervalMs ?? 500, undefined, {
      signal: ctx.signal,
    });
  }
}

/**
 * Where the deployment's operation stands. Without an operation id (an API that
 * does not say), the request's own state decides.
 */
export function progressOf(
  request: ProvisioningRequestDetails,
  operationId: string | undefined,
): Progress {
  const operation = operationId
    ? request.operations?.find(o => o.id === operationId) ??
      (request.activeOperation?.id === operationId
        ? request.activeOperation
        : undefined)
    : undefined;
  if (operation) {
    switch (operation.status) {
      case 'succeeded':
        return { done: true, outcome: 'succeeded' };
      case 'failed':
        return {
          done: true,
          outcome: 'failed',
          reason: operation.lastError ?? request.lastError ?? 'no reason given',
        };
      case 'pending-approval':
        return { done: true, outcome: 'pending-approval' };
      default:
        return { done: false };
    }
  }
  switch (request.state) {
    case 'ready':
      return { done: true, outcome: 'succeeded' };
    case 'pending-approval':
      return { done: true, outcome: 'pending-approval' };
    case 'failed':
    case 'rejected':
    case 'deleted':
    case 'deleting':
      return {
        done: true,
        outcome: 'failed',
        reason: `the workload request is ${request.state}: ${
          request.lastError ?? request.approval?.comment ?? 'no reason given'
        }`,
      };
    default:
      return { done: false };
  }
}

function finishWith(
  ctx: { output(name: 'status', value: string): void },
  progress: Progress & { done: true },
) {
  if (progress.outcome === 'failed') {
    throw new Error(`The deployment failed: ${progress.reason}`);
  }
  ctx.output('status', progress.outcome);
}
