import { JsonObject } from '@backstage/types';
import {
  DeploymentKind,
  DeploymentRecord,
  EnvironmentStage,
  ENVIRONMENT_STAGES,
  ScoreWorkload,
} from '@paved/plugin-deployments-common';
import {
  ENVIRONMENT_TYPE,
  NonRetryableError,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { ScoreModuleConfig } from '../config';
import { DeploymentStore } from '../database/DeploymentStore';
import { RenderError, renderWorkload, WORKLOAD_LABEL } from '../render';
import { RolloutFailedError } from '../rollout';
import { readWorkload } from './checks';
import { WorkloadParameters, WorkloadVersion } from './parameters';
import {
  ResolveDeps,
  ResolvedResources,
  resolveResources,
  TargetEnvironment,
} from './resolveResources';
import { WorkloadCluster } from './WorkloadCluster';

/** What the workload type's steps work with. */
export interface WorkloadDeps extends ResolveDeps {
  store: DeploymentStore;
  cluster: WorkloadCluster;
  config: Pick<ScoreModuleConfig, 'baseDomain' | 'defaults'>;
}

/** A version to roll out, with what made it. */
export interface Rollout extends WorkloadVersion {
  /** For a rollback: the deployment whose version it puts back. */
  rollbackOf?: string;
}

/** The environment the request names, with its namespace and stage. */
async function targetEnvironment(
  ctx: StepContext<WorkloadParameters>,
): Promise<TargetEnvironment> {
  const name = ctx.request.parameters.environmentName;
  const environment = await ctx.requests.findActive(ENVIRONMENT_TYPE, name);
  if (!environment) {
    throw new NonRetryableError(
      `parameters.environmentName: there is no environment '${name}' (any more)`,
    );
  }
  const { namespace, stage } = environment.outputs;
  if (typeof namespace !== 'string' || !namespace) {
    // Retried: the environment is still being made.
    throw new Error(
      `parameters.environmentName: environment '${name}' has no namespace yet`,
    );
  }
  return {
    name,
    namespace,
    stage: ENVIRONMENT_STAGES.includes(stage as EnvironmentStage)
      ? (stage as EnvironmentStage)
      : 'development',
  };
}

/** Stores the outputs in one write where the context can. */
async function recordOutputs(
  ctx: StepContext<WorkloadParameters>,
  outputs: JsonObject,
): Promise<void> {
  if (ctx.setOutputs) {
    await ctx.setOutputs(outputs);
    return;
  }
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) {
      await ctx.setOutput(name, value);
    }
  }
}

/**
 * The host name of the workload's `dns` resource (the first by name when it has
 * several), whatever the resource is called, for the request's `host` output.
 */
function dnsHost(
  workload: ScoreWorkload,
  outputs: ResolvedResources['outputs'],
): string | undefined {
  const [dns] = Object.entries(workload.resources ?? {})
    .filter(([, resource]) => resource.type === 'dns')
    .map(([name]) => name)
    .sort();
  const host = dns === undefined ? undefined : outputs[dns]?.host;
  return host && 'value' in host ? String(host.value) : undefined;
}

/**
 * Why a deployment failed, for its record and the request's timeline. Errors here
 * name fields, placeholders and Kubernetes' reasons, never a resolved value: secret
 * outputs are only ever Secret references.
 */
const reasonOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * One deployment of the workload: records it, resolves its resources (made in the
 * environment or reused), renders it, applies it with server-side apply, waits for
 * the rollout, and records the outcome and the request's outputs. What `provision`,
 * `deploy` and `rollback` all run. Idempotent: a resumed step finds its record (by
 * operation) and the requests it made (by name), and applying again converges.
 */
export async function deployWorkload(
  deps: WorkloadDeps,
  ctx: StepContext<WorkloadParameters>,
  version: Rollout,
): Promise<DeploymentRecord> {
  const environment = await targetEnvironment(ctx);
  const read = readWorkload(version, 'input');
  if ('problem' in read) {
    throw new NonRetryableError(read.problem);
  }
  const { workload } = read;
  const name = workload.metadata.name;
  const kind: DeploymentKind = version.kind ?? 'deploy';
  const record = await deps.store.start({
    component: ctx.request.parameters.component,
    owner: ctx.request.owner,
    environment: environment.name,
    stage: environment.stage as EnvironmentStage,
    workload: name,
    requestId: ctx.request.id,
    operationId: ctx.operation.id,
    kind,
    image: version.image,
    ...(version.gitRef ? { gitRef: version.gitRef } : {}),
    ...(version.commitTime ? { commitTime: version.commitTime } : {}),
    ...(version.rollbackOf ? { rollbackOf: version.rollbackOf } : {}),
    ...(version.promotedFrom ? { promotedFrom: version.promotedFrom } : {}),
    createdBy: ctx.operation.createdBy ?? ctx.request.createdBy,
    spec: version.workload,
  });
  try {
    const resources = await resolveResources(deps, ctx, workload, environment);
    const rendered = renderWorkload({
      workload,
      namespace: environment.namespace,
      environment: environment.name,
      requestId: ctx.request.id,
      component: ctx.request.parameters.component,
      ...(version.image !== '.' ? { image: version.image } : {}),
      resources: resources.outputs,
      defaults: deps.config.defaults,
    });
    // Recorded before the objects exist, so that `destroy` finds what to delete
    // even when this deployment never finishes.
    await recordOutputs(ctx, {
      namespace: environment.namespace,
      environment: environment.name,
      stage: environment.stage,
      workload: name,
      ownedResources: [
        ...new Set([
          ...((ctx.outputs.ownedResources as string[] | undefined) ?? []),
          ...resources.owned,
        ]),
      ].sort(),
    });
    await deps.cluster.apply({
      namespace: environment.namespace,
      workload: name,
      rendered,
      signal: ctx.signal,
    });
    ctx.logger.info(
      `Applied ${rendered.length} object(s) of workload '${name}' to namespace '${environment.namespace}'; waiting for the rollout`,
    );
    await deps.cluster.waitForRollout({
      namespace: environment.namespace,
      workload: name,
      signal: ctx.signal,
    });
    const port = Object.values(workload.service?.ports ?? {})[0]?.port;
    const host = dnsHost(workload, resources.outputs);
    await recordOutputs(ctx, {
      image: version.image,
      deploymentId: record.id,
      resources: resources.requests,
      ...(port !== undefined ? { servicePort: port } : {}),
      ...(host !== undefined ? { host } : {}),
      // The workload's catalog Resource shows its objects on its Kubernetes tab.
      catalogAnnotations: {
        'backstage.io/kubernetes-namespace': environment.namespace,
        'backstage.io/kubernetes-label-selector': `${WORKLOAD_LABEL}=${name}`,
      },
    });
    await deps.store.finish(record.id, { status: 'succeeded' });
    return { ...record, status: 'succeeded' };
  } catch (error) {
    // A worker that stops hands the operation to another, which resumes it: not a failure.
    if (ctx.signal.aborted) {
      throw error;
    }
    await deps.store.finish(record.id, {
      status: 'failed',
      reason: reasonOf(error),
    });
    if (error instanceof RenderError || error instanceof RolloutFailedError) {
      throw new NonRetryableError(error.message);
    }
    throw error;
  }
}
