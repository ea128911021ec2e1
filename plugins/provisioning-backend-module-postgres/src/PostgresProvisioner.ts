import { JsonValue } from '@backstage/types';
import {
  deleteRequestSecret,
  DeliveryNamespace,
  deliveryNamespace,
  NonRetryableError,
  PrometheusRuleWriter,
  recordedDeliveryNamespace,
  SecretWriter,
  setOutputs,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { databaseAlertRule } from './alerts';
import { backupOwnerOf } from './backups/backupActions';
import { PostgresBackups } from './backups/PostgresBackups';
import {
  adminOf,
  connectionSecret,
  issueCredentials,
} from './connectionSecret';
import { PostgresNames, postgresNames } from './names';
import { PostgresAdmin } from './PostgresAdmin';

/** Where a new database's contents come from: a backup of another `postgres` request. */
export type RestoreFrom = {
  /** The name of the other request. */
  database: string;
  /** A backup id of it; its newest backup when absent. */
  backup?: string;
};

/** The parameters of a `postgres` request, after validation and defaults. */
export interface PostgresParameters {
  [key: string]: JsonValue | undefined;
  target: string;
  component?: string;
  connectionLimit: number;
  environment: 'development' | 'staging' | 'production';
  restoreFrom?: RestoreFrom;
  /** The `environment` request the database is attached to: its Secret goes there. */
  environmentName?: string;
}

export type PostgresStepContext = StepContext<PostgresParameters>;

/** What the steps of the `postgres` type do, on the targets and in Kubernetes. */
export class PostgresProvisioner {
  constructor(
    private readonly deps: {
      admins: Map<string, PostgresAdmin>;
      secrets: SecretWriter;
      /** The databases' PrometheusRules; none when absent. */
      alerts?: PrometheusRuleWriter;
      /** Backups, to restore a new database from; none when absent. */
      backups?: PostgresBackups;
      /** How often databases are backed up: the backup alert fires after twice it. */
      backupIntervalMs?: number;
      /** The portal's address, for the alerts' runbook links. */
      appBaseUrl?: string;
      now: () => Date;
    },
  ) {}

  async provision(ctx: PostgresStepContext): Promise<void> {
    const { admin, names } = this.resolve(ctx);
    const { connectionLimit } = ctx.request.parameters;
    await admin.provision({
      names,
      requestId: ctx.request.id,
      connectionLimit,
      signal: ctx.signal,
    });
    ctx.logger.info(
      `Database '${names.database}' with roles '${names.readWriteRole}' and '${names.readOnlyRole}' is in place on target '${admin.target.id}'`,
    );
    // Before the credentials exist, so that no application writes in between.
    await this.restoreIfAsked(ctx, admin, names);
    await this.issueCredentials(ctx, await deliveryNamespace(ctx));
    await this.applyAlerts(ctx, connectionLimit);
    await ctx.setOutput('connectionLimit', connectionLimit);
  }

  async rotateCredentials(ctx: PostgresStepContext): Promise<void> {
    await this.issueCredentials(ctx, recordedDeliveryNamespace(ctx));
    await ctx.setOutput('credentialsRotatedAt', this.deps.now().toISOString());
  }

  async setConnectionLimit(
    ctx: PostgresStepContext,
    connectionLimit: number,
  ): Promise<void> {
    const { admin, names } = this.resolve(ctx);
    await admin.setConnectionLimit({
      role: names.readWriteRole,
      requestId: ctx.request.id,
      connectionLimit,
      signal: ctx.signal,
    });
    ctx.logger.info(
      `Role '${names.readWriteRole}' may now open ${connectionLimit} connections`,
    );
    // The alert's threshold follows the limit.
    await this.applyAlerts(ctx, connectionLimit);
    await ctx.setOutput('connectionLimit', connectionLimit);
  }

  async destroy(ctx: PostgresStepContext): Promise<void> {
    const { admin, names } = this.resolve(ctx);
    // The same time on every retry, so that the retention starts once.
    const deletedAt = await ctx.checkpoint({
      key: 'deleted-at',
      fn: () => this.deps.now().toISOString(),
    });
    await deleteRequestSecret({
      secrets: this.deps.secrets,
      name: names.secretName,
      namespace: recordedDeliveryNamespace(ctx).namespace,
      uid: ctx.outputs.secretUid,
      logger: ctx.logger,
    });
    if (this.deps.alerts) {
      const rule = this.alertRule(ctx, 0);
      const result = await this.deps.alerts.delete(rule);
      ctx.logger.info(
        `PrometheusRule '${rule.metadata?.namespace}/${
          rule.metadata?.name
        }' is ${result === 'no-crd' ? 'not served by this cluster' : result}`,
      );
    }
    const { database } = await admin.retire({
      names,
      requestId: ctx.request.id,
      deletedAt,
      signal: ctx.signal,
    });
    ctx.logger.info(
      database === 'retired'
        ? `Database '${names.database}' on target '${admin.target.id}' refuses connections and is dropped after the retention`
        : `Database '${names.database}' of this request does not exist on target '${admin.target.id}'; removed its roles`,
    );
  }

  /**
   * Fills a new database from a backup of another request (`restoreFrom`), once: a
   * retried or resumed step finds the checkpoint, a later run the `restoredFrom`
   * output. The restored objects belong to this database's login role; the source's
   * owners and grants are not restored. pg_restore runs in one transaction and with
   * `--clean`, so that a restore repeated after a crash replaces the first one.
   */
  private async restoreIfAsked(
    ctx: PostgresStepContext,
    admin: PostgresAdmin,
    names: PostgresNames,
  ): Promise<void> {
    const from = ctx.request.parameters.restoreFrom;
    if (!from || ctx.outputs.restoredFrom) {
      return;
    }
    const { backups } = this.deps;
    if (!backups) {
      throw new NonRetryableError(
        'parameters.restoreFrom: backups are not configured on this portal (provisioning.postgres.backups), so there is nothing to restore from',
      );
    }
    const restored = await ctx.checkpoint({
      key: 'restore',
      fn: async () => {
        const source = await ctx.requests.findActive('postgres', from.database);
        const owner = source && backupOwnerOf(source.id, source.outputs);
        if (!owner) {
          throw new NonRetryableError(
            `parameters.restoreFrom.database: there is no provisioned postgres database '${from.database}'`,
          );
        }
        const backup = await backups.findOrNewest(owner, from.backup);
        if (!backup) {
          throw new NonRetryableError(
            from.backup
              ? `parameters.restoreFrom.backup: there is no backup '${from.backup}' of database '${from.database}'`
              : `parameters.restoreFrom.backup: database '${from.database}' has no backup yet; make one with its Back up now action`,
          );
        }
        await backups.restore(admin, backup, names.database, {
          clean: true,
          asRole: names.readWriteRole,
          signal: ctx.signal,
        });
        ctx.logger.info(
          `Restored backup ${backup.id} of '${from.database}' (made ${backup.createdAt}) into '${names.database}'`,
        );
        return {
          database: from.database,
          backup: backup.id,
          createdAt: backup.createdAt,
        };
      },
    });
    await ctx.setOutput('restoredFrom', restored);
  }

  private alertRule(ctx: PostgresStepContext, connectionLimit: number) {
    return databaseAlertRule({
      names: postgresNames(ctx.request.name),
      // Next to the Secret: the team's namespace, or the environment's.
      namespace: recordedDeliveryNamespace(ctx).namespace,
      requestId: ctx.request.id,
      owner: ctx.request.owner,
      connectionLimit,
      backupIntervalMs: this.deps.backupIntervalMs,
      appBaseUrl: this.deps.appBaseUrl,
    });
  }

  /** Applies the database's PrometheusRule in the Secret's namespace. */
  private async applyAlerts(
    ctx: PostgresStepContext,
    connectionLimit: number,
  ): Promise<void> {
    if (!this.deps.alerts) {
      return;
    }
    const rule = this.alertRule(ctx, connectionLimit);
    const where = `${rule.metadata?.namespace}/${rule.metadata?.name}`;
    if ((await this.deps.alerts.apply(rule)) === 'no-crd') {
      ctx.logger.warn(
        `No alerts: this cluster does not serve PrometheusRule (prometheus-operator's CRD); ${where} was not applied`,
      );
      return;
    }
    await ctx.setOutput('alertRule', where);
    ctx.logger.info(`Alerts are in PrometheusRule '${where}'`);
  }

  /** A new password for the login role, set in PostgreSQL and written to the Secret. */
  private async issueCredentials(
    ctx: PostgresStepContext,
    where: DeliveryNamespace,
  ): Promise<void> {
    const { admin, names } = this.resolve(ctx);
    const { namespace } = where;
    const { component, environment } = ctx.request.parameters;
    const secretUid = await issueCredentials({
      admin,
      secrets: this.deps.secrets,
      role: names.readWriteRole,
      requestId: ctx.request.id,
      namespace,
      // An environment's namespace is its own: never made here, e.g. after the
      // environment was deleted.
      createNamespace: !where.environment,
      signal: ctx.signal,
      secret: password =>
        connectionSecret({
          name: names.secretName,
          namespace,
          admin,
          database: names.database,
          user: names.readWriteRole,
          password,
          request: ctx.request,
          resourceType: 'postgres',
          component,
          labels: { 'paved.dev/environment': environment },
        }),
    });
    ctx.logger.info(
      `Credentials of '${names.readWriteRole}' are in Secret '${namespace}/${names.secretName}'`,
    );
    await setOutputs(ctx, {
      target: admin.target.id,
      host: admin.target.connectionHost,
      port: admin.target.connectionPort,
      database: names.database,
      user: names.readWriteRole,
      readOnlyRole: names.readOnlyRole,
      secretName: names.secretName,
      secretNamespace: namespace,
      secretUid,
    });
  }

  private resolve(ctx: PostgresStepContext) {
    return {
      admin: adminOf(this.deps.admins, ctx.request.parameters.target),
      names: postgresNames(ctx.request.name),
    };
  }
}
