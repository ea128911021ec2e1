import { JsonObject } from '@backstage/types';
import { ScoreResource, ScoreWorkload } from '@paved/plugin-deployments-common';
import {
  ProvisioningApiError,
  ProvisioningCalls,
} from '@paved/plugin-provisioning-backend-module-environments';
import {
  NonRetryableError,
  ReferencedRequest,
  ScoreResourceOutput,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROUTE_TYPE } from '../render';
import { resourceParams } from './checks';
import { copiedResourceName } from './copyWorkload';
import { scoreResourceRequestName, workloadRequestName } from './names';
import { WorkloadParameters } from './parameters';

/** The workload type's own id. */
export const WORKLOAD_TYPE = 'workload';

/** Request states whose resource is there to be used. */
const USABLE = new Set(['ready', 'updating']);

/**
 * How often a resource request is looked at while it comes up: a read of the
 * plugin's own database, cheap enough to do often; most resources are ready within
 * a few hundred milliseconds, and the deployment waits for the slowest.
 */
const POLL_MS = 25;

/** The environment a workload is deployed into, as its step resolved it. */
export interface TargetEnvironment {
  name: string;
  namespace: string;
  stage: string;
}

/** A workload's resources once resolved: outputs for placeholders, requests made or reused. */
export interface ResolvedResources {
  outputs: Record<string, Record<string, ScoreResourceOutput>>;
  /** The request (id) serving each resource that has one, by resource name. */
  requests: Record<string, string>;
  /** The ids of the requests this workload made for itself (not shared by `id`): destroy deletes them. */
  owned: string[];
}

export interface ResolveDeps {
  provisioning: ProvisioningCalls;
  baseDomain: string;
  /** How long to wait for a resource request to become ready; 5 minutes if absent. */
  resourceTimeoutMs?: number;
}

const value = (v: string | number | boolean): ScoreResourceOutput => ({
  value: v,
});

/** The outputs of a built-in Score resource; undefined for a type that is not one. */
async function builtInOutputs(
  deps: ResolveDeps,
  ctx: StepContext<JsonObject>,
  options: {
    name: string;
    resource: ScoreResource;
    /** Its params, `${metadata.*}` resolved. */
    params: JsonObject | undefined;
    workload: string;
    environment: TargetEnvironment;
  },
): Promise<Record<string, ScoreResourceOutput> | undefined> {
  const { name, resource, params, workload, environment } = options;
  switch (resource.type) {
    case 'environment':
      return {
        name: value(environment.name),
        namespace: value(environment.namespace),
        stage: value(environment.stage),
      };
    case 'service': {
      // Another workload of the environment, by `params.workload`, else the resource's name.
      const target =
        typeof params?.workload === 'string' ? params.workload : name;
      const other = await ctx.requests.findActive(
        WORKLOAD_TYPE,
        workloadRequestName(target, environment.name),
      );
      const port = other?.outputs.servicePort;
      return {
        name: value(target),
        host: value(`${target}.${environment.namespace}.svc.cluster.local`),
        ...(typeof port === 'number' ? { port: value(port) } : {}),
      };
    }
    case 'dns':
      return {
        host: value(`${workload}-${environment.name}.${deps.baseDomain}`),
      };
    case ROUTE_TYPE:
      // The renderer turns it into an Ingress rule; it has no outputs.
      return {};
    default:
      return undefined;
  }
}

/** The request once it is usable; a NonRetryableError when it failed. */
async function waitUntilUsable(
  deps: ResolveDeps,
  ctx: StepContext<JsonObject>,
  type: string,
  requestName: string,
  resourceName: string,
): Promise<ReferencedRequest> {
  const timeoutMs = deps.resourceTimeoutMs ?? 300_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const request = await ctx.requests.findActive(type, requestName);
    if (request && USABLE.has(request.state)) {
      return request;
    }
    if (request?.state === 'failed') {
      throw new NonRetryableError(
        `resources.${resourceName}: ${type} request '${requestName}' failed; see its request page`,
      );
    }
    if (Date.now() > deadline) {
      // Retried: a request waiting for an approval may be approved meanwhile.
      throw new Error(
        `resources.${resourceName}: ${type} request '${requestName}' is still ${
          request?.state ?? 'missing'
        } after ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    await sleep(POLL_MS, undefined, { signal: ctx.signal });
  }
}

/**
 * Resolves every Score resource of the workload in the environment: the built-in
 * ones here; the others through the registered type that provides them, reusing the
 * request attached to the environment for this workload and resource name, else
 * making it through the provisioning API (as the plugin, owned by the workload's
 * owner: quotas and approvals apply), and waiting until it is ready.
 */
export async function resolveResources(
  deps: ResolveDeps,
  ctx: StepContext<JsonObject>,
  workload: ScoreWorkload,
  environment: TargetEnvironment,
): Promise<ResolvedResources> {
  const resolved: ResolvedResources = { outputs: {}, requests: {}, owned: [] };
  const name = workload.metadata.name;
  const pending: Array<Promise<void>> = [];
  for (const [resourceName, resource] of Object.entries(
    workload.resources ?? {},
  )) {
    const resolvedParams = resourceParams(workload, resourceName);
    if ('problem' in resolvedParams) {
      throw new NonRetryableError(resolvedParams.problem.message);
    }
    const { params } = resolvedParams;
    const builtIn = await builtInOutputs(deps, ctx, {
      name: resourceName,
      resource,
      params,
      workload: name,
      environment,
    });
    if (builtIn) {
      resolved.outputs[resourceName] = builtIn;
      continue;
    }
    const type = ctx.resourceTypes.forScoreType(resource.type);
    if (!type?.score) {
      throw new NonRetryableError(
        `resources.${resourceName}.type: no resource type provides '${resource.type}' any more`,
      );
    }
    const score = type.score;
    const ownName = scoreResourceRequestName({
      workload: name,
      environment: environment.name,
      resource: resourceName,
      type: resource.type,
      class: resource.class,
      id: resource.id,
    });
    // Made and awaited side by side: two databases come up in the time of one.
    pending.push(
      (async () => {
        const belongs = (request: ReferencedRequest) =>
          request.parameters.environmentName === environment.name &&
          request.owner === ctx.request.owner;
        // A workload copied with its environment uses the copy of the source's
        // resource, whose name differs from its own when names were cut with a hash.
        const copyName = copiedResourceName(
          ctx.request.parameters as WorkloadParameters,
          resourceName,
        );
        const copied =
          copyName && copyName !== ownName
            ? await ctx.requests.findActive(type.id, copyName)
            : undefined;
        const requestName = copied && belongs(copied) ? copyName! : ownName;
        const existing =
          requestName === ownName
            ? await ctx.requests.findActive(type.id, requestName)
            : copied;
        if (!existing) {
          let parameters: JsonObject;
          try {
            parameters = score.parameters({
              name: resourceName,
              type: resource.type,
              class: resource.class,
              params,
              workload: name,
            });
          } catch (error) {
            throw new NonRetryableError((error as Error).message);
          }
          await ctx.checkpoint({
            key: `resource:${resourceName}`,
            fn: async () => {
              try {
                const created = await deps.provisioning.createRequest({
                  type: type.id,
                  name: requestName,
                  owner: ctx.request.owner,
                  parameters: {
                    ...parameters,
                    environmentName: environment.name,
                  },
                });
                ctx.logger.info(
                  `Requested ${type.id} '${requestName}' for resources.${resourceName}`,
                );
                return created.id;
              } catch (error) {
                // Made meanwhile with other parameters (a copy of the environment
                // copying the source's resource by this name): use that one.
                const raced =
                  error instanceof ProvisioningApiError && error.status === 409
                    ? await ctx.requests.findActive(type.id, requestName)
                    : undefined;
                if (raced && belongs(raced)) {
                  ctx.logger.info(
                    `Using ${type.id} '${requestName}' for resources.${resourceName}, made meanwhile`,
                  );
                  return raced.id;
                }
                if (
                  error instanceof ProvisioningApiError &&
                  [400, 403, 409].includes(error.status)
                ) {
                  // A refusal (quota, permission, the name taken by someone else's
                  // request): repeating the call changes nothing.
                  throw new NonRetryableError(
                    `resources.${resourceName}: requesting ${type.id} '${requestName}' was refused: ${error.message}`,
                  );
                }
                throw error;
              }
            },
          });
        } else if (!belongs(existing)) {
          // Someone else's request took the name: never wire it into this workload.
          throw new NonRetryableError(
            `resources.${resourceName}: ${type.id} request '${requestName}' exists but is not ${ctx.request.owner}'s in environment '${environment.name}'`,
          );
        }
        const request = await waitUntilUsable(
          deps,
          ctx,
          type.id,
          requestName,
          resourceName,
        );
        resolved.outputs[resourceName] = score.outputs(request);
        resolved.requests[resourceName] = request.id;
        if (!resource.id) {
          resolved.owned.push(request.id);
        }
      })(),
    );
  }
  const results = await Promise.allSettled(pending);
  const failure = results.find(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failure) {
    throw failure.reason;
  }
  resolved.owned.sort();
  return resolved;
}
