import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject, JsonValue } from '@backstage/types';
import { OperationKind } from '@paved/plugin-provisioning-common';
import {
  inMemoryRequestLookup,
  RequestLookup,
  StepContext,
} from '@paved/plugin-provisioning-node';

/**
 * A step context for running a type's step directly, as a worker resuming an
 * operation would: the request as stored, its outputs so far, in-memory checkpoints.
 */
export function directStepContext<T extends JsonObject>(options: {
  request: {
    id: string;
    type: string;
    name: string;
    owner: string;
    parameters: T;
    createdBy: string;
  };
  outputs: JsonObject;
  logger: LoggerService;
  kind?: OperationKind;
  /** Other requests the step may look up; none if absent. */
  requests?: RequestLookup;
}): StepContext<T> {
  const checkpoints = new Map<string, JsonValue | void>();
  const outputs = { ...options.outputs };
  const { id, type, name, owner, parameters, createdBy } = options.request;
  return {
    request: { id, type, name, owner, parameters, createdBy },
    operation: { id: 'direct', kind: options.kind ?? 'provision', attempt: 1 },
    logger: options.logger,
    signal: new AbortController().signal,
    outputs,
    async checkpoint<R extends JsonValue | void>({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<R> | R;
    }): Promise<R> {
      if (!checkpoints.has(key)) {
        checkpoints.set(key, await fn());
      }
      return checkpoints.get(key) as R;
    },
    async setOutput(outputName: string, value: JsonValue) {
      outputs[outputName] = value;
    },
    requests: options.requests ?? inMemoryRequestLookup(),
  };
}
