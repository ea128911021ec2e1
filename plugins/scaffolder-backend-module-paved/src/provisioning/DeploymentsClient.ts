import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { responseBody } from '@paved/openapi-client-utils';

/** The body of `POST /api/provisioning/deployments`. */
export interface DeployBody {
  /** The component's entity ref. */
  component: string;
  /** The environment's name. */
  environment: string;
  image: string;
  gitRef?: string;
  commitTime?: string;
  /** The Score workload, as JSON; the component's newest deployment's when absent. */
  workload?: JsonObject;
}

/**
 * The answer to a deployment (202): the rollout runs as an operation of the
 * workload's request in the environment.
 */
export interface DeploymentAccepted {
  /** The workload request of the component's workload in the environment. */
  requestId: string;
  /** The operation that rolls it out. */
  operationId?: string;
  /** The request's state, e.g. `provisioning`, `updating` or `pending-approval`. */
  state: string;
}

/** What the scaffolder needs of the deployments API, on behalf of the task's user. */
export interface DeploymentsClient {
  deploy(
    body: DeployBody,
    credentials: BackstageCredentials,
  ): Promise<DeploymentAccepted>;
  /** Puts back the previous succeeded deployment of the component in the environment. */
  rollback(
    body: { component: string; environment: string },
    credentials: BackstageCredentials,
  ): Promise<DeploymentAccepted>;
}

/**
 * The deployments routes of the provisioning plugin (its `workload` module), called
 * with the initiating user's identity so that its permissions, quotas and audit
 * apply to the user, not to the scaffolder.
 */
export class HttpDeploymentsClient implements DeploymentsClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async rollback(
    body: { component: string; environment: string },
    credentials: BackstageCredentials,
  ) {
    return this.post('/deployments/rollback', body, credentials);
  }

  async deploy(body: DeployBody, credentials: BackstageCredentials) {
    return this.post('/deployments', body, credentials);
  }

  private async post(
    path: string,
    body: object,
    credentials: BackstageCredentials,
  ) {
    const [baseUrl, { token }] = await Promise.all([
      this.discovery.getBaseUrl('provisioning'),
      this.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'provisioning',
      }),
    ]);
    return responseBody<DeploymentAccepted>(
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      }),
    );
  }
}
