import { JsonObject } from '@backstage/types';
import {
  environmentNameSchema,
  environmentReferences,
  PrometheusRuleWriter,
  ResourceType,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { backupStatus, createBackupActions } from './backups/backupActions';
import { monitoringStatus } from './monitoring';
import { PostgresBackups } from './backups/PostgresBackups';
import { CONNECTION_LIMIT, PostgresModuleConfig } from './config';
import { MAX_NAME_LENGTH, validateDatabaseName } from './names';
import { PostgresAdmin } from './PostgresAdmin';
import { PostgresParameters, PostgresProvisioner } from './PostgresProvisioner';
import { DatabaseOwners } from './backups/backupMetrics';
import { BACKUP_ID_PATTERN } from './backups/BackupStore';
import { COMPONENT_REF, REQUEST_NAME } from './schema';
import { rotateCredentialsAction } from './connectionSecret';
import { terminateQueriesAction } from './terminateQueries';
import { postgresScore } from './score';

/** The field that names the database a new one is restored from; errors name it. */
const RESTORE_FROM_FIELD = 'parameters.restoreFrom.database';

const ENVIRONMENTS = ['development', 'staging', 'production'];
/** The parameters of a database that the copy of its environment takes over. */
const COPIED_PARAMETERS = [
  'target',
  'connectionLimit',
  'environment',
  'component',
] as const;

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
  alerts?: PrometheusRuleWriter;
  /** Backups and their day-2 actions; off when not configured. */
  backups?: PostgresBackups;
  /** How often backups are made: the backup alert fires after twice it. */
  backupIntervalMs?: number;
  /** The portal's address (`app.baseUrl`), for the alerts' runbook links. */
  appBaseUrl?: string;
  /** Learns each database's owner, for the backup metric. */
  owners?: DatabaseOwners;
  now?: () => Date;
}): ResourceType<PostgresParameters> {
  const { config, owners } = options;
  const steps = new PostgresProvisioner({
    admins: options.admins,
    secrets: options.secrets,
    alerts: options.alerts,
    backups: options.backups,
    backupIntervalMs: options.backups ? options.backupIntervalMs : undefined,
    appBaseUrl: options.appBaseUrl,
    now: options.now ?? (() => new Date()),
  });
  const seen = (ctx: { request: { id: string; owner: string } }) =>
    owners?.remember(ctx.request);
  const targetList = config.targets
    .map(target => `${target.title} (${target.id})`)
    .join(', ');
  const parameters: JsonObject = {
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
      environmentName: environmentNameSchema('database'),
      restoreFrom: {
        type: 'object',
        title: 'Restore from',
        description:
          "Fills the new database with a backup of another database of the portal (yours, or one you may read); its tables then belong to this database's login role. Optional: without it the database starts empty.",
        additionalProperties: false,
        required: ['database'],
        properties: {
          database: {
            type: 'string',
            title: 'Database',
            description:
              'The name of the PostgreSQL database request whose backup is restored, e.g. orders-db.',
            maxLength: 63,
            pattern: REQUEST_NAME,
          },
          backup: {
            type: 'string',
            title: 'Backup',
            description:
              "The id of the backup, as listed under Backups on that database's page; its newest backup when absent.",
            maxLength: 100,
            pattern: BACKUP_ID_PATTERN,
          },
        },
      },
    },
  };

  return {
    id: 'postgres',
    title: 'PostgreSQL database',
    description: `A PostgreSQL database with a read-write login role and a read-only role; its connection details, password included, arrive as the Kubernetes Secret <name>-postgres in your team's namespace, or in the namespace of the environment it is attached to. The name becomes the database name with dashes as underscores: it starts with a letter and has at most ${MAX_NAME_LENGTH} characters.`,
    catalogType: 'database',
    parameters,
    validateName: validateDatabaseName,
    score: postgresScore(parameters),
    references: request => [
      ...(request.parameters.restoreFrom
        ? [
            {
              field: RESTORE_FROM_FIELD,
              type: 'postgres',
              name: request.parameters.restoreFrom.database,
              permission: 'read' as const,
            },
          ]
        : []),
      ...environmentReferences(request),
    ],
    environmentCopy: {
      // A copy is seeded from a fresh backup of the source, when backups are on.
      seedAction: options.backups ? 'backup-now' : undefined,
      parameters: (source, { sourceName, seeded }) => {
        const copied: JsonObject = {};
        for (const key of COPIED_PARAMETERS) {
          if (source[key] !== undefined) {
            copied[key] = source[key];
          }
        }
        // Its newest backup: the one the seed action just made.
        return seeded
          ? { ...copied, restoreFrom: { database: sourceName } }
          : copied;
      },
    },
    policy: {
      quotaCost: () => 1,
      requiresApproval: request =>
        request.parameters.environment === 'production'
          ? { reason: 'production databases need a platform-team approval' }
          : undefined,
    },
    provision: ctx => {
      seen(ctx);
      return steps.provision(ctx);
    },
    actions: {
      'rotate-credentials': rotateCredentialsAction(ctx =>
        steps.rotateCredentials(ctx),
      ),
      'terminate-queries': terminateQueriesAction(options.admins),
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
    status: async ctx => {
      seen(ctx);
      return {
        sections: [
          await monitoringStatus(options.admins, ctx),
          await backupStatus(options.backups, ctx),
        ],
      };
    },
    destroy: async ctx => {
      await steps.destroy(ctx);
      owners?.forget(ctx.request.id);
    },
  };
}
