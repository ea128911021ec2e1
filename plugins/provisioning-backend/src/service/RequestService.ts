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
import { normalizeGroupRef } from './ProvisioningPolicy';
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

/** Requesting resources and reading requests. */
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
   */
  async create(
    body: unknown,
    credentials: BackstageCredentials,
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
    const quotaCost = registered.type.policy?.quotaCost?.(request) ?? 1;
    const quotaMax = policy.quotaFor(owner, input.type);
    const result = await store.createRequest({
      ...request,
      quotaCost,
      quotaMax,
      approval: policy.approvalFor(request, registered.type, references),
      ttlMs: ttlHours === undefined ? undefined : ttlHours * HOUR_MS,
    });

    if (result.outcome === 'quota-exceeded') {
      throw new ConflictError(
        `Quota exceeded: owner: ${owner} uses ${result.used} of its quota of ${quotaMax} for '${input.type}' (provisioning.policy.quotas) and this request needs ${quotaCost} more`,
      );
    }
    if (result.outcome === 'name-taken') {
      throw new ConflictError(
        `Invalid request: name: '${input.name}' is already used by ${result.holder.type} request ${result.holder.id} of ${result.holder.owner}; names are unique across teams, as in the catalog; choose another name`,
      );
    }
    if (result.outcome === 'existing') {
      if (!isDeepStrictEqual(result.request.parameters, parameters)) {
        throw new ConflictError(
          `Invalid request: name: ${owner} already has ${input.type} '${input.name}' (request ${result.request.id}) with different parameters`,
        );
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
