import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject, JsonValue } from '@backstage/types';
import { OperationKind, RequestState } from '@paved/plugin-provisioning-common';
import type { ResourceTypeLookup } from './scoreResources';

/**
 * The request a step works on.
 *
 * @public
 */
export interface StepRequest<TParams extends JsonObject = JsonObject> {
  id: string;
  type: string;
  name: string;
  /** The owning group's entity ref. */
  owner: string;
  parameters: TParams;
  createdBy: string;
}

/**
 * Another request as steps and policies see it: with its state and non-secret outputs.
 *
 * @public
 */
export interface ReferencedRequest<TParams extends JsonObject = JsonObject>
  extends StepRequest<TParams> {
  state: RequestState;
  outputs: JsonObject;
}

/**
 * An active request attached to an environment, with how a copy of the environment
 * makes one of its own (its type's `environmentCopy`).
 *
 * @public
 */
export interface AttachedRequest {
  request: ReferencedRequest;
  /** The parameters of the copy's request, `environmentName` not yet set. */
  copyParameters(options: { seeded: boolean }): JsonObject;
  /** The action that seeds a copy, when the type has one. */
  seedAction?: string;
}

/**
 * Finds other requests, e.g. the source of a clone.
 *
 * @public
 */
export interface RequestLookup {
  /** The active request of `type` named `name` (names are unique), or undefined. */
  findActive(
    type: string,
    name: string,
  ): Promise<ReferencedRequest | undefined>;
  /** The active requests of `type` whose parameters include `parameters` (top-level equality). */
  listActive(
    type: string,
    parameters?: JsonObject,
  ): Promise<ReferencedRequest[]>;
  /**
   * The active requests attached to the environment named `environment`, of every type
   * that declares `environmentCopy`, sorted by type and name.
   */
  listAttached(environment: string): Promise<AttachedRequest[]>;
}

/**
 * What a step gets to do its work. See `ResourceType` for the contract of steps.
 *
 * @public
 */
export interface StepContext<TParams extends JsonObject = JsonObject> {
  request: StepRequest<TParams>;
  operation: {
    id: string;
    kind: OperationKind;
    /** 1 on the first attempt; counts retries and resumptions. */
    attempt: number;
    /**
     * Who asked for it (a user, a service, `system:expiry`), e.g. for a deployment
     * record; absent in contexts made outside the engine (tests).
     */
    createdBy?: string;
  };
  logger: LoggerService;
  /** Aborted when the worker shuts down or loses its lease on the operation. */
  signal: AbortSignal;
  /** The outputs recorded so far, including by earlier operations. */
  outputs: JsonObject;
  /**
   * Runs `fn` once per operation and step: its JSON result is stored, and a retried or
   * resumed step gets the stored result instead of running `fn` again.
   */
  checkpoint<T extends JsonValue | void>(options: {
    key: string;
    fn: () => Promise<T> | T;
  }): Promise<T>;
  /** Stores a non-secret output on the request (e.g. `host`), visible to readers. */
  setOutput(name: string, value: JsonValue): Promise<void>;
  /**
   * Stores several non-secret outputs in one write, all or none; durable once it
   * resolves, as `setOutput`. The engine's contexts have it; the `setOutputs` helper
   * falls back to `setOutput` per name where a context lacks it (e.g. in tests).
   */
  setOutputs?(outputs: JsonObject): Promise<void>;
  /** Other requests, e.g. the source a clone copies from. */
  requests: RequestLookup;
  /** The registered resource types, e.g. the one serving a Score resource. */
  resourceTypes: ResourceTypeLookup;
}

/**
 * The context of a day-2 action: a step context plus the action's input.
 *
 * @public
 */
export interface ActionStepContext<TParams extends JsonObject = JsonObject>
  extends StepContext<TParams> {
  action: string;
  /** Validated against the action's schema. */
  input: JsonObject;
}

/**
 * What a type's `status` hook gets: the request and its outputs, read-only.
 *
 * @public
 */
export interface StatusContext<TParams extends JsonObject = JsonObject> {
  request: StepRequest<TParams>;
  /** The outputs recorded so far. */
  outputs: JsonObject;
  logger: LoggerService;
  /** Aborted when the caller gave up or the hook took too long. */
  signal: AbortSignal;
  /** Other requests, e.g. the resources attached to an environment. */
  requests: RequestLookup;
  /** The registered resource types, e.g. the one serving a Score resource. */
  resourceTypes: ResourceTypeLookup;
}
