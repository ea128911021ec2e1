import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject, JsonValue } from '@backstage/types';
import { OperationKind } from '@paved/plugin-provisioning-common';
import {
  ActionStepContext,
  inMemoryRequestLookup,
  RequestLookup,
  StepContext,
} from '@paved/plugin-provisioning-node';

/**
 * A step context for running a type's step directly, as a worker would: the request
 * as stored, in-memory checkpoints (pass the same `checkpoints` to resume) and
 * outputs.
 */
export function directStepContext<T extends JsonObject>(options: {
  request: {
    id: string;
    name: string;
    owner: string;
    parameters: T;
  };
  outputs?: JsonObject;
  kind?: OperationKind;
  requests?: RequestLookup;
  checkpoints?: Map<string, JsonValue | void>;
}): StepContext<T> {
  const checkpoints =
    options.checkpoints ?? new Map<string, JsonValue | void>();
  const outputs: JsonObject = { ...options.outputs };
  return {
    request: {
      type: 'environment',
      createdBy: 'user:default/bob',
      ...options.request,
    },
    operation: { id: 'direct', kind: options.kind ?? 'provision', attempt: 1 },
    logger: mockServices.logger.mock(),
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
    async setOutput(name: string, value: JsonValue) {
      outputs[name] = value;
    },
    requests: options.requests ?? inMemoryRequestLookup(),
  };
}

/** An action's context on top of a step context. */
export function actionContext<T extends JsonObject>(
  ctx: StepContext<T>,
  action: string,
  input: JsonObject,
): ActionStepContext<T> {
  return {
    ...ctx,
    operation: { ...ctx.operation, kind: 'action' },
    action,
    input,
  };
}
