import { LoggerService } from '@backstage/backend-plugin-api';
import { isError, stringifyError } from '@backstage/errors';
import { NonRetryableError } from '@paved/plugin-provisioning-node';
import {
  ClaimedOperation,
  LeaseLostError,
  OperationQueue,
} from '../database/OperationQueue';
import { ResourceTypeRegistry } from '../service/ResourceTypeRegistry';
import { RequestNotifier } from '../notifications/RequestNotifier';
import { backoffMs } from './backoff';
import { createStepContext } from './createStepContext';
import { failureOf, successOf } from './outcomes';
import { stepsOf } from './stepsOf';
import { WorkerOptions } from './WorkerOptions';
import {
  inMemoryRequestLookup,
  RequestLookup,
} from '@paved/plugin-provisioning-node';

/**
 * Runs one claimed operation to its next resting point: finished, waiting for a
 * retry or an `observe` poll, or given back at shutdown. It renews the lease while a
 * step runs and aborts the step when the lease is lost.
 */
export class OperationRunner {
  constructor(
    private readonly deps: {
      queue: OperationQueue;
      registry: ResourceTypeRegistry;
      logger: LoggerService;
      options: WorkerOptions;
      notifier?: RequestNotifier;
      /** Other requests, for steps that depend on them; none are found if absent. */
      requests?: RequestLookup;
    },
  ) {}

  async run(claimed: ClaimedOperation, shutdown: AbortSignal): Promise<void> {
    const { queue, options } = this.deps;
    const { lease, operation, request } = claimed;
    const logger = this.deps.logger.child({
      requestId: request.id,
      operationId: operation.id,
    });
    const controller = new AbortController();
    const onShutdown = () => controller.abort(shutdown.reason);
    shutdown.addEventListener('abort', onShutdown);
    const heartbeat = setInterval(async () => {
      const held = await queue
        .extendLease(lease, options.leaseMs)
        .catch(() => false);
      if (!held) {
        controller.abort(
          new LeaseLostError(`Lost the lease on operation ${operation.id}`),
        );
      }
    }, options.heartbeatMs);

    try {
      if (operation.attempts > options.retry.maxAttempts) {
        throw new NonRetryableError(
          `gave up after ${
            options.retry.maxAttempts
          } attempts; the last one stopped without finishing (its worker's lease expired)${
            operation.lastError
              ? `; the error before was: ${operation.lastError}`
              : ''
          }`,
        );
      }
      const steps = stepsOf(this.deps.registry, request, operation);
      const start = Math.max(
        0,
        steps.findIndex(step => step.name === operation.step),
      );
      const outputs = { ...request.outputs };
      for (const step of steps.slice(start)) {
        controller.signal.throwIfAborted();
        await queue.startStep(lease, step.name, {
          type: 'step-started',
          message: `Step '${step.name}' started (attempt ${operation.attempts} of ${options.retry.maxAttempts})`,
        });
        const ctx = createStepContext({
          claimed,
          step: step.name,
          queue,
          logger,
          signal: controller.signal,
          requests: this.deps.requests ?? inMemoryRequestLookup(),
          resourceTypes: this.deps.registry,
          outputs,
        });
        const result = await step.run(ctx);
        if (result) {
          await queue.requeue(lease, {
            delayMs: options.observeIntervalMs,
            refundAttempt: true,
            event: {
              type: 'waiting',
              message: `Step '${step.name}': ${result.waiting}`,
            },
          });
          return;
        }
      }
      await queue.finish(lease, successOf(request, operation));
      if (operation.kind !== 'action') {
        await this.deps.notifier?.notify(request, {
          type: operation.kind === 'provision' ? 'ready' : 'deleted',
        });
      }
    } catch (error) {
      await this.handleFailure(
        claimed,
        error,
        controller.signal,
        shutdown,
        logger,
      );
    } finally {
      clearInterval(heartbeat);
      shutdown.removeEventListener('abort', onShutdown);
    }
  }

  private async handleFailure(
    { lease, operation, request }: ClaimedOperation,
    error: unknown,
    signal: AbortSignal,
    shutdown: AbortSignal,
    logger: LoggerService,
  ): Promise<void> {
    const { queue, options } = this.deps;
    const lost = (e: unknown) => isError(e) && e.name === 'LeaseLostError';
    if (lost(error) || lost(signal.reason)) {
      logger.warn(
        `Stopped operation ${operation.id}: ${stringifyError(error)}`,
      );
      return;
    }
    try {
      if (shutdown.aborted) {
        await queue.requeue(lease, {
          delayMs: 0,
          refundAttempt: true,
          event: {
            type: 'interrupted',
            message: 'The worker shut down; another one resumes the step',
          },
        });
        return;
      }
      const reason = isError(error) ? error.message : String(error);
      const retryable = !(isError(error) && error.name === 'NonRetryableError');
      if (!retryable || operation.attempts >= options.retry.maxAttempts) {
        logger.error(`Operation ${operation.id} failed: ${reason}`);
        await queue.finish(lease, failureOf(operation, reason));
        await this.deps.notifier?.notify(request, {
          type: operation.kind === 'action' ? 'action-failed' : 'failed',
          reason,
        });
        return;
      }
      const delayMs = backoffMs(operation.attempts, options.retry);
      logger.warn(
        `Operation ${operation.id} attempt ${operation.attempts} failed, retrying in ${delayMs} ms: ${reason}`,
      );
      await queue.requeue(lease, {
        delayMs,
        refundAttempt: false,
        lastError: reason,
        event: {
          type: 'retry-scheduled',
          message: `Attempt ${operation.attempts} of ${
            options.retry.maxAttempts
          } failed: ${reason}; retrying in ${Math.round(delayMs / 1000)} s`,
        },
      });
    } catch (writeError) {
      if (!lost(writeError)) {
        throw writeError;
      }
      logger.warn(
        `Stopped operation ${operation.id}: ${stringifyError(writeError)}`,
      );
    }
  }
}
