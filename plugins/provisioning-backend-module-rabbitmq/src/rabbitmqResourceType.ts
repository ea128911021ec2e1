import {
  environmentReferences,
  PrometheusRuleWriter,
  ResourceType,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { RabbitmqModuleConfig } from './config';
import { reconcileQueues } from './drift';
import { validateQueueRequestName } from './names';
import { repeatedQueue } from './policies';
import { QueueBroker } from './QueueBroker';
import { QueueProvisioner, unknownQueueProblem } from './QueueProvisioner';
import { queueStatus } from './queueStatus';
import { queueScore } from './score';
import { RabbitmqManagement } from './RabbitmqManagement';
import {
  limitProperties,
  QueueParameters,
  queueNameSchema,
  queueParametersSchema,
} from './schema';

/** The resource type id, stored on every request. */
export const QUEUE_TYPE = 'rabbitmq-queue';

/** The input of the actions that name one of the request's queues. */
const queueInput = (extra: object = {}) => ({
  type: 'object',
  required: ['queue'],
  additionalProperties: false,
  properties: {
    queue: {
      ...queueNameSchema,
      title: 'Queue',
      description: 'The name of one of the queues of this request.',
      // Dead-letter queues (`<name>.dlq`) may be named here.
      pattern: '^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$',
      maxLength: 104,
    },
    ...extra,
  },
});

/**
 * The `rabbitmq-queue` resource type: a RabbitMQ virtual host named after the
 * request, with the durable queues it lists (their limits and dead-lettering as
 * policies), a user that may use that vhost only, and its credentials in the Kubernetes
 * Secret `<name>-amqp` of the owning team (or of the environment it is attached to).
 *
 * @public
 */
export function createRabbitmqResourceType(options: {
  config: RabbitmqModuleConfig;
  management: RabbitmqManagement;
  secrets: SecretWriter;
  /** Where the queues' PrometheusRules go; no alerts when absent. */
  alerts?: PrometheusRuleWriter;
  /** The portal's address (`app.baseUrl`), for the alerts' runbook links. */
  appBaseUrl?: string;
  now?: () => Date;
}): ResourceType<QueueParameters> {
  const { config, management } = options;
  const broker = new QueueBroker(management);
  const steps = new QueueProvisioner({
    broker,
    secrets: options.secrets,
    alerts: options.alerts,
    endpoint: {
      host: config.amqpHost,
      port: config.amqpPort,
      tls: config.tls,
    },
    backlogAlertThreshold: config.backlogAlertThreshold,
    appBaseUrl: options.appBaseUrl,
    now: options.now ?? (() => new Date()),
  });

  return {
    id: QUEUE_TYPE,
    title: 'RabbitMQ queues',
    description:
      "Durable RabbitMQ queues in a virtual host of their own, with optional max length, message TTL and dead-letter queue, and a user that may use that virtual host only. Its connection details, password included, arrive as the Kubernetes Secret <name>-amqp in your team's namespace, or in the namespace of the environment it is attached to. The name becomes the virtual host's and the user's.",
    catalogType: 'queue',
    parameters: queueParametersSchema,
    validateName: name => validateQueueRequestName(name, config.adminUser),
    checkParameters: parameters => {
      const repeated = repeatedQueue(parameters.queues);
      return repeated
        ? `${repeated.field}: queue '${repeated.name}' is listed twice; queue names must differ`
        : undefined;
    },
    references: environmentReferences,
    // Environments hold queues; a copy gets fresh, empty ones with the same settings.
    environmentCopy: {},
    score: queueScore,
    provision: ctx => steps.provision(ctx),
    actions: {
      'rotate-credentials': {
        title: 'Rotate credentials',
        description:
          'Sets a new password for the user and writes it to the Secret. The old password is refused from then on; open connections stay open.',
        parameters: {
          type: 'object',
          properties: {},
          additionalProperties: false,
        },
        run: ctx => steps.rotateCredentials(ctx),
      },
      'purge-queue': {
        title: 'Purge a queue',
        description:
          'Removes every message waiting in one of the queues (or its dead-letter queue, <name>.dlq). Messages delivered but not yet acknowledged stay.',
        parameters: queueInput(),
        checkInput: (input, { request }) =>
          unknownQueueProblem(input.queue, request.parameters, {
            deadLetters: true,
          }),
        run: ctx => steps.purge(ctx),
      },
      'set-limits': {
        title: 'Change the limits of a queue',
        description:
          "Sets a queue's max length and message TTL; a limit left empty is removed. Takes effect at once, on the messages already waiting too.",
        parameters: queueInput(limitProperties),
        checkInput: (input, { request }) =>
          unknownQueueProblem(input.queue, request.parameters, {
            deadLetters: false,
          }),
        run: ctx => steps.setLimits(ctx),
      },
    },
    status: async ctx => ({ sections: [await queueStatus(management, ctx)] }),
    reconcile: ctx => reconcileQueues(broker, ctx),
    destroy: ctx => steps.destroy(ctx),
  };
}
