import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { responseBody } from '@paved/openapi-client-utils';
import {
  DeployBody,
  DeploymentAccepted,
  RollbackBody,
} from '@paved/plugin-deployments-common';

/** What the scaffolder needs of the deployments API, on behalf of the task's user. */
export interface DeploymentsClient {
  deploy(
    body: DeployBody,
    credentials: BackstageCredentials,
  ): Promise<DeploymentAccepted>;
  /** Puts back the previous succeeded deployment of the component in the environment. */
  rollback(
    body: RollbackBody,
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

  async rollback(body: RollbackBody, credentials: BackstageCredentials) {
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
