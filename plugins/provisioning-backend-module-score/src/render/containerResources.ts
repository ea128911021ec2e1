import { ScoreContainerResources } from '@paved/plugin-deployments-common';
import { RenderError } from './RenderError';
import { WorkloadDefaults } from './defaults';
import { parseQuantity } from './quantities';

type Amounts = { cpu: string; memory: string };

function checked(
  path: string,
  quantity: string | undefined,
): number | undefined {
  if (quantity === undefined) {
    return undefined;
  }
  const value = parseQuantity(String(quantity));
  if (value === undefined) {
    throw new RenderError(
      path,
      `'${quantity}' is not a Kubernetes quantity such as 250m, 0.5, 128Mi or 1Gi`,
    );
  }
  return value;
}

/**
 * The container's requests and limits: what the workload says, else the defaults,
 * adjusted so that a default never contradicts what is given (a request of 1Gi
 * raises the default limit to 1Gi; a limit of 32Mi lowers the default request).
 */
export function renderResources(
  path: string,
  resources: ScoreContainerResources | undefined,
  defaults: WorkloadDefaults,
): { requests: Amounts; limits: Amounts } {
  const out = {
    requests: { ...defaults.requests },
    limits: { ...defaults.limits },
  };
  for (const kind of ['cpu', 'memory'] as const) {
    const request = resources?.requests?.[kind];
    const limit = resources?.limits?.[kind];
    const requested = checked(`${path}.requests.${kind}`, request);
    const limited = checked(`${path}.limits.${kind}`, limit);
    if (
      requested !== undefined &&
      limited !== undefined &&
      requested > limited
    ) {
      throw new RenderError(
        `${path}.requests.${kind}`,
        `the request ${request} is more than the limit ${limit}`,
      );
    }
    if (request !== undefined) {
      out.requests[kind] = String(request);
    } else if (
      limited !== undefined &&
      limited < parseQuantity(defaults.requests[kind])!
    ) {
      out.requests[kind] = String(limit);
    }
    if (limit !== undefined) {
      out.limits[kind] = String(limit);
    } else if (
      requested !== undefined &&
      requested > parseQuantity(defaults.limits[kind])!
    ) {
      out.limits[kind] = String(request);
    }
  }
  return out;
}
