import { parseEntityRef } from '@backstage/catalog-model';
import { V1Secret } from '@kubernetes/client-node';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import {
  NonRetryableError,
  StepContext,
} from '@paved/plugin-provisioning-node';
import {
  generatePassword,
  redactError,
  scramSha256Verifier,
} from './credentials';
import { AlertRuleWriter, databaseAlertRule } from './alerts';
import { MANAGED_BY_LABEL, SecretWriter } from './kubernetes';
import { postgresNames } from './names';
import { PostgresAdmin } from './PostgresAdmin';

/** The parameters of a `postgres` request, after validation and defaults. */
export interface PostgresParameters {
  [key: string]: string | number | undefined;
  target: string;
  component?: string;
  connectionLimit: number;
  environment: 'development' | 'staging' | 'production';
}

export type PostgresStepContext = StepContext<PostgresParameters>;

const base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

/** What the steps of the `postgres` type do, on the targets and in Kubernetes. */
export class PostgresProvisioner {
  constructor(
    private readonly deps: {
      admins: Map<string, PostgresAdmin>;
      secrets: SecretWriter;
      /** The databases' PrometheusRules; none when absent. */
      alerts?: AlertRuleWriter;
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
    await this.issueCredentials(ctx);
    await this.applyAlerts(ctx, connectionLimit);
    await ctx.setOutput('connectionLimit', connectionLimit);
  }

  async rotateCredentials(ctx: PostgresStepContext): Promise<void> {
    await this.issueCredentials(ctx);
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
    const uid = ctx.outputs.secretUid;
    if (typeof uid === 'string' && uid) {
      const namespace = teamNamespace(ctx.request.owner);
      const result = await this.deps.secrets.deleteSecret({
        name: names.secretName,
        namespace,
        uid,
      });
      ctx.logger.info(
        result === 'replaced'
          ? `Secret '${namespace}/${names.secretName}' is no longer the one provisioning made; left it alone`
          : `Secret '${namespace}/${names.secretName}' is ${result}`,
      );
    }
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

  private alertRule(ctx: PostgresStepContext, connectionLimit: number) {
    return databaseAlertRule({
      names: postgresNames(ctx.request.name),
      namespace: teamNamespace(ctx.request.owner),
      requestId: ctx.request.id,
      owner: ctx.request.owner,
      connectionLimit,
    });
  }

  /** Applies the database's PrometheusRule in the team's namespace. */
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

  /**
   * A new password for the login role, set in PostgreSQL and written to the Secret in
   * one step. It is never checkpointed, output or logged: a retry makes a new one,
   * which converges on the same result.
   */
  private async issueCredentials(ctx: PostgresStepContext): Promise<void> {
    const { admin, names } = this.resolve(ctx);
    const namespace = teamNamespace(ctx.request.owner);
    const password = generatePassword();
    let secretUid: string;
    try {
      await this.deps.secrets.ensureNamespace(namespace);
      await admin.setPassword({
        role: names.readWriteRole,
        requestId: ctx.request.id,
        verifier: scramSha256Verifier(password),
        signal: ctx.signal,
      });
      secretUid = await this.deps.secrets.applySecret(
        this.secret(ctx, namespace, password),
      );
    } catch (error) {
      throw redactError(error, [password]);
    }
    ctx.logger.info(
      `Credentials of '${names.readWriteRole}' are in Secret '${namespace}/${names.secretName}'`,
    );
    const outputs = {
      target: admin.target.id,
      host: admin.target.connectionHost,
      port: admin.target.connectionPort,
      database: names.database,
      user: names.readWriteRole,
      readOnlyRole: names.readOnlyRole,
      secretName: names.secretName,
      secretNamespace: namespace,
      secretUid,
    };
    for (const [name, value] of Object.entries(outputs)) {
      if (ctx.outputs[name] !== value) {
        await ctx.setOutput(name, value);
      }
    }
  }

  private secret(
    ctx: PostgresStepContext,
    namespace: string,
    password: string,
  ): V1Secret {
    const { admin, names } = this.resolve(ctx);
    const { connectionHost: host, connectionPort: port } = admin.target;
    const { component, environment } = ctx.request.parameters;
    const user = names.readWriteRole;
    const uriHost = host.includes(':') ? `[${host}]` : host;
    const uri = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(
      password,
    )}@${uriHost}:${port}/${encodeURIComponent(names.database)}`;
    const data = {
      host,
      port: String(port),
      database: names.database,
      user,
      password,
      uri,
    };
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: names.secretName,
        namespace,
        labels: {
          [MANAGED_BY_LABEL]: 'paved',
          'paved.dev/request-id': ctx.request.id,
          'paved.dev/resource-type': 'postgres',
          'paved.dev/environment': environment,
        },
        annotations: {
          'paved.dev/entity-ref': `resource:default/${ctx.request.name}`,
          'paved.dev/owner': ctx.request.owner,
          'paved.dev/postgres-target': admin.target.id,
          ...(component
            ? { 'backstage.io/kubernetes-id': parseEntityRef(component).name }
            : {}),
        },
      },
      data: Object.fromEntries(
        Object.entries(data).map(([key, value]) => [key, base64(value)]),
      ),
    };
  }

  private resolve(ctx: PostgresStepContext) {
    const { target } = ctx.request.parameters;
    const admin = this.deps.admins.get(target);
    if (!admin) {
      throw new NonRetryableError(
        `Target '${target}' is not configured (provisioning.postgres.targets); add it back to manage this database`,
      );
    }
    return { admin, names: postgresNames(ctx.request.name) };
  }
}
