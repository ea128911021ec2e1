import { randomBytes } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject, JsonValue } from '@backstage/types';
import { OperationKind } from '@paved/plugin-provisioning-common';
import {
  ActionStepContext,
  inMemoryRequestLookup,
  RequestLookup,
  ResourceTypeLookup,
  resourceTypeLookup,
  StepContext,
  StepRequest,
} from '@paved/plugin-provisioning-node';

/**
 * A request as the engine stores it and hands it to steps: a fresh id (of the name
 * and a random part), made by bob.
 */
export function storedRequest<T extends JsonObject>(
  type: string,
  name: string,
  owner: string,
  parameters: T,
): StepRequest<T> {
  return {
    id: `${name}-${randomBytes(3).toString('hex')}`,
    type,
    name,
    owner,
    parameters,
    createdBy: 'user:default/bob',
  };
}

/**
 * A step context for running a resource type's step directly, as a worker would:
 * the request as stored, its outputs so far, and in-memory checkpoints (pass the
 * same `checkpoints` again to resume a step as a worker after a crash would).
 */
export function directStepContext<T extends JsonObject>(options: {
  request: StepRequest<T>;
  outputs?: JsonObject;
  /** A mock logger if absent. */
  logger?: LoggerService;
  kind?: OperationKind;
  /** Other requests the step may look up; none if absent. */
  requests?: RequestLookup;
  /** The registered resource types steps may look up; none if absent. */
  resourceTypes?: ResourceTypeLookup;
  checkpoints?: Map<string, JsonValue | void>;
}): StepContext<T> {
  const checkpoints =
    options.checkpoints ?? new Map<string, JsonValue | void>();
  const outputs: JsonObject = { ...options.outputs };
  // Only what a worker passes: a stored request's state or outputs stay out.
  const { id, type, name, owner, parameters, createdBy } = options.request;
  return {
    request: { id, type, name, owner, parameters, createdBy },
    operation: { id: 'direct', kind: options.kind ?? 'provision', attempt: 1 },
    logger: options.logger ?? mockServices.logger.mock(),
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
    resourceTypes: options.resourceTypes ?? resourceTypeLookup([]),
  };
}

/** A day-2 action's context on top of a step context. */
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
