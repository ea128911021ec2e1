import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject, JsonValue } from '@backstage/types';
import { RequestLookup, StepContext } from '@paved/plugin-provisioning-node';
import { ClaimedOperation, OperationQueue } from '../database/OperationQueue';
import { stepRequestOf } from '../service/stepRequestOf';

/**
 * The context of one step of a claimed operation. Checkpoints are keyed by step, so
 * that a resumed step finds its own and no other step's.
 */
export function createStepContext(options: {
  claimed: ClaimedOperation;
  step: string;
  queue: OperationQueue;
  logger: LoggerService;
  signal: AbortSignal;
  requests: RequestLookup;
}): StepContext {
  const { claimed, step, queue, signal } = options;
  const { lease, operation, request } = claimed;
  const outputs: JsonObject = { ...request.outputs };
  return {
    request: stepRequestOf(request),
    operation: {
      id: operation.id,
      kind: operation.kind,
      attempt: operation.attempts,
    },
    logger: options.logger.child({ step }),
    signal,
    outputs,
    async checkpoint<T extends JsonValue | void>({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      const stored = await queue.getCheckpoint(lease, `${step}:${key}`);
      if (stored) {
        return stored.value as T;
      }
      signal.throwIfAborted();
      const value = await fn();
      await queue.saveCheckpoint(
        lease,
        `${step}:${key}`,
        value as JsonValue | undefined,
      );
      return value;
    },
    async setOutput(name: string, value: JsonValue) {
      await queue.setOutput(lease, name, value);
      outputs[name] = value;
    },
    requests: options.requests,
  };
}
