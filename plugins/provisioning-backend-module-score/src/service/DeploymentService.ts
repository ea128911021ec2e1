import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import {
  DeployBody,
  DeploymentAccepted,
  DeploymentRecord,
  DoraReport,
  ENVIRONMENT_STAGES,
  EnvironmentStage,
  PromoteBody,
  RollbackBody,
  WorkloadEnvironment,
  doraReport,
} from '@paved/plugin-deployments-common';
import {
  ProvisioningOperation,
  ProvisioningRequest,
} from '@paved/plugin-provisioning-common';
import { createHash } from 'node:crypto';
import { DeploymentStore, recordRef } from '../database/DeploymentStore';
import { workloadRequestName } from '../workload/names';
import { DeploymentsProvisioning } from './DeploymentsProvisioning';
import { IncidentSource } from './IncidentSource';

/** The resource type of a workload in an environment. */
export const WORKLOAD_TYPE = 'workload';
const ENVIRONMENT_TYPE = 'environment';

/** Production records of a DORA period (the store gives at most 1000). */
const ALL_RECORDS = 1_000;
/** The records of one component that the environments overview reads. */
const COMPONENT_RECORDS = 1_000;

/**
 * The deployments API without HTTP: deploys, promotions and rollbacks become
 * operations of the `workload` requests, made through the provisioning API as the
 * caller; the records the workload type writes answer what runs where and the
 * delivery figures.
 */
export class DeploymentService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      store: DeploymentStore;
      provisioning: DeploymentsProvisioning;
      incidents: IncidentSource;
      /** Hours after a production deployment in which a rollback or incident is its failure. */
      failureWindowHours: number;
      now?: () => Date;
    },
  ) {}

  async deploy(
    input: DeployBody,
    credentials: BackstageCredentials,
  ): Promise<DeploymentAccepted> {
    return this.rollOut(input, credentials, { kind: 'deploy' });
  }

  /** Deploys to `to` what runs in `from`: its image, commit and workload, with `to`'s resources. */
  async promote(
    input: PromoteBody,
    credentials: BackstageCredentials,
  ): Promise<DeploymentAccepted> {
    const component = componentRef(input.component);
    if (input.from === input.to) {
      throw new InputError(
        `Invalid request: to: must be another environment than from ('${input.from}')`,
      );
    }
    await this.findComponent(component, credentials);
    const [source] = await this.deps.store.list({
      component,
      environment: input.from,
      status: 'succeeded',
      limit: 1,
    });
    const stored = source && (await this.deps.store.get(source.id));
    if (!stored) {
      throw new InputError(
        `Invalid request: from: nothing of ${component} has been deployed to '${input.from}' successfully`,
      );
    }
    return this.rollOut(
      {
        component,
        environment: input.to,
        image: stored.image,
        gitRef: stored.gitRef,
        commitTime: stored.commitTime,
        workload: stored.spec,
      },
      credentials,
      { kind: 'promotion', promotedFrom: stored.id },
    );
  }

  /** Puts back the previous succeeded deployment (or `to`) of the component in the environment. */
  async rollback(
    input: RollbackBody,
    credentials: BackstageCredentials,
  ): Promise<DeploymentAccepted> {
    const component = componentRef(input.component);
    const entity = await this.findComponent(component, credentials);
    const [newest] = await this.deps.store.list({
      component,
      environment: input.environment,
      limit: 1,
    });
    if (!newest) {
      throw new InputError(
        `Invalid request: environment: ${component} has never been deployed to '${input.environment}'`,
      );
    }
    if (input.to) {
      const target = await this.deps.store.get(input.to);
      if (
        !target ||
        target.component !== component ||
        target.environment !== input.environment
      ) {
        throw new InputError(
          `Invalid request: to: '${input.to}' is no deployment of ${component} in '${input.environment}'`,
        );
      }
      if (target.status !== 'succeeded') {
        throw new InputError(
          `Invalid request: to: deployment '${input.to}' did not succeed (${target.status}); roll back to one that did`,
        );
      }
    } else {
      // The action puts back the succeeded deployment before the running one (the
      // newest succeeded): without one it could only fail, so refuse it here,
      // before an operation is queued.
      const succeeded = await this.deps.store.list({
        component,
        environment: input.environment,
        status: 'succeeded',
        limit: 50,
      });
      if (succeeded.filter(r => r.workload === newest.workload).length < 2) {
        throw new InputError(
          `Invalid request: environment: ${input.environment} has no earlier successful deployment of ${component} to roll back to`,
        );
      }
    }
    const request = await this.findWorkloadRequest(
      { owner: ownerOf(entity), workload: newest.workload, ...input },
      credentials,
    );
    if (!request) {
      throw new InputError(
        `Invalid request: environment: the workload '${newest.workload}' of ${component} is no longer in '${input.environment}'`,
      );
    }
    const operation = await this.deps.provisioning.runAction(
      request.id,
      'rollback',
      {
        input: input.to ? { to: input.to } : {},
        // Repeating the call rolls back the same deployment once.
        idempotencyKey: `rollback:${newest.id}:${input.to ?? 'previous'}`,
      },
      credentials,
    );
    return accepted(request.id, operation);
  }

  /** Deployment records, newest first. */
  async list(filter: {
    component?: string;
    environment?: string;
    owner?: string;
    limit?: number;
  }): Promise<DeploymentRecord[]> {
    return this.deps.store.list({
      component: filter.component ? componentRef(filter.component) : undefined,
      owner: filter.owner ? groupRef(filter.owner, 'owner') : undefined,
      environment: filter.environment,
      limit: filter.limit ?? 100,
    });
  }

  /** What runs where: one entry per environment the component is (or is being) deployed to. */
  async environments(
    componentInput: string,
    credentials: BackstageCredentials,
  ): Promise<WorkloadEnvironment[]> {
    const component = componentRef(componentInput);
    const entity = await this.findComponent(component, credentials);
    const ofComponent = (type: string, owner?: string) =>
      this.deps.provisioning
        .listRequests({ type, owner }, credentials)
        .then(items =>
          items.filter(
            r => recordRef(String(r.parameters.component ?? '')) === component,
          ),
        );
    const [records, requests, ownEnvironments] = await Promise.all([
      this.deps.store.list({ component, limit: COMPONENT_RECORDS }),
      ofComponent(WORKLOAD_TYPE, ownerOf(entity)),
      // The environments made for the component (by its team or, say, the
      // platform team's staging) with nothing deployed yet are where it can be
      // deployed or promoted to next.
      ofComponent(ENVIRONMENT_TYPE),
    ]);

    const byEnvironment = new Map<string, DeploymentRecord[]>();
    for (const record of records) {
      const list = byEnvironment.get(record.environment) ?? [];
      list.push(record);
      byEnvironment.set(record.environment, list);
    }
    const requestOf = new Map<string, ProvisioningRequest>();
    for (const request of requests) {
      const environment = String(request.parameters.environmentName ?? '');
      if (environment && !requestOf.has(environment)) {
        requestOf.set(environment, request);
      }
      if (environment && !byEnvironment.has(environment)) {
        byEnvironment.set(environment, []);
      }
    }

    const ownStage = new Map<string, unknown>();
    for (const request of ownEnvironments) {
      ownStage.set(
        request.name,
        request.outputs.stage ?? request.parameters.stage,
      );
      if (!byEnvironment.has(request.name)) {
        byEnvironment.set(request.name, []);
      }
    }

    const entries: WorkloadEnvironment[] = [];
    for (const [environment, list] of byEnvironment) {
      const request = requestOf.get(environment);
      const current = list.find(r => r.status === 'succeeded');
      const latest = list[0];
      entries.push({
        environment,
        stage:
          latest?.stage ??
          (ownStage.has(environment)
            ? stageFrom(ownStage.get(environment))
            : await this.stageOf(environment, credentials)),
        requestId: request?.id ?? latest?.requestId,
        state: request?.state,
        current,
        latest: latest && latest.id !== current?.id ? latest : undefined,
      });
    }
    for (const entry of entries) {
      const nextStage =
        ENVIRONMENT_STAGES[ENVIRONMENT_STAGES.indexOf(entry.stage) + 1];
      entry.next = nextStage
        ? entries
            .filter(e => e.stage === nextStage)
            .map(e => e.environment)
            .sort()[0]
        : undefined;
    }
    return entries.sort(
      (a, b) =>
        ENVIRONMENT_STAGES.indexOf(a.stage) -
          ENVIRONMENT_STAGES.indexOf(b.stage) ||
        a.environment.localeCompare(b.environment),
    );
  }

  /** The delivery figures of a component, a team (`owner`) or the whole organisation over the last `weeks`. */
  async dora(query: {
    component?: string;
    owner?: string;
    weeks: number;
  }): Promise<DoraReport> {
    if (query.component && query.owner) {
      throw new InputError(
        'Invalid request: owner: give either component or owner, not both',
      );
    }
    const component = query.component
      ? componentRef(query.component)
      : undefined;
    const owner = query.owner ? groupRef(query.owner, 'owner') : undefined;
    const to = (this.deps.now?.() ?? new Date()).toISOString();
    const from = new Date(
      Date.parse(to) - query.weeks * 7 * 24 * 3600_000,
    ).toISOString();
    const [records, incidents] = await Promise.all([
      this.deps.store.list({
        component,
        owner,
        stage: 'production',
        since: from,
        limit: ALL_RECORDS,
      }),
      this.deps.incidents.list({ entityRef: component, owner, since: from }),
    ]);
    return doraReport(
      records,
      incidents.map(incident => ({
        component: incident.entityRef,
        openedAt: incident.openedAt,
        ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
      })),
      {
        scope: component ?? owner ?? 'organisation',
        from: new Date(from),
        to: new Date(to),
        failureWindowHours: this.deps.failureWindowHours,
      },
    );
  }

  private async rollOut(
    input: DeployBody,
    credentials: BackstageCredentials,
    how: { kind: 'deploy' | 'promotion'; promotedFrom?: string },
  ): Promise<DeploymentAccepted> {
    const component = componentRef(input.component);
    const entity = await this.findComponent(component, credentials);
    const owner = ownerOf(entity);
    const environment = await this.deps.provisioning.findRequest(
      ENVIRONMENT_TYPE,
      input.environment,
      credentials,
    );
    if (!environment) {
      throw new InputError(
        `Invalid request: environment: there is no environment '${input.environment}'`,
      );
    }
    const workload = input.workload ?? (await this.newestWorkload(component));
    const workloadName = (workload.metadata as JsonObject | undefined)?.name;
    if (typeof workloadName !== 'string' || !workloadName) {
      throw new InputError(
        'Invalid request: workload.metadata.name: is required',
      );
    }
    const name = workloadRequestName(workloadName, input.environment);
    const change: JsonObject = {
      image: input.image,
      ...(input.gitRef ? { gitRef: input.gitRef } : {}),
      ...(input.commitTime ? { commitTime: input.commitTime } : {}),
      workload,
      kind: how.kind,
      ...(how.promotedFrom ? { promotedFrom: how.promotedFrom } : {}),
    };

    const existing = await this.findWorkloadRequest(
      { owner, workload: workloadName, environment: input.environment },
      credentials,
    );
    if (!existing) {
      const created = await this.deps.provisioning.createRequest(
        {
          type: WORKLOAD_TYPE,
          name,
          owner,
          parameters: {
            component,
            environmentName: input.environment,
            ...change,
          },
        },
        credentials,
      );
      return {
        requestId: created.id,
        operationId: created.activeOperation?.id,
        state: created.state,
      };
    }
    if (recordRef(String(existing.parameters.component ?? '')) !== component) {
      throw new ConflictError(
        `workload.metadata.name: the workload '${workloadName}' in '${input.environment}' belongs to ${existing.parameters.component}`,
      );
    }
    // A busy request (deploying, waiting for approval) is refused with the API's own 409.
    const operation = await this.deps.provisioning.runAction(
      existing.id,
      'deploy',
      {
        input: change,
        idempotencyKey: await this.idempotencyKey(
          component,
          input.environment,
          workloadName,
          change,
        ),
      },
      credentials,
    );
    return accepted(existing.id, operation);
  }

  /**
   * The workload request of a workload in an environment: the one of its name, else
   * (a workload copied with its environment, whose name was cut with a hash and so
   * differs from `workloadRequestName`) the owner's workload request attached to the
   * environment that deploys the workload of that name.
   */
  private async findWorkloadRequest(
    query: { owner: string; workload: string; environment: string },
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequest | undefined> {
    const named = await this.deps.provisioning.findRequest(
      WORKLOAD_TYPE,
      workloadRequestName(query.workload, query.environment),
      credentials,
    );
    if (named) {
      return named;
    }
    const owned = await this.deps.provisioning.listRequests(
      { type: WORKLOAD_TYPE, owner: query.owner },
      credentials,
    );
    return owned.find(
      request =>
        request.parameters.environmentName === query.environment &&
        (
          (request.parameters.workload as JsonObject | undefined)?.metadata as
            | JsonObject
            | undefined
        )?.name === query.workload,
    );
  }

  /**
   * The same deploy repeated (a CI retry) queues one operation; the same version
   * deployed again after another one (back to v1 after v2) is a new deployment. So
   * the key is the change's hash and the newest deployment of another version.
   */
  private async idempotencyKey(
    component: string,
    environment: string,
    workload: string,
    change: JsonObject,
  ): Promise<string> {
    const records = await this.deps.store.list({
      component,
      environment,
      limit: 50,
    });
    const other = records.find(
      r =>
        r.workload === workload &&
        (r.image !== change.image ||
          (r.gitRef ?? '') !== (change.gitRef ?? '')),
    );
    const { commitTime: _ignored, ...version } = change;
    return `deploy:${sha256(canonicalJson(version))}:${other?.id ?? 'first'}`;
  }

  private async newestWorkload(component: string): Promise<JsonObject> {
    const [newest] = await this.deps.store.list({ component, limit: 1 });
    const stored = newest && (await this.deps.store.get(newest.id));
    if (!stored) {
      throw new InputError(
        "Invalid request: workload: is required for a component's first deployment",
      );
    }
    return stored.spec;
  }

  private async findComponent(
    component: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(component, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `component: there is no component '${component}' in the catalog`,
      );
    }
    return entity;
  }

  private async stageOf(
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentStage> {
    const request = await this.deps.provisioning.findRequest(
      ENVIRONMENT_TYPE,
      environment,
      credentials,
    );
    return stageFrom(request?.outputs.stage ?? request?.parameters.stage);
  }
}

function accepted(
  requestId: string,
  operation: ProvisioningOperation,
): DeploymentAccepted {
  return {
    requestId,
    operationId: operation.id,
    state: acceptedState(operation),
  };
}

/**
 * The state a caller follows: an action held for an approval (a deploy to
 * production) waits as `pending-approval`, so that the portal's banner and
 * `paved:deploy` say so instead of reporting it done; the request is updating
 * while its operation is queued or running.
 */
function acceptedState(operation: ProvisioningOperation): string {
  switch (operation.status) {
    case 'pending-approval':
      return 'pending-approval';
    case 'queued':
    case 'running':
      return 'updating';
    default:
      return 'ready';
  }
}

/** A component's full entity ref; 400 naming `component` for anything else. */
export function componentRef(input: string): string {
  let ref;
  try {
    ref = parseEntityRef(input, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(
      `Invalid request: component: '${input}' is not an entity ref`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'component') {
    throw new InputError(
      `Invalid request: component: '${input}' is a ${ref.kind}, not a component`,
    );
  }
  return recordRef(stringifyEntityRef(ref));
}

function groupRef(input: string, field: string): string {
  try {
    return recordRef(
      stringifyEntityRef(
        parseEntityRef(input, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      ),
    );
  } catch {
    throw new InputError(
      `Invalid request: ${field}: '${input}' is not an entity ref`,
    );
  }
}

function ownerOf(component: Entity): string {
  const owner = component.spec?.owner;
  if (typeof owner !== 'string' || !owner) {
    throw new InputError(
      `Invalid request: component: ${stringifyEntityRef(
        component,
      )} has no owner`,
    );
  }
  return recordRef(
    stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: component.metadata.namespace ?? 'default',
      }),
    ),
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so that equal documents hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter(k => (value as Record<string, unknown>)[k] !== undefined)
      .map(
        k =>
          `${JSON.stringify(k)}:${canonicalJson(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An environment's stage as its request gives it; development when it gives none. */
function stageFrom(stage: unknown): EnvironmentStage {
  return ENVIRONMENT_STAGES.includes(stage as EnvironmentStage)
    ? (stage as EnvironmentStage)
    : 'development';
}
