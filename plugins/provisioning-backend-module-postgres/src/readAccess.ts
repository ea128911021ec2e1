import { JsonValue } from '@backstage/types';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import {
  deleteRequestSecret,
  NonRetryableError,
  readAccessRule,
  ResourceType,
  SecretWriter,
  setOutputs,
  StepContext,
} from '@paved/plugin-provisioning-node';
import {
  adminOf,
  connectionSecret,
  issueCredentials,
  rotateCredentialsAction,
} from './connectionSecret';
import { postgresNames, readAccessNames, validateDatabaseName } from './names';
import { PostgresAdmin } from './PostgresAdmin';
import { COMPONENT_REF, REQUEST_NAME } from './schema';

/** The parameters of a `postgres-read-access` request. */
export interface ReadAccessParameters {
  [key: string]: JsonValue | undefined;
  /** The name of the `postgres` request whose database is read. */
  database: string;
  /** The component that reads it. */
  component: string;
}

type ReadAccessContext = StepContext<ReadAccessParameters>;

/** The field that names the database; errors name it. */
const DATABASE_FIELD = 'parameters.database';

/** Connections a reader may hold open at once: reports and exports, not serving traffic. */
const READ_ACCESS_CONNECTION_LIMIT = 5;

/**
 * The `postgres-read-access` resource type: read-only access for a component to a
 * database of a `postgres` request, usually another team's. It is a login role of its
 * own, a member of the database's read-only role, with its credentials in a Secret
 * in the requesting team's namespace.
 *
 * @public
 */
export function createPostgresReadAccessResourceType(options: {
  admins: Map<string, PostgresAdmin>;
  secrets: SecretWriter;
  now?: () => Date;
}): ResourceType<ReadAccessParameters> {
  const { admins, secrets } = options;
  const now = options.now ?? (() => new Date());

  const namesOf = (ctx: ReadAccessContext) =>
    readAccessNames(ctx.request.parameters.database, ctx.request.name);

  /** The database's request, which must still be there. */
  async function databaseOf(ctx: ReadAccessContext) {
    const { database } = ctx.request.parameters;
    const found = await ctx.requests.findActive('postgres', database);
    if (!found) {
      throw new NonRetryableError(
        `${DATABASE_FIELD}: there is no active postgres database '${database}' (was it deleted?)`,
      );
    }
    if (typeof found.outputs.target !== 'string') {
      // Still being made: a retry finds it provisioned.
      throw new Error(
        `${DATABASE_FIELD}: database '${database}' is not provisioned yet`,
      );
    }
    return found;
  }

  async function writeCredentials(ctx: ReadAccessContext): Promise<void> {
    const admin = adminOf(admins, ctx.outputs.target);
    const { role, secretName } = namesOf(ctx);
    const { database } = postgresNames(ctx.request.parameters.database);
    const namespace = teamNamespace(ctx.request.owner);
    const secretUid = await issueCredentials({
      admin,
      secrets,
      role,
      requestId: ctx.request.id,
      namespace,
      signal: ctx.signal,
      secret: password =>
        connectionSecret({
          name: secretName,
          namespace,
          admin,
          database,
          user: role,
          password,
          request: ctx.request,
          resourceType: 'postgres-read-access',
          component: ctx.request.parameters.component,
          annotations: {
            'paved.dev/database-ref': `resource:default/${ctx.request.parameters.database}`,
          },
        }),
    });
    ctx.logger.info(
      `Credentials of '${role}' are in Secret '${namespace}/${secretName}'`,
    );
    await setOutputs(ctx, {
      host: admin.target.connectionHost,
      port: admin.target.connectionPort,
      secretName,
      secretNamespace: namespace,
      secretUid,
    });
  }

  return {
    id: 'postgres-read-access',
    title: 'Read-only access to a PostgreSQL database',
    description: `Lets a component read a PostgreSQL database of the portal, usually another team's (whose owner approves it): a login role of its own that may read every table and change nothing, at most ${READ_ACCESS_CONNECTION_LIMIT} connections, with its connection details, password included, in the Kubernetes Secret <name>-postgres-ro in your team's namespace.`,
    catalogType: 'database-access',
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['database', 'component'],
      properties: {
        database: {
          type: 'string',
          title: 'Database',
          description:
            'The name of the PostgreSQL database request to read, as in the catalog, e.g. orders-db.',
          maxLength: 63,
          pattern: REQUEST_NAME,
        },
        component: {
          type: 'string',
          title: 'Component',
          description:
            'The component that reads the database, as an entity ref such as component:default/reporting-service; its Secret is annotated with it.',
          maxLength: 255,
          pattern: COMPONENT_REF,
        },
      },
    },
    validateName: validateDatabaseName,
    ...readAccessRule<ReadAccessParameters>({
      parameter: 'database',
      type: 'postgres',
      describe: database => `read access to ${database}`,
    }),
    async provision(ctx) {
      const source = await databaseOf(ctx);
      const admin = adminOf(admins, source.outputs.target);
      const { readOnlyRole, database } = postgresNames(source.name);
      const { role } = namesOf(ctx);
      // Recorded before the role is made, so that a deletion finds it.
      await setOutputs(ctx, { target: admin.target.id, database, role });
      await admin.provisionReadAccess({
        role,
        readOnlyRole,
        requestId: ctx.request.id,
        connectionLimit: READ_ACCESS_CONNECTION_LIMIT,
        signal: ctx.signal,
      });
      ctx.logger.info(
        `Role '${role}' reads database '${database}' on target '${admin.target.id}' (member of '${readOnlyRole}')`,
      );
      await writeCredentials(ctx);
    },
    actions: {
      'rotate-credentials': rotateCredentialsAction(async ctx => {
        await writeCredentials(ctx);
        await ctx.setOutput('credentialsRotatedAt', now().toISOString());
      }),
    },
    async destroy(ctx) {
      const { role, secretName } = namesOf(ctx);
      await deleteRequestSecret({
        secrets,
        name: secretName,
        namespace: teamNamespace(ctx.request.owner),
        uid: ctx.outputs.secretUid,
        logger: ctx.logger,
      });
      if (ctx.outputs.target === undefined) {
        ctx.logger.info('No role was made for this request');
        return;
      }
      const admin = adminOf(admins, ctx.outputs.target);
      const result = await admin.dropReadAccess({
        role,
        requestId: ctx.request.id,
        signal: ctx.signal,
      });
      ctx.logger.info(
        result === 'not-ours'
          ? `Role '${role}' on target '${admin.target.id}' was not made by this request; left it alone`
          : `Role '${role}' on target '${admin.target.id}' is ${result}`,
      );
    },
  };
}
