import {
  ActionStepContext,
  deleteRequestSecret,
  deliverCredentials,
  deliveryNamespace,
  DeliveryNamespace,
  issueNewPassword,
  NonRetryableError,
  PrometheusRuleWriter,
  recordedDeliveryNamespace,
  SecretWriter,
  setOutputs,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { queueAlertRule } from './alerts';
import { AmqpEndpoint, amqpSecret } from './amqpSecret';
import { deadLetterQueueOf, queueRequestNames } from './names';
import {
  describeLimits,
  DesiredQueue,
  desiredQueues,
  LIMITS_OUTPUT,
  repeatedQueue,
} from './policies';
import { QueueBroker } from './QueueBroker';
import { QueueLimits, QueueParameters } from './schema';

export type QueueStepContext = StepContext<QueueParameters>;

/**
 * Why an action's `input.queue` is not one of the request's queues (or, with
 * `deadLetters`, their dead-letter queues); undefined when it is. The engine answers
 * with a 400 before anything is queued (`checkInput`); the steps check again.
 */
export function unknownQueueProblem(
  queue: unknown,
  parameters: QueueParameters,
  options: { deadLetters: boolean },
): string | undefined {
  const known = parameters.queues.flatMap(q =>
    options.deadLetters && q.deadLetter
      ? [q.name, deadLetterQueueOf(q.name)]
      : [q.name],
  );
  return typeof queue === 'string' && known.includes(queue)
    ? undefined
    : `input.queue: '${String(
        queue,
      )}' is not a queue of this request; its queues are ${known.join(', ')}`;
}

/** What the steps of the `rabbitmq-queue` type do, on the broker and in Kubernetes. */
export class QueueProvisioner {
  constructor(
    private readonly deps: {
      broker: QueueBroker;
      secrets: SecretWriter;
      /** The requests' PrometheusRules; none when absent. */
      alerts?: PrometheusRuleWriter;
      endpoint: AmqpEndpoint;
      /** Ready messages that alert for a queue without a max length. */
      backlogAlertThreshold: number;
      /** The portal's address, for the alerts' runbook links. */
      appBaseUrl?: string;
      now: () => Date;
    },
  ) {}

  /**
   * Vhost, user, queues, policies, the Secret and the alerts, in that order; each
   * step converges, so a run resumed after a crash ends as a first run would, without
   * a second vhost, user or Secret.
   */
  async provision(ctx: QueueStepContext): Promise<void> {
    const { broker } = this.deps;
    const { signal } = ctx;
    const names = queueRequestNames(ctx.request.name);
    const repeated = repeatedQueue(ctx.request.parameters.queues);
    if (repeated) {
      throw new NonRetryableError(
        `${repeated.field}: queue '${repeated.name}' is listed twice; queue names must differ`,
      );
    }
    // Before anything is made: an environment that is gone fails the request here.
    const where = await deliveryNamespace(ctx);

    const vhost = await broker.ensureVhost(names.vhost, ctx.request.id, signal);
    ctx.logger.info(
      `Vhost '${names.vhost}' ${
        vhost === 'created' ? 'created' : 'is in place'
      }`,
    );
    await setOutputs(ctx, { vhost: names.vhost });
    const user = await broker.claimUser(
      names,
      ctx.outputs.user === names.user,
      signal,
    );
    // Recorded before the user is made: a run resumed after a crash in between
    // knows it as the request's own, and a deletion removes it.
    await setOutputs(ctx, { user: names.user });

    // What this run has just made is not read back: a vhost made now has no queues
    // and no policies, a user made now no permissions. What was there already (a
    // resumed run's) is read and put right.
    const newVhost = vhost === 'created';
    const queues = this.queuesOf(ctx);
    await broker.ensureQueues(names.vhost, queues, {
      signal,
      reportMissing: false,
      newVhost,
    });
    await broker.ensurePolicies(names.vhost, queues, {
      signal,
      reportDrift: false,
      newVhost,
    });
    for (const queue of queues) {
      ctx.logger.info(
        `Queue '${queue.name}' is in place (durable; ${describeLimits(queue)})`,
      );
    }
    await this.issueCredentials(ctx, where);
    // issueCredentials has just set the user with no tags (and made it when absent).
    await broker.ensureAccess(names, signal, {
      noTags: true,
      noPermissions: user === 'absent',
    });
    await this.applyAlerts(ctx, queues);
  }

  /** A new password, set on the broker and written to the Secret. */
  async rotateCredentials(ctx: QueueStepContext): Promise<void> {
    await this.issueCredentials(ctx, recordedDeliveryNamespace(ctx));
    await ctx.setOutput('credentialsRotatedAt', this.deps.now().toISOString());
  }

  /** Removes every ready message of one of the request's queues (or its dead-letter queue). */
  async purge(ctx: ActionStepContext<QueueParameters>): Promise<void> {
    const queue = String(ctx.input.queue);
    const problem = unknownQueueProblem(queue, ctx.request.parameters, {
      deadLetters: true,
    });
    if (problem) {
      throw new NonRetryableError(problem);
    }
    const { vhost } = queueRequestNames(ctx.request.name);
    const result = await this.deps.broker.purge(vhost, queue, ctx.signal);
    if (result === 'absent') {
      throw new NonRetryableError(
        `input.queue: queue '${queue}' does not exist in vhost '${vhost}' (deleted by hand?); the next drift check declares it again`,
      );
    }
    ctx.logger.info(`Purged queue '${queue}' in vhost '${vhost}'`);
  }

  /**
   * Changes a queue's max length and message TTL (absent: no limit) by updating its
   * policy; the new limits are recorded (output `queueLimits`), so that drift checks
   * and a later provisioning keep them, and the backlog alert follows.
   */
  async setLimits(ctx: ActionStepContext<QueueParameters>): Promise<void> {
    const name = String(ctx.input.queue);
    const problem = unknownQueueProblem(name, ctx.request.parameters, {
      deadLetters: false,
    });
    if (problem) {
      throw new NonRetryableError(problem);
    }
    const limits: QueueLimits = {};
    for (const key of ['maxLength', 'messageTtlSeconds'] as const) {
      if (typeof ctx.input[key] === 'number') {
        limits[key] = ctx.input[key] as number;
      }
    }
    const recorded = (ctx.outputs[LIMITS_OUTPUT] ?? {}) as Record<
      string,
      QueueLimits
    >;
    const changed = { ...recorded, [name]: limits };
    const queues = desiredQueues(ctx.request.parameters.queues, {
      [LIMITS_OUTPUT]: changed,
    });
    const { vhost } = queueRequestNames(ctx.request.name);
    await this.deps.broker.ensurePolicies(vhost, queues, {
      signal: ctx.signal,
      reportDrift: false,
    });
    await ctx.setOutput(LIMITS_OUTPUT, changed);
    ctx.logger.info(
      `Queue '${name}' now has ${describeLimits(
        queues.find(q => q.name === name)!,
      )}`,
    );
    await this.applyAlerts(ctx, queues);
  }

  /**
   * The Secret, the alerts, the vhost (with its queues) and the user; each may be gone
   * already. A vhost or user that this request did not make is left alone.
   */
  async destroy(ctx: QueueStepContext): Promise<void> {
    const names = queueRequestNames(ctx.request.name);
    const { namespace } = recordedDeliveryNamespace(ctx);
    await deleteRequestSecret({
      secrets: this.deps.secrets,
      name: names.secretName,
      namespace,
      uid: ctx.outputs.secretUid,
      logger: ctx.logger,
    });
    if (this.deps.alerts) {
      const rule = this.alertRule(ctx, namespace, []);
      const result = await this.deps.alerts.delete(rule);
      ctx.logger.info(
        `PrometheusRule '${namespace}/${names.alertRuleName}' is ${
          result === 'no-crd' ? 'not served by this cluster' : result
        }`,
      );
    }
    const removed = await this.deps.broker.remove(names, ctx.request.id, {
      userMade: ctx.outputs.user === names.user,
      signal: ctx.signal,
    });
    ctx.logger.info(
      `Vhost '${names.vhost}' (and its queues) is ${removed.vhost}; user '${names.user}' is ${removed.user}`,
    );
  }

  private queuesOf(ctx: QueueStepContext): DesiredQueue[] {
    return desiredQueues(ctx.request.parameters.queues, ctx.outputs);
  }

  /**
   * A new password for the user, set on the broker (as a salted hash) and written to
   * the Secret in one step. The password is never checkpointed, output or logged: a
   * retry makes a new one, which converges on the same result. Errors never carry it.
   */
  private async issueCredentials(
    ctx: QueueStepContext,
    where: DeliveryNamespace,
  ): Promise<void> {
    const names = queueRequestNames(ctx.request.name);
    const { endpoint } = this.deps;
    const { namespace } = where;
    const { secretUid } = await deliverCredentials({
      secrets: this.deps.secrets,
      namespace,
      // An environment's namespace is its own: never made here.
      createNamespace: !where.environment,
      issue: () =>
        issueNewPassword(password =>
          this.deps.broker.setPassword(names.user, password, ctx.signal),
        ),
      secretValues: password => [password],
      secret: password =>
        amqpSecret({
          name: names.secretName,
          namespace,
          endpoint,
          vhost: names.vhost,
          user: names.user,
          password,
          request: ctx.request,
          component: ctx.request.parameters.component,
          environment: where.environment,
        }),
    });
    ctx.logger.info(
      `Credentials of user '${names.user}' are in Secret '${namespace}/${names.secretName}'`,
    );
    await setOutputs(ctx, {
      host: endpoint.host,
      port: endpoint.port,
      tls: endpoint.tls,
      vhost: names.vhost,
      user: names.user,
      secretName: names.secretName,
      secretNamespace: namespace,
      secretUid,
    });
  }

  private alertRule(
    ctx: QueueStepContext,
    namespace: string,
    queues: DesiredQueue[],
  ) {
    const names = queueRequestNames(ctx.request.name);
    return queueAlertRule({
      name: names.alertRuleName,
      // Next to the Secret: the team's namespace, or the environment's.
      namespace,
      vhost: names.vhost,
      queues,
      requestId: ctx.request.id,
      owner: ctx.request.owner,
      defaultThreshold: this.deps.backlogAlertThreshold,
      appBaseUrl: this.deps.appBaseUrl,
    });
  }

  /** Applies the queues' PrometheusRule in the Secret's namespace. */
  private async applyAlerts(
    ctx: QueueStepContext,
    queues: DesiredQueue[],
  ): Promise<void> {
    if (!this.deps.alerts) {
      return;
    }
    const { namespace } = recordedDeliveryNamespace(ctx);
    const rule = this.alertRule(ctx, namespace, queues);
    const where = `${namespace}/${rule.metadata?.name}`;
    if ((await this.deps.alerts.apply(rule)) === 'no-crd') {
      ctx.logger.warn(
        `No alerts: this cluster does not serve PrometheusRule (prometheus-operator's CRD); ${where} was not applied`,
      );
      return;
    }
    await setOutputs(ctx, { alertRule: where });
    ctx.logger.info(`Alerts are in PrometheusRule '${where}'`);
  }
}
