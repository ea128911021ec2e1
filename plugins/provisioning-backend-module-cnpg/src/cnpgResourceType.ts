import {
  NonRetryableError,
  ResourceType,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import { MANAGED_BY_LABEL, MissingKindError } from '@paved/kubernetes-access';
import { CnpgModuleConfig, INSTANCES } from './config';
import { CnpgCluster, CnpgClusters } from './kubernetes';

/** The id of the resource type. */
export const RESOURCE_TYPE_ID = 'postgres-dedicated';
/** The longest request name: the Cluster's name, which prefixes its pods and Services. */
export const MAX_NAME_LENGTH = 50;
/** What CloudNativePG's `status.phase` says when every instance is up. */
const HEALTHY_PHASE = 'Cluster in healthy state';

const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const RESERVED_DATABASES = new Set(['postgres', 'template0', 'template1']);

/** `component:[namespace/]name`, as the catalog spells entity refs. */
const COMPONENT_REF =
  '^component:([a-z0-9]+([-_.][a-z0-9]+)*/)?[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$';

const ENVIRONMENTS = ['development', 'staging', 'production'];

/** The parameters of a `postgres-dedicated` request. @public */
export interface CnpgParameters {
  [key: string]: string | number | undefined;
  instances: number;
  storageGi: number;
  component?: string;
  environment: string;
}

/** Why a request name cannot name a dedicated cluster; undefined when it can. */
function validateClusterName(name: string): string | undefined {
  if (!NAME.test(name)) {
    return 'must start with a letter and be lowercase letters, digits and dashes (dashes become underscores in the database name)';
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `must be at most ${MAX_NAME_LENGTH} characters, so that the names CloudNativePG derives from it (pods, Services, Secrets) stay valid`;
  }
  if (RESERVED_DATABASES.has(databaseName(name)) || name.startsWith('pg-')) {
    return `'${name}' is reserved by PostgreSQL (postgres, template0, template1 and names starting with pg- are)`;
  }
  return undefined;
}

/** The application database of a cluster: its name with dashes as underscores. */
function databaseName(name: string): string {
  return name.replace(/-/g, '_');
}

const instancesSchema = (defaultValue?: number) => ({
  type: 'integer',
  title: 'Instances',
  description: `PostgreSQL instances: one primary and the rest streaming replicas that take over when it fails (${INSTANCES.min} to ${INSTANCES.max}).`,
  minimum: INSTANCES.min,
  maximum: INSTANCES.max,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});

type Ctx = StepContext<CnpgParameters>;

/**
 * The `postgres-dedicated` resource type: a PostgreSQL cluster of its own, run by the
 * CloudNativePG operator as a `Cluster` in the owning team's namespace. Its app
 * credentials are the Secret `<name>-app` that CloudNativePG generates there; Paved
 * never reads it.
 *
 * @public
 */
export function createCnpgResourceType(options: {
  config: CnpgModuleConfig;
  clusters: CnpgClusters;
}): ResourceType<CnpgParameters> {
  const { config, clusters } = options;

  const where = (ctx: { request: { name: string; owner: string } }) => ({
    name: ctx.request.name,
    namespace: teamNamespace(ctx.request.owner),
  });

  /** The Cluster Paved owns, with `instances` as the spec says. */
  const desired = (ctx: Ctx, instances: number): CnpgCluster => {
    const { name, namespace } = where(ctx);
    const database = databaseName(name);
    return {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: {
        name,
        namespace,
        labels: {
          [MANAGED_BY_LABEL]: 'paved',
          'paved.dev/request-id': ctx.request.id,
        },
        annotations: { 'paved.dev/owner': ctx.request.owner },
      },
      spec: {
        instances,
        ...(config.imageName ? { imageName: config.imageName } : {}),
        storage: {
          size: `${ctx.request.parameters.storageGi}Gi`,
          ...(config.storageClass ? { storageClass: config.storageClass } : {}),
        },
        bootstrap: { initdb: { database, owner: `${database}_app` } },
      },
    };
  };

  const apply = async (ctx: Ctx, instances: number) => {
    try {
      return await clusters.apply(desired(ctx, instances));
    } catch (error) {
      if (error instanceof MissingKindError) {
        throw new NonRetryableError(
          `this cluster does not run CloudNativePG: ${error.message}`,
        );
      }
      throw error;
    }
  };

  return {
    id: RESOURCE_TYPE_ID,
    title: 'Dedicated PostgreSQL (CloudNativePG)',
    description: `A PostgreSQL cluster of your own (a primary and optional replicas) run by CloudNativePG in your team's namespace. Applications connect to <name>-rw:5432; the credentials are in the Secret <name>-app that CloudNativePG writes there. The name becomes the database name with dashes as underscores: it starts with a letter and has at most ${MAX_NAME_LENGTH} characters.`,
    catalogType: 'database',
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['instances', 'storageGi', 'environment'],
      properties: {
        instances: instancesSchema(config.defaultInstances),
        storageGi: {
          type: 'integer',
          title: 'Storage (GiB)',
          description: `The size of each instance's volume in GiB (1 to ${config.maxStorageGi}).`,
          minimum: 1,
          maximum: config.maxStorageGi,
          default: Math.min(5, config.maxStorageGi),
        },
        component: {
          type: 'string',
          title: 'Component',
          description:
            'The component the database serves, as an entity ref such as component:default/checkout-service. Optional.',
          maxLength: 255,
          pattern: COMPONENT_REF,
        },
        environment: {
          type: 'string',
          title: 'Environment',
          description:
            'Where the database is used. Production clusters need a platform-team approval.',
          enum: ENVIRONMENTS,
          default: 'development',
        },
      },
    },
    validateName: validateClusterName,
    policy: {
      requiresApproval: request =>
        request.parameters.environment === 'production'
          ? {
              reason:
                'production database clusters need a platform-team approval',
            }
          : undefined,
    },

    async provision(ctx) {
      const { name, namespace } = where(ctx);
      await clusters.ensureNamespace(namespace);
      const instances = Number(ctx.request.parameters.instances);
      const applied = await apply(ctx, instances);
      ctx.logger.info(
        `Applied CloudNativePG Cluster '${namespace}/${name}' (uid ${applied.metadata?.uid}) with ${instances} instance(s)`,
      );
      const database = databaseName(name);
      await ctx.setOutput('clusterName', name);
      await ctx.setOutput('namespace', namespace);
      await ctx.setOutput('host', `${name}-rw.${namespace}.svc`);
      await ctx.setOutput('port', 5432);
      await ctx.setOutput('database', database);
      await ctx.setOutput('secretName', `${name}-app`);
      await ctx.setOutput('instances', instances);
    },

    async observe(ctx) {
      const { name, namespace } = where(ctx);
      const cluster = await clusters.read(namespace, name);
      if (!cluster) {
        return {
          ready: false,
          message: `Cluster '${namespace}/${name}' does not exist (yet)`,
        };
      }
      const instances = cluster.spec?.instances ?? 1;
      const readyInstances = cluster.status?.readyInstances ?? 0;
      const phase = cluster.status?.phase;
      if (readyInstances >= instances && phase === HEALTHY_PHASE) {
        return { ready: true, message: `${readyInstances}/${instances} ready` };
      }
      return {
        ready: false,
        message: `phase: ${
          phase ?? 'none yet'
        }, ${readyInstances}/${instances} ready`,
      };
    },

    actions: {
      scale: {
        title: 'Scale',
        description:
          'Changes the number of instances. CloudNativePG adds or removes replicas; the primary stays.',
        parameters: {
          type: 'object',
          required: ['instances'],
          additionalProperties: false,
          properties: { instances: instancesSchema() },
        },
        async run(ctx) {
          const { name, namespace } = where(ctx);
          const instances = Number(ctx.input.instances);
          const before = ctx.outputs.instances;
          await apply(ctx, instances);
          await ctx.setOutput('instances', instances);
          ctx.logger.info(
            `Scaled CloudNativePG Cluster '${namespace}/${name}' from ${before} to ${instances} instance(s)`,
          );
        },
      },
    },

    async status(ctx) {
      const { name, namespace } = where(ctx);
      const cluster = await clusters.read(namespace, name);
      if (!cluster) {
        return {
          sections: [
            {
              title: 'Cluster',
              message: `Cluster '${namespace}/${name}' does not exist`,
            },
          ],
        };
      }
      return {
        sections: [
          {
            title: 'Cluster',
            items: [
              { label: 'Phase', value: cluster.status?.phase ?? 'unknown' },
              {
                label: 'Ready instances',
                value: `${cluster.status?.readyInstances ?? 0} of ${
                  cluster.spec?.instances ?? 1
                }`,
              },
              {
                label: 'Current primary',
                value: cluster.status?.currentPrimary ?? 'none yet',
              },
            ],
          },
        ],
      };
    },

    async destroy(ctx) {
      const { name, namespace } = where(ctx);
      try {
        const deleted = await clusters.delete(namespace, name);
        ctx.logger.info(
          deleted
            ? `Deleted CloudNativePG Cluster '${namespace}/${name}'`
            : `CloudNativePG Cluster '${namespace}/${name}' was already gone`,
        );
      } catch (error) {
        if (error instanceof MissingKindError) {
          ctx.logger.info(
            `Nothing to delete: this cluster does not run CloudNativePG (${error.message})`,
          );
          return;
        }
        throw error;
      }
    },
  };
}
