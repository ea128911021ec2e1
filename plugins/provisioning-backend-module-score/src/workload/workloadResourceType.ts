import {
  ENVIRONMENT_NAME_FIELD,
  environmentReferences,
  ResourceType,
} from '@paved/plugin-provisioning-node';
import { checkVersion, readWorkload } from './checks';
import { copyWorkloadParameters } from './copyWorkload';
import { deployWorkload, WorkloadDeps } from './deployWorkload';
import { describeWorkload } from './describeWorkload';
import { destroyWorkload } from './destroyWorkload';
import {
  deployInputSchema,
  rollbackInputSchema,
  WorkloadParameters,
  WorkloadVersion,
  workloadParametersSchema,
} from './parameters';
import { WORKLOAD_TYPE } from './resolveResources';
import { rollbackWorkload } from './rollbackWorkload';

const PRODUCTION = 'production';

/** The version a request's parameters deploy first. */
const versionOf = (parameters: WorkloadParameters): WorkloadVersion => {
  const {
    component: _c,
    environmentName: _e,
    copiedFrom: _f,
    ...version
  } = parameters;
  return version;
};

/**
 * The `workload` resource type: a Score workload running in an environment, one
 * request per (workload, environment). `provision` is its first deployment, the
 * `deploy` action each later one and `rollback` puts an earlier one back; each
 * resolves the workload's resources (requests attached to the environment, made or
 * reused), renders it, applies it and waits for the rollout, and writes a
 * deployment record. Each step lives in its own file of this folder.
 *
 * @public
 */
export function createWorkloadResourceType(
  deps: WorkloadDeps,
): ResourceType<WorkloadParameters> {
  return {
    id: WORKLOAD_TYPE,
    title: 'Workload (Score)',
    description:
      "A component's Score workload (score.yaml) running in an environment: a Deployment, a Service of its ports, ConfigMaps of its files and an Ingress of its routes in the environment's namespace. " +
      'Its resources (a postgres database, an amqp queue, an s3 bucket, ...) are made in the environment for it, or reused when the environment already has them, and wired in: secret outputs as Secret references, never values. ' +
      'Deploy a new version, promote one or roll back with its actions; every deployment is recorded for the delivery (DORA) figures. ' +
      'Deploying to a production environment needs an approval.',
    catalogType: 'workload',
    parameters: workloadParametersSchema,
    validateName: name =>
      // Its objects are named after the Score workload, so the request name need
      // only be a DNS label; the routes derive it with workloadRequestName.
      /^[a-z]/.test(name) ? undefined : 'must start with a letter',
    checkParameters: (parameters, { resourceTypes }) =>
      checkVersion(
        versionOf(parameters),
        'parameters',
        resourceTypes,
        deps.config.defaults,
      ),
    references: environmentReferences,
    policy: {
      requiresApproval: (_request, { references }) => {
        const environment = references[ENVIRONMENT_NAME_FIELD];
        return environment?.outputs.stage === PRODUCTION
          ? {
              reason: `deploys to production environment ${environment.name}`,
            }
          : undefined;
      },
    },
    // Environments hold workloads as they hold databases: deleting an environment
    // deletes its workloads first, and a copy of it deploys them afresh from the
    // source's first deployment, with the copies of the source's resources that the
    // environment copy made (see copyWorkload.ts), never duplicates.
    environmentCopy: {
      parameters: source => copyWorkloadParameters(source),
    },
    provision: async ctx => {
      await deployWorkload(deps, ctx, versionOf(ctx.request.parameters));
    },
    actions: {
      deploy: {
        title: 'Deploy',
        description:
          'Deploys a version (an image and its Score workload) of the workload: resources are reused or made, the rollout is awaited, and a failed one is reported with the pods’ reasons.',
        parameters: deployInputSchema,
        checkInput: (input, { request, resourceTypes }) => {
          const version = input as WorkloadVersion;
          const problem = checkVersion(
            version,
            'input',
            resourceTypes,
            deps.config.defaults,
          );
          if (problem) {
            return problem;
          }
          const read = readWorkload(version, 'input');
          const current = readWorkload(
            versionOf(request.parameters),
            'parameters',
          );
          if (
            'workload' in read &&
            'workload' in current &&
            read.workload.metadata.name !== current.workload.metadata.name
          ) {
            return `input.workload.metadata.name: must stay '${current.workload.metadata.name}': a workload request deploys one workload (deploy '${read.workload.metadata.name}' as a request of its own)`;
          }
          return undefined;
        },
        requiresApproval: (_input, { outputs }) =>
          outputs.stage === PRODUCTION
            ? {
                reason: `deploys to production environment ${String(
                  outputs.environment,
                )}`,
              }
            : undefined,
        run: async ctx => {
          await deployWorkload(deps, ctx, ctx.input as WorkloadVersion);
        },
      },
      rollback: {
        title: 'Roll back',
        description:
          'Deploys an earlier version again: the one before the running one, or the deployment given.',
        parameters: rollbackInputSchema,
        run: async ctx => {
          await rollbackWorkload(deps, ctx);
        },
      },
    },
    status: ctx => describeWorkload(deps, ctx),
    destroy: ctx => destroyWorkload(deps, ctx),
  };
}
