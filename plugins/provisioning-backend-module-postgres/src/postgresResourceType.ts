import { ResourceType } from '@paved/plugin-provisioning-node';
import { backupStatus, createBackupActions } from './backups/backupActions';
import { monitoringStatus } from './monitoring';
import { AlertRuleWriter } from './alerts';
import { PostgresBackups } from './backups/PostgresBackups';
import { CONNECTION_LIMIT, PostgresModuleConfig } from './config';
import { SecretWriter } from './kubernetes';
import { MAX_NAME_LENGTH, validateDatabaseName } from './names';
import { PostgresAdmin } from './PostgresAdmin';
import { PostgresParameters, PostgresProvisioner } from './PostgresProvisioner';

/** `component:[namespace/]name`, as the catalog spells entity refs. */
const COMPONENT_REF =
  '^component:([a-z0-9]+([-_.][a-z0-9]+)*/)?[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$';

const ENVIRONMENTS = ['development', 'staging', 'production'];

const connectionLimitSchema = (defaultValue?: number) => ({
  type: 'integer',
  title: 'Connection limit',
  description: `How many connections the login role may hold open at once (${CONNECTION_LIMIT.min} to ${CONNECTION_LIMIT.max}).`,
  minimum: CONNECTION_LIMIT.min,
  maximum: CONNECTION_LIMIT.max,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});

/**
 * The `postgres` resource type: a database on a configured server, with a login role
 * (`<db>_rw`) and a read-only role (`<db>_ro`), and its credentials in a Kubernetes
 * Secret in the owning team's namespace.
 *
 * @public
 */
export function createPostgresResourceType(options: {
  config: PostgresModuleConfig;
  admins: Map<string, PostgresAdmin>;
  secrets: SecretWriter;
  /** Where databases' PrometheusRules go; no alerts when absent. */
  alerts?: AlertRuleWriter;
  /** Backups and their day-2 actions; off when not configured. */
  backups?: PostgresBackups;
  now?: () => Date;
}): ResourceType<PostgresParameters> {
  const { config } = options;
  const steps = new PostgresProvisioner({
    admins: options.admins,
    secrets: options.secrets,
    alerts: options.alerts,
    now: options.now ?? (() => new Date()),
  });
  const targetList = config.targets
    .map(target => `${target.title} (${target.id})`)
    .join(', ');

  return {
    id: 'postgres',
    title: 'PostgreSQL database',
    description: `A PostgreSQL database with a read-write login role and a read-only role; its connection details, password included, arrive as the Kubernetes Secret <name>-postgres in your team's namespace. The name becomes the database name with dashes as underscores: it starts with a letter and has at most ${MAX_NAME_LENGTH} characters.`,
    catalogType: 'database',
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['target', 'connectionLimit', 'environment'],
      properties: {
        target: {
          type: 'string',
          title: 'Server',
          description: `The PostgreSQL server the database is made on: ${targetList}.`,
          enum: config.targets.map(target => target.id),
          enumNames: config.targets.map(target => target.title),
          default: config.defaultTargetId,
        },
        component: {
          type: 'string',
          title: 'Component',
          description:
            'The component the database serves, as an entity ref such as component:default/checkout-service. Optional; its Secret is annotated with it.',
          maxLength: 255,
          pattern: COMPONENT_REF,
        },
        connectionLimit: connectionLimitSchema(config.defaultConnectionLimit),
        environment: {
          type: 'string',
          title: 'Environment',
          description:
            'Where the database is used. Production databases need a platform-team approval.',
          enum: ENVIRONMENTS,
          default: 'development',
        },
      },
    },
    validateName: validateDatabaseName,
    policy: {
      quotaCost: () => 1,
      requiresApproval: request =>
        request.parameters.environment === 'production'
          ? { reason: 'production databases need a platform-team approval' }
          : undefined,
    },
    provision: ctx => steps.provision(ctx),
    actions: {
      'rotate-credentials': {
        title: 'Rotate credentials',
        description:
          'Sets a new password for the login role and writes it to the Secret. The old password stops working at once; open connections stay open.',
        parameters: {
          type: 'object',
          properties: {},
          additionalProperties: false,
        },
        run: ctx => steps.rotateCredentials(ctx),
      },
      'set-connection-limit': {
        title: 'Change the connection limit',
        description:
          'Changes how many connections the login role may hold open at once.',
        parameters: {
          type: 'object',
          required: ['connectionLimit'],
          additionalProperties: false,
          properties: { connectionLimit: connectionLimitSchema() },
        },
        run: ctx =>
          steps.setConnectionLimit(ctx, Number(ctx.input.connectionLimit)),
      },
      ...(options.backups
        ? createBackupActions({
            backups: options.backups,
            admins: options.admins,
          })
        : {}),
    },
    status: async ctx => ({
      sections: [
        await monitoringStatus(options.admins, ctx),
        await backupStatus(options.backups, ctx),
      ],
    }),
    destroy: ctx => steps.destroy(ctx),
  };
}
