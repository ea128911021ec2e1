import { ResourceType } from '@paved/plugin-provisioning-node';
import { EnvironmentsModuleConfig } from './config';
import { createDeployAction } from './environment/deployAction';
import { describeEnvironment } from './environment/describeEnvironment';
import { destroyEnvironment } from './environment/destroyEnvironment';
import { EnvironmentNamespaces } from './environment/EnvironmentNamespaces';
import { observeEnvironment } from './environment/observeEnvironment';
import {
  EnvironmentParameters,
  environmentParametersSchema,
  MAX_TTL_HOURS,
} from './environment/parameters';
import { provisionEnvironment } from './environment/provisionEnvironment';
import { reconcileEnvironment } from './environment/reconcileEnvironment';
import { RESOURCE_TYPE_ID } from './environment/resourceTypeId';
import { validateEnvironmentName } from './environment/validateEnvironmentName';
import { KubernetesObjects } from './kubernetes';
import { ProvisioningCalls } from './provisioningApi/ProvisioningCalls';

export { RESOURCE_TYPE_ID, validateEnvironmentName };
export type { EnvironmentParameters };

/**
 * The `environment` resource type: a Kubernetes namespace named like the request,
 * with a quota and default limits of its size, a default-deny network policy, and
 * the owning team's `edit` role; optionally a copy of another environment's
 * workloads (never its Secrets). Each step lives in `./environment/`.
 *
 * @public
 */
export function createEnvironmentResourceType(options: {
  config: EnvironmentsModuleConfig;
  objects: KubernetesObjects;
  /**
   * The provisioning API, as the plugin itself: copies of environments get their
   * attached resources (databases, queues, buckets: any type that declares
   * `environmentCopy`) through it, and deleting one deletes them. Without it an
   * environment with attached resources can be neither copied nor deleted.
   */
  provisioning?: ProvisioningCalls;
  /** How long `destroy` waits for attached resources to go; 2 minutes if absent. */
  attachedDeletionWaitMs?: number;
}): ResourceType<EnvironmentParameters> {
  const { config, objects } = options;
  const deps = {
    ...options,
    namespaces: new EnvironmentNamespaces(objects, config),
  };

  return {
    id: RESOURCE_TYPE_ID,
    title: 'Environment (Kubernetes namespace)',
    description:
      "A Kubernetes namespace of your team's, for a feature, a test or a pull request. " +
      'The request name is the namespace name: a DNS label of at most 63 characters, not default and not starting with kube- or team-. ' +
      "It gets a quota and default container limits of its size, a network policy that lets in only its own pods and the ingress controller, and your team's edit role. " +
      'Databases, queues and buckets whose request names it as their environment are attached to it: their Secrets go into its namespace, it is ready once they are, and its page lists them. ' +
      'It can start as a copy of another environment (Deployments, StatefulSets, Services, ConfigMaps and Ingresses; never Secrets: the resources attached to the source are made afresh for the copy, empty or, with Copy contents, seeded from the source where their type can), and expires after its time-to-live without activity. ' +
      'Deleting it deletes the resources attached to it first.',
    catalogType: 'environment',
    parameters: environmentParametersSchema(config),
    validateName: validateEnvironmentName,
    references: request =>
      request.parameters.source
        ? [
            {
              field: 'parameters.source',
              type: RESOURCE_TYPE_ID,
              name: request.parameters.source,
              // A copy carries the source's configuration (ConfigMaps, images,
              // hosts): only the source's owners and the platform team may make one.
              permission: 'update',
            },
          ]
        : [],
    policy: {
      // Copying needs the right to change the source, which the engine checks
      // through `references`; nothing in an environment needs a second pair of eyes.
      requiresApproval: () => undefined,
    },
    lifetime: {
      ttlHours: parameters =>
        parameters.expires === false ? undefined : parameters.ttlHours,
      maxHours: MAX_TTL_HOURS,
    },
    provision: ctx => provisionEnvironment(deps, ctx),
    observe: ctx => observeEnvironment(deps, ctx),
    actions: { deploy: createDeployAction(deps) },
    status: ctx => describeEnvironment(deps, ctx),
    reconcile: ctx => reconcileEnvironment(deps, ctx),
    destroy: ctx => destroyEnvironment(deps, ctx),
  };
}
