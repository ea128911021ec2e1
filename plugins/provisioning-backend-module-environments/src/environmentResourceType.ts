import { KubernetesObject } from '@kubernetes/client-node';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import {
  NonRetryableError,
  ResourceType,
  StatusContext,
} from '@paved/plugin-provisioning-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { cloneNamespace } from './clone';
import { EnvironmentsModuleConfig, EnvironmentSizeName, SIZES } from './config';
import {
  copyAttachedDatabases,
  databaseReadiness,
  databasesSection,
  deleteAttachedDatabases,
  ProvisioningCalls,
} from './databases';
import { correctDrift } from './drift';
import { KubernetesObjects } from './kubernetes';
import {
  EnvironmentSpec,
  guardRailManifests,
  namespaceManifest,
} from './manifests';
import { deployImage, environmentStatus, readiness } from './workloads';

/** Objects with this label stay off the environment's Kubernetes tab. */
export const HIDDEN_LABEL = 'paved.dev/hidden';

/** The id of the resource type. @public */
export const RESOURCE_TYPE_ID = 'environment';
/** The longest time-to-live, in hours, and the most an owner may extend by. */
export const MAX_TTL_HOURS = 168;
/** How long `destroy` waits for the namespace to finalize before it retries. */
export const DELETION_WAIT_MS = 120_000;

/** `component:[namespace/]name`, as the catalog spells entity refs. */
const COMPONENT_REF =
  '^component:([a-z0-9]+([-_.][a-z0-9]+)*/)?[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$';
const ENVIRONMENT_NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** A container image reference without whitespace, e.g. `ghcr.io/acme/orders:pr-12`. */
const IMAGE = '^[^\\s]+$';

/** The parameters of an `environment` request. @public */
export interface EnvironmentParameters {
  [key: string]:
    | string
    | number
    | boolean
    | { repository: string; number: number }
    | undefined;
  component?: string;
  size: EnvironmentSizeName;
  expires: boolean;
  ttlHours: number;
  source?: string;
  seedDatabases?: boolean;
  image?: string;
  pullRequest?: { repository: string; number: number };
}

/**
 * Why a request name cannot name an environment's namespace; undefined when it can.
 * The engine already checks that it is a DNS label of at most 63 characters.
 *
 * @public
 */
export function validateEnvironmentName(name: string): string | undefined {
  if (name === 'default' || name.startsWith('kube-')) {
    return `'${name}' is reserved by Kubernetes (default and names starting with kube- are)`;
  }
  if (name.startsWith('team-')) {
    return `'${name}' is reserved for team namespaces (${teamNamespace(
      'group:default/checkout-team',
    )} is checkout-team's); names starting with team- are`;
  }
  return undefined;
}

const imageSchema = (description: string) => ({
  type: 'string',
  title: 'Image',
  description,
  maxLength: 512,
  pattern: IMAGE,
});

/**
 * The `environment` resource type: a Kubernetes namespace named like the request,
 * with a quota and default limits of its size, a default-deny network policy, and
 * the owning team's `edit` role; optionally a copy of another environment's
 * workloads (never its Secrets).
 *
 * @public
 */
export function createEnvironmentResourceType(options: {
  config: EnvironmentsModuleConfig;
  objects: KubernetesObjects;
  /**
   * The provisioning API, as the plugin itself: copies of environments get their
   * attached databases through it, and deleting one deletes them. Without it an
   * environment with attached databases can be neither copied nor deleted.
   */
  provisioning?: ProvisioningCalls;
  /** How long `destroy` waits for attached databases to go; 2 minutes if absent. */
  databaseDeletionWaitMs?: number;
}): ResourceType<EnvironmentParameters> {
  const { config, objects, provisioning } = options;

  const specOf = (
    ctx: StatusContext<EnvironmentParameters>,
  ): EnvironmentSpec => {
    const { parameters } = ctx.request;
    return {
      name: ctx.request.name,
      requestId: ctx.request.id,
      owner: ctx.request.owner,
      component: parameters.component,
      size: config.sizes[parameters.size] ?? config.sizes.small,
      ingressNamespace: config.ingressNamespace,
    };
  };
  const namespaceOf = (ctx: StatusContext<EnvironmentParameters>) =>
    typeof ctx.outputs.namespace === 'string'
      ? ctx.outputs.namespace
      : ctx.request.name;
  const readNamespace = (name: string) =>
    objects.read<KubernetesObject>({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  const isOurs = (namespace: KubernetesObject | undefined, requestId: string) =>
    namespace?.metadata?.labels?.['paved.dev/request-id'] === requestId;

  return {
    id: RESOURCE_TYPE_ID,
    title: 'Environment (Kubernetes namespace)',
    description:
      "A Kubernetes namespace of your team's, for a feature, a test or a pull request. " +
      'The request name is the namespace name: a DNS label of at most 63 characters, not default and not starting with kube- or team-. ' +
      "It gets a quota and default container limits of its size, a network policy that lets in only its own pods and the ingress controller, and your team's edit role. " +
      'It can start as a copy of another environment (Deployments, StatefulSets, Services, ConfigMaps and Ingresses; never Secrets: the databases attached to the source are made afresh for the copy), and expires after its time-to-live without activity. ' +
      'Deleting it deletes the databases attached to it first.',
    catalogType: 'environment',
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['size', 'expires', 'ttlHours'],
      properties: {
        component: {
          type: 'string',
          title: 'Component',
          description:
            "The component the environment runs, as an entity ref such as component:default/checkout-service. Optional; the component's Kubernetes tab then shows the environment's workloads.",
          maxLength: 255,
          pattern: COMPONENT_REF,
        },
        size: {
          type: 'string',
          title: 'Size',
          description: `How much CPU, memory and how many pods the environment may use: small (${config.sizes.small.requestsCpu} CPU, ${config.sizes.small.requestsMemory}), medium (${config.sizes.medium.requestsCpu} CPU, ${config.sizes.medium.requestsMemory}) or large (${config.sizes.large.requestsCpu} CPU, ${config.sizes.large.requestsMemory}) of requests.`,
          enum: [...SIZES],
          default: 'small',
        },
        expires: {
          type: 'boolean',
          title: 'Expires',
          description:
            'Whether the environment is deleted after its time-to-live without activity. Turn off only for long-lived environments.',
          default: true,
        },
        ttlHours: {
          type: 'integer',
          title: 'Time to live (hours)',
          description: `Hours without activity (a deploy, a visit of its page) after which the environment is deleted, 1 to ${MAX_TTL_HOURS}; owners are told before.`,
          minimum: 1,
          maximum: MAX_TTL_HOURS,
          default: 72,
        },
        source: {
          type: 'string',
          title: 'Copy of',
          description:
            "The name of an existing environment to copy: its Deployments, StatefulSets, Services, ConfigMaps and Ingresses (never its Secrets). It must be one of your team's environments. Optional.",
          maxLength: 63,
          pattern: ENVIRONMENT_NAME,
        },
        seedDatabases: {
          type: 'boolean',
          title: 'Copy database contents',
          description:
            'Databases attached to the source (PostgreSQL requests with it as their environment) are made afresh for the copy, empty; with this on, each is restored from a fresh dump of its source. Only with Copy of.',
          default: false,
        },
        image: imageSchema(
          'A container image that replaces the image of every container of the Deployments and StatefulSets, e.g. the build of a pull request. Optional.',
        ),
        pullRequest: {
          type: 'object',
          title: 'Pull request',
          description:
            'The pull request the environment previews; set by the pull-request endpoint.',
          additionalProperties: false,
          required: ['repository', 'number'],
          properties: {
            repository: {
              type: 'string',
              title: 'Repository',
              description: 'The repository, as owner/name.',
              maxLength: 255,
            },
            number: {
              type: 'integer',
              title: 'Number',
              description: 'The pull request number.',
              minimum: 1,
            },
          },
        },
      },
    },
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

    async provision(ctx) {
      const spec = specOf(ctx);
      const { name } = spec;
      await ctx.checkpoint({
        key: 'namespace',
        fn: async () => {
          const existing = await readNamespace(name);
          if (existing && !isOurs(existing, ctx.request.id)) {
            throw new NonRetryableError(
              `namespace '${name}' already exists and is not this environment's; choose another name`,
            );
          }
          await objects.apply(namespaceManifest(spec));
        },
      });
      await ctx.checkpoint({
        key: 'guard-rails',
        fn: async () => {
          await Promise.all(
            guardRailManifests(spec).map(object => objects.apply(object)),
          );
        },
      });
      const { source, image } = ctx.request.parameters;
      if (source) {
        const cloned = await ctx.checkpoint({
          key: 'clone',
          fn: async () => {
            const referenced = await ctx.requests.findActive(
              RESOURCE_TYPE_ID,
              source,
            );
            if (!referenced) {
              throw new NonRetryableError(
                `source environment '${source}' does not exist (any more)`,
              );
            }
            const from =
              typeof referenced.outputs.namespace === 'string'
                ? referenced.outputs.namespace
                : referenced.name;
            const count = await cloneNamespace({
              objects,
              from,
              to: name,
              sourceEnvironment: source,
              image,
              signal: ctx.signal,
            });
            ctx.logger.info(
              `Copied ${count} object(s) from namespace '${from}' into '${name}'`,
            );
            return count;
          },
        });
        await ctx.setOutput('clonedFrom', source);
        await ctx.setOutput('clonedObjects', cloned);
        // Before the databases: their Secrets go into this namespace.
        await ctx.setOutput('namespace', name);
        const attached = await ctx.checkpoint({
          key: 'clone-databases',
          fn: () =>
            copyAttachedDatabases({
              calls: provisioning,
              requests: ctx.requests,
              source,
              environment: ctx.request,
              seed: ctx.request.parameters.seedDatabases === true,
              signal: ctx.signal,
              log: message => ctx.logger.info(message),
            }),
        });
        await ctx.setOutput('attachedDatabases', attached);
      }
      await ctx.setOutput('namespace', name);
      // The environment's catalog Resource shows everything in its namespace on
      // its Kubernetes tab: the selector matches every object not hidden on purpose.
      await ctx.setOutput('catalogAnnotations', {
        'backstage.io/kubernetes-namespace': name,
        'backstage.io/kubernetes-label-selector': `!${HIDDEN_LABEL}`,
      });
      await ctx.setOutput('size', ctx.request.parameters.size);
      if (image) {
        await ctx.setOutput('image', image);
      }
    },

    async observe(ctx) {
      const namespace = namespaceOf(ctx);
      if (!(await readNamespace(namespace))) {
        return {
          ready: false,
          message: `namespace '${namespace}' does not exist (yet)`,
        };
      }
      const databases = await databaseReadiness(ctx.requests, ctx.request.name);
      if (!databases.ready) {
        return databases;
      }
      const workloads = await readiness(objects, namespace, ctx.signal);
      return databases.message && workloads.ready
        ? {
            ready: true,
            message: [workloads.message, databases.message]
              .filter(Boolean)
              .join('; '),
          }
        : workloads;
    },

    actions: {
      deploy: {
        title: 'Deploy an image',
        description:
          'Sets the image of every container of every Deployment and StatefulSet in the environment, e.g. a new build of a pull request.',
        parameters: {
          type: 'object',
          required: ['image'],
          additionalProperties: false,
          properties: {
            image: imageSchema(
              'The container image, e.g. ghcr.io/acme/orders:pr-12-3f2a1c.',
            ),
          },
        },
        async run(ctx) {
          const namespace = namespaceOf(ctx);
          const image = String(ctx.input.image);
          const changed = await deployImage(
            objects,
            namespace,
            image,
            ctx.signal,
          );
          await ctx.setOutput('image', image);
          ctx.logger.info(
            `Deployed ${image} to ${changed} workload(s) in namespace '${namespace}'`,
          );
        },
      },
    },

    async status(ctx) {
      const namespace = namespaceOf(ctx);
      if (!(await readNamespace(namespace))) {
        return {
          sections: [
            { title: 'Namespace', message: `namespace '${namespace}' is gone` },
          ],
        };
      }
      const databases = await databasesSection(ctx.requests, ctx.request.name);
      return {
        sections: [
          ...(await environmentStatus(objects, namespace, ctx.signal)),
          ...(databases ? [databases] : []),
        ],
      };
    },

    async reconcile(ctx) {
      const namespace = namespaceOf(ctx);
      // A deleted namespace took the team's workloads with it; recreating an empty
      // one would hide that. It is reported, and the owners decide (delete or
      // re-request).
      const existing = await readNamespace(namespace);
      if (!existing) {
        return [`namespace ${namespace} is gone`];
      }
      if (existing.metadata?.deletionTimestamp) {
        return [`namespace ${namespace} is being deleted`];
      }
      return correctDrift(objects, guardRailManifests(specOf(ctx)));
    },

    async destroy(ctx) {
      const namespace = namespaceOf(ctx);
      // The databases first: their Secrets live in the namespace, and a database
      // whose environment is gone would be nobody's.
      const deleted = await deleteAttachedDatabases({
        calls: provisioning,
        requests: ctx.requests,
        environment: ctx.request.name,
        signal: ctx.signal,
        log: message => ctx.logger.info(message),
        timeoutMs: options.databaseDeletionWaitMs,
      });
      if (deleted > 0) {
        ctx.logger.info(`Deleted ${deleted} attached database(s)`);
      }
      const existing = await readNamespace(namespace);
      if (!existing) {
        ctx.logger.info(`Namespace '${namespace}' was already gone`);
        return;
      }
      if (!isOurs(existing, ctx.request.id)) {
        // Provisioning refused it: the namespace belongs to someone else.
        ctx.logger.info(
          `Namespace '${namespace}' is not this environment's; leaving it`,
        );
        return;
      }
      if (!existing.metadata?.deletionTimestamp) {
        await objects.delete({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: namespace },
        });
      }
      const deadline = Date.now() + DELETION_WAIT_MS;
      while (await readNamespace(namespace)) {
        if (Date.now() > deadline) {
          // Retried by the worker; a namespace that never finalizes usually has a
          // finalizer of a controller that is not running.
          throw new Error(
            `namespace '${namespace}' is still terminating after ${
              DELETION_WAIT_MS / 1000
            } s`,
          );
        }
        await sleep(500, undefined, { signal: ctx.signal });
      }
      ctx.logger.info(`Deleted namespace '${namespace}'`);
    },
  };
}
