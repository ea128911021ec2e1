import { parseEntityRef } from '@backstage/catalog-model';
import { V1Secret } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL } from '@paved/kubernetes-access';

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
export function amqpSecret(options: {
  name: string;
  namespace: string;
  endpoint: AmqpEndpoint;
  vhost: string;
  user: string;
  password: string;
  request: { id: string; name: string; owner: string };
  /** The component that uses it: `backstage.io/kubernetes-id` names it. */
  component?: string;
  /** The environment it is attached to, as a label. */
  environment?: string;
}): V1Secret {
  const { endpoint, vhost, user, password, request, component } = options;
  const data = {
    host: endpoint.host,
    port: String(endpoint.port),
    vhost,
    user,
    password,
    uri: amqpUri({ endpoint, vhost, user, password }),
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {
        [MANAGED_BY_LABEL]: 'paved',
        'paved.dev/request-id': request.id,
        'paved.dev/resource-type': 'rabbitmq-queue',
        ...(options.environment
          ? { 'paved.dev/environment': options.environment }
          : {}),
      },
      annotations: {
        'paved.dev/entity-ref': `resource:default/${request.name}`,
        'paved.dev/owner': request.owner,
        ...(component
          ? { 'backstage.io/kubernetes-id': parseEntityRef(component).name }
          : {}),
      },
    },
    data: Object.fromEntries(
      Object.entries(data).map(([key, value]) => [
        key,
        Buffer.from(value, 'utf8').toString('base64'),
      ]),
    ),
  };
}
