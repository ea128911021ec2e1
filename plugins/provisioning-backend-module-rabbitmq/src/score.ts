import {
  ReferencedRequest,
  scoreClaimParameters,
  ScoreResources,
} from '@paved/plugin-provisioning-node';
import { queueRequestNames } from './names';
import { QueueParameters, queueParametersSchema } from './schema';

/** The Secret a queue request delivered, as its outputs record it. */
function secretOf(request: ReferencedRequest<QueueParameters>): string {
  const { secretName } = request.outputs;
  return typeof secretName === 'string'
    ? secretName
    : queueRequestNames(request.name).secretName;
}

/**
 * The `rabbitmq-queue` type as Score's `amqp` resource: a virtual host of its own with
 * one durable queue named after the resource (`params.queues` lists others), and
 * outputs named as score-k8s's default provisioner names them (`host`, `port`,
 * `vhost`, `username`, `password`), plus `uri`. The password and the URI (which holds
 * it) are keys of the request's Secret, never values. The type has no size or plan,
 * so only the `default` class is taken.
 */
export const queueScore: ScoreResources<QueueParameters> = {
  types: ['amqp'],
  parameters: claim =>
    scoreClaimParameters(claim, {
      schema: queueParametersSchema,
      params: ['queues'],
      defaults: { queues: [{ name: claim.name }] },
    }),
  outputs: request => {
    const { host, port, vhost, user } = request.outputs;
    const names = queueRequestNames(request.name);
    const name = secretOf(request);
    return {
      host: { value: String(host) },
      port: { value: Number(port) },
      vhost: { value: String(vhost ?? names.vhost) },
      username: { value: String(user ?? names.user) },
      password: { secretKeyRef: { name, key: 'password' } },
      uri: { secretKeyRef: { name, key: 'uri' } },
    };
  },
};
