import { DiscoveryService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import {
  DeployBody,
  DeploymentAccepted,
} from '@paved/plugin-deployments-common';

/** A deployment record, as far as pull-request environments read it. */
export interface DeploymentSummary {
  environment: string;
  image: string;
  status: string;
}

const FORWARDED: Record<number, new (message: string) => Error> = {
  400: InputError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
};

/**
 * The deployments API of the workload type (the Score module), over HTTP with the
 * caller's token, for pull-request environments of components that deploy Score
 * workloads. Over HTTP rather than an import: the Score module builds on this one,
 * and a portal without it answers 404, which reads as "no Score deployments".
 */
export class DeploymentsCalls {
  constructor(private readonly discovery: DiscoveryService) {}

  /** The newest records of a component (in one environment), newest first; [] without the Score module. */
  async list(
    query: { component: string; environment?: string; limit: number },
    token: string,
  ): Promise<DeploymentSummary[]> {
    const params = new URLSearchParams({
      component: query.component,
      limit: String(query.limit),
      ...(query.environment ? { environment: query.environment } : {}),
    });
    const response = await this.call(`/deployments?${params}`, token);
    if (response.status === 404) {
      return [];
    }
    return (await this.body(response)) as DeploymentSummary[];
  }

  /** Deploys an image of the component (its newest workload) into an environment; idempotent. */
  async deploy(body: DeployBody, token: string): Promise<DeploymentAccepted> {
    const response = await this.call('/deployments', token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await this.body(response)) as DeploymentAccepted;
  }

  private async call(path: string, token: string, init: RequestInit = {}) {
    const base = await this.discovery.getBaseUrl('provisioning');
    return fetch(`${base}${path}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${token}` },
    });
  }

  /** The body of a success; a refusal as the same kind of error with the API's message. */
  private async body(response: Response): Promise<unknown> {
    if (response.ok) {
      return response.json();
    }
    const error = await ResponseError.fromResponse(response);
    const Forwarded = FORWARDED[response.status];
    throw Forwarded ? new Forwarded(error.body.error.message) : error;
  }
}
