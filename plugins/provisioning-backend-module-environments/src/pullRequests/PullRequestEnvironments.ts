import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { responseBody } from '@paved/openapi-client-utils';
import { DeploymentAccepted } from '@paved/plugin-deployments-common';
import {
  ProvisioningApiClient,
  ProvisioningRequest,
} from '@paved/plugin-provisioning-common';
import { setTimeout as sleep } from 'node:timers/promises';
import { RESOURCE_TYPE_ID } from '../environment/resourceTypeId';
import { DeploymentsCalls } from './DeploymentsCalls';
import { findComponent, repositorySlug } from './findComponent';

/** The annotation of a component's image repository, e.g. `ghcr.io/acme/orders`. */
const IMAGE_ANNOTATION = 'paved.dev/image';
/** The annotation naming the environment that pull-request environments copy. */
const SOURCE_ANNOTATION = 'paved.dev/pr-environment-source';

/** What CI reports about a pull request. */
export interface PullRequestEvent {
  repository: string;
  number: number;
  action: 'opened' | 'synchronize' | 'reopened' | 'closed';
  imageTag?: string;
}

/** What the endpoint answers. */
export interface PullRequestOutcome {
  environment: string;
  requestId?: string;
  changed: boolean;
  /**
   * For a component that deploys a Score workload: the deployment of the pull
   * request's image (the workload request and its operation), or why it is not
   * queued yet (`waiting`: the environment is still being made; CI repeats the call).
   */
  deployment?: DeploymentAccepted | { waiting: string };
}

/** How long a call waits for a new environment before deploying into it. */
const DEFAULT_READY_WAIT_MS = 120_000;
/** How often the environment is looked at meanwhile. */
const POLL_MS = 500;

/** States of a request that still stands for a namespace. */
const LIVE_STATES = new Set([
  'pending-approval',
  'provisioning',
  'ready',
  'updating',
  'failed',
]);

/**
 * Keeps one environment per open pull request of a component: made when the pull
 * request opens, given each new build's image, deleted when it closes. Every call
 * goes through the provisioning API as the caller, so quotas, permissions and the
 * audit trail apply as they do in the portal; repeating a call changes nothing.
 */
export class PullRequestEnvironments {
  private readonly api: ProvisioningApiClient;
  private readonly deployments: DeploymentsCalls;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      discovery: DiscoveryService;
      auth: AuthService;
      /** How long an `opened` call waits for the environment before deploying; 2 minutes if absent. */
      readyWaitMs?: number;
    },
  ) {
    this.api = new ProvisioningApiClient({
      discoveryApi: options.discovery,
      fetchApi: { fetch },
    });
    this.deployments = new DeploymentsCalls(options.discovery);
  }

  async handle(
    event: PullRequestEvent,
    credentials: BackstageCredentials,
  ): Promise<PullRequestOutcome> {
    const component = await findComponent(
      this.options.catalog,
      event.repository,
      credentials,
    );
    const environment =
      `${component.metadata.name}-pr-${event.number}`.toLocaleLowerCase(
        'en-US',
      );
    if (environment.length > 63) {
      throw new InputError(
        `Invalid request: number: the environment name '${environment}' would be longer than 63 characters`,
      );
    }
    const options = await this.requestOptions(credentials);
    const existing = await this.findRequest(environment, options);

    if (event.action === 'closed') {
      if (!existing || !LIVE_STATES.has(existing.state)) {
        return { environment, requestId: existing?.id, changed: false };
      }
      await json(
        this.api.deleteRequest({ path: { id: existing.id } }, options),
      );
      return { environment, requestId: existing.id, changed: true };
    }

    const image = `${imageRepository(component)}:${event.imageTag}`;
    const componentRef = stringifyEntityRef(component);
    const score =
      (
        await this.deployments.list(
          { component: componentRef, limit: 1 },
          options.token,
        )
      ).length > 0;
    if (score) {
      return this.scorePullRequest({
        component,
        environment,
        image,
        existing:
          existing && LIVE_STATES.has(existing.state) ? existing : undefined,
        event,
        options,
      });
    }
    if (existing && LIVE_STATES.has(existing.state)) {
      return this.deploy(
        existing,
        environment,
        image,
        event.imageTag!,
        options,
      );
    }
    const source = component.metadata.annotations?.[SOURCE_ANNOTATION];
    const response = await this.api.createRequest(
      {
        body: {
          type: RESOURCE_TYPE_ID,
          name: environment,
          owner: ownerOf(component),
          parameters: {
            component: stringifyEntityRef(component),
            image,
            pullRequest: {
              repository: repositorySlug(event.repository),
              number: event.number,
            },
            ...(source ? { source } : {}),
          },
        },
      },
      options,
    );
    const created = await json<ProvisioningRequest>(Promise.resolve(response));
    return {
      environment,
      requestId: created.id,
      changed: response.status === 201,
    };
  }

  /**
   * A pull request of a component that deploys a Score workload: its environment
   * (a copy of the annotated source, whose workloads and resources are copied too,
   * or an empty one) runs the pull request's image through the deployments API,
   * with resources of its own. The deploy needs a ready environment (the workload's
   * reference refuses one still provisioning), so a new environment is awaited here,
   * briefly; past that the answer says `waiting` and CI's next call (a repeated
   * `opened`, or the next `synchronize`) deploys. Deploying is idempotent.
   */
  private async scorePullRequest(args: {
    component: Entity;
    environment: string;
    image: string;
    existing?: ProvisioningRequest;
    event: PullRequestEvent;
    options: { token: string };
  }): Promise<PullRequestOutcome> {
    const { component, environment, image, event, options } = args;
    let request = args.existing;
    let changed = false;
    if (!request) {
      const source = component.metadata.annotations?.[SOURCE_ANNOTATION];
      const response = await this.api.createRequest(
        {
          body: {
            type: RESOURCE_TYPE_ID,
            name: environment,
            owner: ownerOf(component),
            parameters: {
              component: stringifyEntityRef(component),
              // No `image`: the workload deploys it; the environment's own
              // `deploy` action (setting images) is for components without Score.
              pullRequest: {
                repository: repositorySlug(event.repository),
                number: event.number,
              },
              ...(source ? { source } : {}),
            },
          },
        },
        options,
      );
      request = await json<ProvisioningRequest>(Promise.resolve(response));
      changed = response.status === 201;
    }
    const ready = await this.waitUntilReady(request, options);
    if (!ready) {
      return {
        environment,
        requestId: request.id,
        changed,
        deployment: {
          waiting: `environment '${environment}' is ${request.state}; call again to deploy ${image}`,
        },
      };
    }
    const componentRef = stringifyEntityRef(component);
    const [newest] = await this.deployments.list(
      { component: componentRef, environment, limit: 1 },
      options.token,
    );
    const deployment = await this.deployWhenIdle(
      { component: componentRef, environment, image },
      options,
    );
    return {
      environment,
      requestId: request.id,
      changed:
        changed || newest?.image !== image || newest?.status === 'failed',
      deployment,
    };
  }

  /**
   * Deploys, waiting (as for the environment) while the workload is busy: the
   * previous push's rollout still running answers 409, and the pull request's newest
   * image should follow it rather than fail CI.
   */
  private async deployWhenIdle(
    body: { component: string; environment: string; image: string },
    options: { token: string },
  ): Promise<DeploymentAccepted> {
    const deadline =
      Date.now() + (this.options.readyWaitMs ?? DEFAULT_READY_WAIT_MS);
    for (;;) {
      try {
        return await this.deployments.deploy(body, options.token);
      } catch (error) {
        if (!(error instanceof ConflictError) || Date.now() > deadline) {
          throw error;
        }
      }
      await sleep(POLL_MS);
    }
  }

  /** Whether the environment is (or becomes, within the wait) ready; a failed one is a 409. */
  private async waitUntilReady(
    request: ProvisioningRequest,
    options: { token: string },
  ): Promise<boolean> {
    const deadline =
      Date.now() + (this.options.readyWaitMs ?? DEFAULT_READY_WAIT_MS);
    let current = request;
    for (;;) {
      if (current.state === 'ready' || current.state === 'updating') {
        return true;
      }
      if (current.state === 'failed') {
        throw new ConflictError(
          `environment '${current.name}' failed; see its request page (${current.id})`,
        );
      }
      if (Date.now() > deadline) {
        return false;
      }
      await sleep(POLL_MS);
      current = await json<ProvisioningRequest>(
        this.api.getRequest({ path: { id: request.id } }, options),
      );
    }
  }

  /** Gives the environment the new image unless it has (or is getting) it. */
  private async deploy(
    existing: ProvisioningRequest,
    environment: string,
    image: string,
    tag: string,
    options: { token?: string },
  ): Promise<PullRequestOutcome> {
    const operation = existing.activeOperation;
    const current =
      operation?.kind === 'action' && operation.action === 'deploy'
        ? operation.input?.image
        : existing.outputs?.image ?? existing.parameters?.image;
    if (current === image) {
      return { environment, requestId: existing.id, changed: false };
    }
    await json(
      this.api.runAction(
        {
          path: { id: existing.id, action: 'deploy' },
          body: { input: { image }, idempotencyKey: `image:${tag}` },
        },
        options,
      ),
    );
    return { environment, requestId: existing.id, changed: true };
  }

  /** The newest request of the environment the caller can see, if any. */
  private async findRequest(
    name: string,
    options: { token?: string },
  ): Promise<ProvisioningRequest | undefined> {
    const page = await json<{ items: ProvisioningRequest[] }>(
      this.api.listRequests(
        { query: { type: RESOURCE_TYPE_ID, name, limit: 1 } },
        options,
      ),
    );
    return page.items[0];
  }

  private async requestOptions(
    credentials: BackstageCredentials,
  ): Promise<{ token: string }> {
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'provisioning',
    });
    return { token };
  }
}

function imageRepository(component: Entity): string {
  return (
    component.metadata.annotations?.[IMAGE_ANNOTATION] ??
    component.metadata.name
  );
}

function ownerOf(component: Entity): string {
  const owner = component.spec?.owner;
  if (typeof owner !== 'string' || !owner) {
    throw new InputError(
      `Invalid request: repository: component '${stringifyEntityRef(
        component,
      )}' has no owner`,
    );
  }
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: component.metadata.namespace ?? 'default',
    }),
  );
}

const FORWARDED: Record<number, new (message: string) => Error> = {
  400: InputError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
};

/**
 * The body of a successful response. A refusal of the provisioning API is answered
 * as it is (a 400 stays a 400 naming the field); anything else is a ResponseError.
 */
async function json<T = unknown>(pending: Promise<Response>): Promise<T> {
  return responseBody<T>(pending).catch(error => {
    const Forwarded = ResponseError.is(error)
      ? FORWARDED[error.statusCode]
      : undefined;
    throw Forwarded ? new Forwarded(error.cause.message) : error;
  });
}
