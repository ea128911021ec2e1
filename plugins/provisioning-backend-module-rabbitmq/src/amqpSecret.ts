import { V1Secret } from '@kubernetes/client-node';
import { requestSecret, SecretOptions } from '@paved/plugin-provisioning-node';

/** Where applications reach the broker. */
export interface AmqpEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

/** The AMQP URI of a user on a vhost, every part encoded. */
export function amqpUri(options: {
  endpoint: AmqpEndpoint;
  vhost: string;
  user: string;
  password: string;
}): string {
  const { endpoint, vhost, user, password } = options;
  const host = endpoint.host.includes(':')
    ? `[${endpoint.host}]`
    : endpoint.host;
  return `${endpoint.tls ? 'amqps' : 'amqp'}://${encodeURIComponent(
    user,
  )}:${encodeURIComponent(password)}@${host}:${
    endpoint.port
  }/${encodeURIComponent(vhost)}`;
}

/**
 * The Secret with a queue request's connection details (`host`, `port`, `vhost`,
 * `user`, `password`, `uri`), labelled and annotated back to the request's catalog
 * entity.
 */
export function amqpSecret(
  options: Omit<SecretOptions, 'resourceType' | 'labels'> & {
    endpoint: AmqpEndpoint;
    vhost: string;
    user: string;
    password: string;
    /** The environment it is attached to, as a label. */
    environment?: string;
  },
): V1Secret {
  const { endpoint, vhost, user, password, environment, ...secret } = options;
  return requestSecret({
    ...secret,
    resourceType: 'rabbitmq-queue',
    labels: { 'paved.dev/environment': environment },
    data: {
      host: endpoint.host,
      port: String(endpoint.port),
      vhost,
      user,
      password,
      uri: amqpUri({ endpoint, vhost, user, password }),
    },
  });
}
