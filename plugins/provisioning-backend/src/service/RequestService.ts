import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  createRequestBodySchema,
  listRequestsQuerySchema,
  ProvisioningRequest,
  ProvisioningRequestDetails,
  ResourceStatus,
  provisioningRequestCreatePermission,
  provisioningRequestReadPermission,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import { isDeepStrictEqual } from 'node:util';
import { actorOf, parseInput } from '@paved/backend-plugin-utils';
import {
  ReferencedRequest,
  ResourceRequestInput,
  ResourceType,
} from '@paved/plugin-provisioning-node';
import { FieldError, fieldErrorsOf } from './fieldErrors';
import { normalizeGroupRef } from './ProvisioningPolicy';
import { ImposedApproval, RequestPlan } from './RequestPlan';
import { ServiceDependencies } from './ServiceDependencies';
import { resolveReferences } from './resolveReferences';
import { stepRequestOf } from './stepRequestOf';
import { StoreRequestLookup } from './StoreRequestLookup';

const HOUR_MS = 3_600_000;

function parseOwner(owner: string): string {
  let ref: string;
  try {
    ref = normalizeGroupRef(owner);
  } catch {
    ref = '';
  }
  if (!ref.startsWith('group:')) {
    throw new InputError(
      `Invalid request: owner: '${owner}' is not a group entity ref, e.g. group:default/payments-team`,
    );
  }
  return ref;
}

function quotaCostOf(type: ResourceType, request: ResourceRequestInput) {
  return type.policy?.quotaCost?.(request) ?? 1;
}

function quotaExceeded(
  request: ResourceRequestInput,
  used: number,
  max: number,
  cost: number,
): string {
  return `Quota exceeded: owner: ${request.owner} uses ${used} of its quota of ${max} for '${request.type}' (provisioning.policy.quotas) and this request needs ${cost} more`;
}

function nameTaken(name: string, holder: ProvisioningRequest): string {
  return `Invalid request: name: '${name}' is already used by ${holder.type} request ${holder.id} of ${holder.owner}; names are unique across teams, as in the catalog; choose another name`;
}

function differentParameters(
  request: ResourceRequestInput,
  existing: ProvisioningRequest,
): string {
  return `Invalid request: name: ${request.owner} already has ${request.type} '${request.name}' (request ${existing.id}) with different parameters`;
}

/** For status hooks when the service was made without a logger. */
const noopLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => noopLogger,
};

/** How long a type's `status` hook may take before it is aborted. */
const STATUS_TIMEOUT_MS = 15_000;

/** States in which a request's resource exists and can report its status. */
const STATUS_STATES = ['ready', 'updating'];

/** Requesting resources and reading requests. */
export class RequestService {
  constructor(
    private readonly deps: ServiceDependencies,
    private readonly options: {
      logger?: LoggerService;
      statusTimeoutMs?: number;
    } = {},
  ) {}

  listTypes(): ResourceTypeInfo[] {
    return this.deps.types.list();
  }

  /**
   * Stores a new request and queues its provisioning (or waits for its approval).
   * Idempotent: an active request with the same type, owner and name is returned
   * as it is when the parameters match, and refused (409) when they differ.
   * `imposed`: an approval the caller's policy asks for (an AI agent's), used when
   * the provisioning policy does not already ask for one.
   */
  async create(
    body: unknown,
    credentials: BackstageCredentials,
    imposed: ImposedApproval = {},
  ): Promise<{ request: ProvisioningRequest; created: boolean }> {
    const { store, types, policy, authorizer } = this.deps;
    const input = parseInput(createRequestBodySchema, body, 'request');
    const registered = types.getForInput(input.type);
    const nameProblem = registered.type.validateName?.(input.name);
    if (nameProblem) {
      throw new InputError(`Invalid request: name: ${nameProblem}`);
    }
    const owner = parseOwner(input.owner);
    await authorizer.authorize(
      provisioningRequestCreatePermission,
      { type: input.type, name: input.name, owner },
      credentials,
    );
    const parameters = registered.validateParameters(
      (input.parameters ?? {}) as JsonObject,
    );
    const parametersProblem = registered.type.checkParameters?.(parameters, {
      resourceTypes: types,
    });
    if (parametersProblem) {
      throw new InputError(`Invalid parameters: ${parametersProblem}`);
    }
    const request = {
      type: input.type,
      name: input.name,
      owner,
      parameters,
      createdBy: actorOf(credentials),
    };
    const references = await resolveReferences(
      registered.type,
      request,
      this.deps,
      credentials,
    );
    const ttlHours = registered.type.lifetime?.ttlHours(parameters);
    const quotaCost = quotaCostOf(registered.type, request);
    const quotaMax = policy.quotaFor(owner, input.type);
    const result = await store.createRequest({
      ...request,
      quotaCost,
      quotaMax,
      approval: this.approvalOf(request, registered.type, references, imposed),
      ttlMs: ttlHours === undefined ? undefined : ttlHours * HOUR_MS,
    });

    if (result.outcome === 'quota-exceeded') {
      throw new ConflictError(
        quotaExceeded(request, result.used, quotaMax!, quotaCost),
      );
    }
    if (result.outcome === 'name-taken') {
      throw new ConflictError(nameTaken(input.name, result.holder));
    }
    if (result.outcome === 'existing') {
      if (!isDeepStrictEqual(result.request.parameters, parameters)) {
        throw new ConflictError(differentParameters(request, result.request));
      }
      return { request: result.request, created: false };
    }
    if (result.request.state === 'provisioning') {
      this.deps.onWorkQueued();
    } else if (result.request.state === 'pending-approval') {
      await this.deps.notifier?.notify(result.request, {
        type: 'needs-approval',
      });
    }
    return { request: result.request, created: true };
  }

  /**
   * What `create` would do with the body, as it would compute it (validation,
   * permission, references, quota, approval, lifetime), without storing anything.
   * A body of the wrong shape is a 400 as for `create`; every other problem is
   * returned as a field error rather than thrown, so that one call lists them all.
   */
  async plan(
    body: unknown,
    credentials: BackstageCredentials,
    imposed: ImposedApproval = {},
  ): Promise<RequestPlan> {
    const { store, types, policy, authorizer } = this.deps;
    const errors: FieldError[] = [];
    /** Runs one check; its refusal becomes field errors, and the plan goes on. */
    const check = async <T>(
      fallback: string,
      fn: () => T | Promise<T>,
    ): Promise<T | undefined> => {
      try {
        return await fn();
      } catch (error) {
        errors.push(...fieldErrorsOf(error, fallback));
        return undefined;
      }
    };

    // A body of the wrong shape is the caller's bug, a 400 as for `create`; what
    // depends on the type, the owner and the state of the world becomes `errors`.
    const input = parseInput(createRequestBodySchema, body, 'request');
    const { type, name } = input;
    const ownerInput = input.owner;
    const parametersInput = (input.parameters ?? {}) as JsonObject;

    const registered = await check('type', () => types.getForInput(type));
    if (registered) {
      const problem = registered.type.validateName?.(name);
      if (problem) {
        errors.push({ field: 'name', message: problem });
      }
    }
    const owner = await check('owner', () => parseOwner(ownerInput));
    // Whether the caller may request it at all; a refusal hides the owner's figures.
    const allowed = owner
      ? (await check('owner', async () => {
          await authorizer.authorize(
            provisioningRequestCreatePermission,
            { type, name, owner },
            credentials,
          );
          return true;
        })) ?? false
      : false;
    const parameters = registered
      ? await check('parameters', () =>
          registered.validateParameters(parametersInput),
        )
      : undefined;
    if (registered && parameters) {
      const problem = registered.type.checkParameters?.(parameters, {
        resourceTypes: types,
      });
      if (problem) {
        errors.push(...fieldErrorsOf(new InputError(problem), 'parameters'));
      }
    }

    const plan: RequestPlan = {
      valid: false,
      errors,
      request: {
        type,
        name,
        owner: owner ?? ownerInput,
        parameters: parameters ?? parametersInput,
      },
      quota: { used: null, max: null, cost: null },
      approval: { required: false },
    };
    if (registered?.type.lifetime) {
      const ttlHours = parameters
        ? registered.type.lifetime.ttlHours(parameters)
        : undefined;
      plan.lifetime = {
        ttlHours: ttlHours ?? null,
        maxHours: registered.type.lifetime.maxHours,
      };
    }
    if (!registered || !owner || !parameters || !allowed) {
      return this.finish(plan);
    }

    const request: ResourceRequestInput = {
      type: registered.type.id,
      name,
      owner,
      parameters,
      createdBy: actorOf(credentials),
    };
    const references = await check('parameters', () =>
      resolveReferences(registered.type, request, this.deps, credentials),
    );
    const holder = await store.findNameHolder(name);
    if (holder?.type === request.type && holder.owner === owner) {
      if (isDeepStrictEqual(holder.parameters, parameters)) {
        plan.existing = { id: holder.id, state: holder.state };
      } else {
        errors.push(
          ...fieldErrorsOf(
            new InputError(differentParameters(request, holder)),
            'name',
          ),
        );
      }
    } else if (holder) {
      errors.push(
        ...fieldErrorsOf(new InputError(nameTaken(name, holder)), 'name'),
      );
    }

    const cost = quotaCostOf(registered.type, request);
    const max = policy.quotaFor(owner, request.type);
    const used = await store.quotaUsed(owner, request.type);
    plan.quota = { used, max: max ?? null, cost };
    // Submitting returns an existing request as it is: it needs no more quota.
    if (!plan.existing && max !== undefined && used + cost > max) {
      errors.push({
        field: 'owner',
        message: quotaExceeded(request, used, max, cost),
      });
    }
    if (references) {
      const approval = this.approvalOf(
        request,
        registered.type,
        references,
        imposed,
      );
      plan.approval = approval
        ? { required: true, ...approval }
        : { required: false };
    }
    return this.finish(plan);
  }

  private finish(plan: RequestPlan): RequestPlan {
    return { ...plan, valid: plan.errors.length === 0 };
  }

  /** The provisioning policy's approval, else the one the caller's policy imposes. */
  private approvalOf(
    request: ResourceRequestInput,
    type: ResourceType,
    references: Record<string, ReferencedRequest>,
    imposed: ImposedApproval,
  ): { group: string; reason: string } | undefined {
    const { policy } = this.deps;
    return (
      policy.approvalFor(request, type, references) ??
      (imposed.approval ? policy.forcedApproval(imposed.approval) : undefined)
    );
  }

  async list(
    query: unknown,
    credentials: BackstageCredentials,
  ): Promise<{ items: ProvisioningRequest[]; totalCount: number }> {
    const filter = parseInput(listRequestsQuerySchema, query, 'query');
    const permission = await this.deps.authorizer.readFilter(credentials);
    return this.deps.store.listRequests({
      owners: filter.owner?.map(parseOwner),
      type: filter.type,
      name: filter.name,
      states: filter.state,
      approvalGroup: filter.approvalGroup
        ? parseOwner(filter.approvalGroup)
        : undefined,
      permission,
      limit: filter.limit,
      offset: filter.offset,
    });
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequestDetails> {
    const details = await this.deps.store.getRequestDetails(id);
    if (!details) {
      throw new NotFoundError(`Provisioning request '${id}' does not exist`);
    }
    await this.deps.authorizer.authorize(
      provisioningRequestReadPermission,
      details,
      credentials,
    );
    return details;
  }

  /**
   * The live status the request's type reports (its `status` hook), for whoever may
   * read the request: 404 for an unknown request, 409 while its resource is not
   * ready, no sections for a type without the hook.
   */
  async status(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ResourceStatus> {
    const request = await this.get(id, credentials);
    if (!STATUS_STATES.includes(request.state)) {
      throw new ConflictError(
        `Request ${id} is ${request.state}; its status is reported once it is ready`,
      );
    }
    const type = this.deps.types.get(request.type)?.type;
    if (!type?.status) {
      return { sections: [] };
    }
    const signal = AbortSignal.timeout(
      this.options.statusTimeoutMs ?? STATUS_TIMEOUT_MS,
    );
    const { sections } = await type.status({
      request: stepRequestOf(request),
      outputs: request.outputs,
      logger: (this.options.logger ?? noopLogger).child({
        requestId: request.id,
      }),
      signal,
      requests: new StoreRequestLookup(this.deps.store, this.deps.types),
      resourceTypes: this.deps.types,
    });
    return { sections: Array.isArray(sections) ? sections : [] };
  }
}
