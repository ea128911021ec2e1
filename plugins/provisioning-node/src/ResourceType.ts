import { JsonObject } from '@backstage/types';
import { ResourceStatus } from '@paved/plugin-provisioning-common';
import {
  StepContext,
  ActionStepContext,
  StatusContext,
  ReferencedRequest,
  StepRequest,
} from './StepContext';
import type { ResourceTypeLookup, ScoreResources } from './scoreResources';

/**
 * What a policy sees of a request before it is stored.
 *
 * @public
 */
export interface ResourceRequestInput<TParams extends JsonObject = JsonObject> {
  type: string;
  name: string;
  /** The owning group's entity ref, e.g. `group:default/payments-team`. */
  owner: string;
  /** Validated against the type's schema, with its defaults applied. */
  parameters: TParams;
  /** The user or service making the request. */
  createdBy: string;
}

/**
 * A resource type's own policy, on top of the quotas and approval rules in config.
 *
 * @public
 */
export interface ResourceTypePolicy<TParams extends JsonObject = JsonObject> {
  /**
   * How much of the owner's quota for this type one request uses; 1 if absent, so
   * that quotas count requests. A database type could count gigabytes instead.
   */
  quotaCost?(request: ResourceRequestInput<TParams>): number;
  /**
   * Whether the request needs an approval regardless of the configured rules, and
   * why. Approvers are `approvers` or `provisioning.policy.defaultApprovers`.
   */
  requiresApproval?(
    request: ResourceRequestInput<TParams>,
    context: {
      /** The requests named by the type's `references`, by their `field`. */
      references: Record<string, ReferencedRequest>;
    },
  ): { reason: string; approvers?: string } | undefined;
}

/**
 * Another active request that a request depends on, e.g. the environment it clones
 * or the database it is granted access to.
 *
 * @public
 */
export interface RequestReference {
  /** The field that names it, e.g. `parameters.source`: errors name this field. */
  field: string;
  type: string;
  name: string;
  /**
   * What the requester must be allowed to do to it: `read` to copy from it, `update`
   * to change it. Refused with a 403 naming the field otherwise.
   */
  permission: 'read' | 'update';
}

/**
 * How long a resource lives without activity. The engine sets each request's expiry
 * when it is made, moves it on with activity (a day-2 action, a visit of its page,
 * an API call), tells the owners before it is reached, and destroys the resource
 * once it is.
 *
 * @public
 */
export interface ResourceLifetime<TParams extends JsonObject = JsonObject> {
  /** Hours the resource lives after its last activity; undefined: it does not expire. */
  ttlHours(parameters: TParams): number | undefined;
  /** The longest time, in hours from now, that an owner may extend it by. */
  maxHours: number;
}

/**
 * How a copy of an environment makes a resource of this type of its own for each one
 * attached to the source environment (a request whose `environmentName` names it).
 * Declaring it is what lets environments hold the type: their status lists the
 * attached resources, a copy gets fresh ones through a new request of the type
 * (owned by the copy's owner, made by the provisioning plugin), and deleting an
 * environment deletes them first.
 *
 * @public
 */
export interface EnvironmentCopy<TParams extends JsonObject = JsonObject> {
  /**
   * The parameters of the copy's request, from the source's; `environmentName` is set
   * to the copy's by the engine. The source's own parameters when absent.
   */
  parameters?(
    source: TParams,
    options: {
      /** The source request's name. */
      sourceName: string;
      /** Whether `seedAction` ran on the source for this copy. */
      seeded: boolean;
    },
  ): JsonObject;
  /**
   * A day-2 action of the type that prepares the copy's contents when the copy is
   * seeded, e.g. a database's `backup-now`; its copy then restores from it. Copies
   * start empty when absent.
   */
  seedAction?: string;
}

/**
 * What an `observe` step found.
 *
 * @public
 */
export interface ObserveResult {
  /** False while the resource is still coming up; the worker asks again later. */
  ready: boolean;
  /** Shown in the request's timeline, e.g. `instance is 'creating'`. */
  message?: string;
}

/**
 * A day-2 action of a resource type, e.g. `resize` or `rotate-credentials`.
 *
 * @public
 */
export interface ResourceTypeAction<TParams extends JsonObject = JsonObject> {
  title: string;
  description?: string;
  /** JSON Schema (an object schema) of the action's input; none if absent. */
  parameters?: JsonObject;
  /**
   * Checks the input against the request it is for, beyond what a schema can say
   * (e.g. a name typed to confirm a deletion), before the action is queued. Returns
   * why it is refused, naming the field (`input.bucket: ...`), and the call is
   * answered with a 400 with nothing queued; undefined accepts it. Quick and
   * read-only: it runs on the API call.
   */
  checkInput?(
    input: JsonObject,
    target: {
      request: StepRequest<TParams>;
      outputs: JsonObject;
      /** The registered resource types, e.g. to check a Score resource type. */
      resourceTypes: ResourceTypeLookup;
    },
  ): string | undefined;
  /**
   * Whether this run of the action needs an approval before it runs, and why (e.g.
   * a deploy to a production environment). The action is then stored as waiting
   * (`pending-approval`) and runs once a member of `approvers` approves it through
   * `POST /requests/{id}/approve`; a rejection ends it without running it. Approvers
   * default to `provisioning.policy.defaultApprovers`, as for requests. Quick and
   * read-only: it runs on the API call, after `checkInput`.
   */
  requiresApproval?(
    input: JsonObject,
    target: { request: StepRequest<TParams>; outputs: JsonObject },
  ): { reason: string; approvers?: string } | undefined;
  /** Must be idempotent; see {@link ResourceType}. */
  run(ctx: ActionStepContext<TParams>): Promise<void>;
}

/**
 * A kind of resource the platform provisions, registered by a module through
 * `provisioningResourceTypesExtensionPoint`.
 *
 * @remarks
 * The contract of the steps (`provision`, `observe`, actions' `run`, `destroy`):
 *
 * - **Idempotent.** A step may run more than once for one operation: it is retried
 *   with backoff after an error, and resumed by another worker when the one running
 *   it stopped (its lease expired). Running it again must converge on the same
 *   result, e.g. "create the database unless it exists".
 * - **Checkpoint side effects** that must not repeat or that return something needed
 *   later, with `ctx.checkpoint({ key, fn })`: a resumed step gets the stored result
 *   instead of running `fn` again. A crash between the side effect and the stored
 *   checkpoint still repeats it, which idempotence makes harmless.
 * - **Honour `ctx.signal`.** It aborts when the worker shuts down or loses its lease;
 *   stop soon after, so that two workers never act on one resource at once.
 * - **Throw to fail.** Errors are retried up to the configured attempts; throw a
 *   `NonRetryableError` when retrying cannot help (e.g. a name the provider refuses).
 * - **No secrets in outputs.** `ctx.setOutput` values are stored and shown to every
 *   reader; put secrets in a secret store and output their location.
 * - `destroy` must succeed when the resource is already gone or was never fully made.
 *
 * @public
 */
export interface ResourceType<TParams extends JsonObject = JsonObject> {
  /** Kebab-case and stable: stored on every request, e.g. `postgres`. */
  id: string;
  title: string;
  description: string;
  /**
   * The `spec.type` of the catalog `Resource` entity that stands for each resource,
   * e.g. `database` or `environment`. Defaults to the id.
   */
  catalogType?: string;
  /** JSON Schema (an object schema) of the request parameters; the form is generated from it. */
  parameters: JsonObject;
  policy?: ResourceTypePolicy<TParams>;
  /**
   * Refuses request names the provider cannot use, on top of the engine's rule (a DNS
   * label of at most 63 characters), e.g. reserved words or a shorter limit. Returns why
   * the name is refused, and the request is answered with a 400 naming `name`;
   * undefined accepts it. Runs before anything is stored.
   */
  validateName?(name: string): string | undefined;
  /**
   * Checks the parameters beyond what a JSON Schema can say, e.g. a queue name listed
   * twice. Runs after the schema's validation, before anything is stored; returns why
   * they are refused, naming the field (`parameters.queues[1].name: listed twice`),
   * and the request is answered with a 400; undefined accepts them. Quick and pure.
   */
  checkParameters?(
    parameters: TParams,
    context: {
      /** The registered resource types, e.g. to check a Score resource type. */
      resourceTypes: ResourceTypeLookup;
    },
  ): string | undefined;
  /**
   * Other active requests this one depends on. The engine resolves them before it
   * stores the request: one that does not exist (or is not ready) is a 400 naming its
   * field, one the requester may not use a 403. The policy and the steps see them.
   */
  references?(request: ResourceRequestInput<TParams>): RequestReference[];
  /** Resources that expire without activity; none do if absent. */
  lifetime?: ResourceLifetime<TParams>;
  /**
   * Lets environments hold resources of this type (see {@link EnvironmentCopy});
   * the type's parameters then have `environmentNameSchema`.
   */
  environmentCopy?: EnvironmentCopy<TParams>;
  /**
   * Lets Score workloads use the type: a workload's `resources.<name>` whose `type`
   * is one of `score.types` is served by a request of this type attached to the
   * environment it is deployed into, and its placeholders resolve to the request's
   * `score.outputs` (see {@link ScoreResources}). Requires `environmentCopy`; no two
   * registered types may provide the same Score type.
   */
  score?: ScoreResources<TParams>;
  /** Creates (or converges) the resource. */
  provision(ctx: StepContext<TParams>): Promise<void>;
  /** Runs after `provision` until it reports `ready`; provisioning ends then. */
  observe?(ctx: StepContext<TParams>): Promise<ObserveResult>;
  /** Day-2 actions by id (kebab-case). */
  actions?: Record<string, ResourceTypeAction<TParams>>;
  /** Removes the resource. */
  destroy(ctx: StepContext<TParams>): Promise<void>;
  /**
   * What the resource looks like now (e.g. its backups), for `GET /requests/{id}/status`
   * of a ready request. Read-only and quick: it runs on every poll of the request page,
   * outside the worker, and must honour `ctx.signal`. Never secret: every reader of the
   * request sees it. A type without it reports no sections.
   */
  status?(ctx: StatusContext<TParams>): Promise<ResourceStatus>;
  /**
   * Puts back what the platform owns in the resource when someone changed or
   * removed it by hand (drift), e.g. a quota deleted with kubectl. The engine runs it
   * on a schedule for ready requests that no operation is working on, and records
   * each correction it returns in the request's timeline. Idempotent; returns an
   * empty list when nothing drifted.
   */
  reconcile?(ctx: StatusContext<TParams>): Promise<string[]>;
}
