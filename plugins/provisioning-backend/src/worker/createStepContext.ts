import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  RequestLookup,
  ResourceTypeLookup,
  StepContext,
} from '@paved/plugin-provisioning-node';
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
  resourceTypes: ResourceTypeLookup;
  /**
   * The outputs as stored, shared by the steps of one run: a later step (`observe`
   * after `provision`) sees what an earlier one recorded. Changed in place.
   */
  outputs: JsonObject;
}): StepContext {
  const { claimed, step, queue, signal, outputs } = options;
  const { lease, operation, request } = claimed;
  // Durable before the step goes on (a step may record what it is about to make,
  // as its own, before making it), and so in memory only once stored.
  const store = async (values: JsonObject) => {
    await queue.setOutputs(lease, values);
    Object.assign(outputs, values);
  };
  return {
    request: stepRequestOf(request),
    operation: {
      id: operation.id,
      kind: operation.kind,
      attempt: operation.attempts,
      createdBy: operation.createdBy,
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
    setOutput: (name: string, value: JsonValue) => store({ [name]: value }),
    setOutputs: store,
    requests: options.requests,
    resourceTypes: options.resourceTypes,
  };
}
