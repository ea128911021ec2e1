/**
 * What the broker and Kubernetes call the objects of one request. The vhost and the
 * user are named after the request: the engine gives names that are DNS labels
 * (lowercase letters, digits and dashes, at most 63 characters), which need no
 * escaping anywhere, and a queue request's vhost and user are its own.
 */
export interface QueueRequestNames {
  vhost: string;
  user: string;
  /** The Secret with the connection details, `<name>-amqp`. */
  secretName: string;
  /** The PrometheusRule with the queues' alerts, `<name>-rabbitmq-alerts`. */
  alertRuleName: string;
}

export function queueRequestNames(name: string): QueueRequestNames {
  return {
    vhost: name,
    user: name,
    secretName: `${name}-amqp`,
    alertRuleName: `${name}-rabbitmq-alerts`,
  };
}

/** The queue that dead-lettered messages of `queue` go to. */
export const deadLetterQueueOf = (queue: string) => `${queue}.dlq`;

/** The policy with a queue's limits; users of a vhost cannot change policies. */
export const policyNameOf = (queue: string) => `paved-limits-${queue}`;

/** The marker in the description of a vhost that a request made. */
export const vhostMarkerOf = (requestId: string) =>
  `paved:request:${requestId}`;

/** At most this many characters in a queue name (RabbitMQ allows 255 bytes). */
export const MAX_QUEUE_NAME_LENGTH = 100;

/**
 * A queue name as the form takes it: lowercase letters, digits, dots, dashes and
 * underscores, starting and ending with a letter or digit; not `amq.…` (the broker
 * reserves it: declaring one is ACCESS_REFUSED) and not `….dlq` (the dead-letter
 * queues are named so). A JSON Schema pattern, so that a bad name is a 400 naming
 * `parameters.queues[i].name` before anything is stored.
 */
export const QUEUE_NAME_PATTERN = `^(?!amq\\.)[a-z0-9]([a-z0-9._-]{0,${
  MAX_QUEUE_NAME_LENGTH - 2
}}[a-z0-9])?$(?<!\\.dlq)`;

const REQUEST_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The user every broker starts with. */
const DEFAULT_USER = 'guest';

/**
 * Why a request name cannot name a vhost and a user on the broker; undefined when it
 * can. The engine already allows DNS labels only, which rules out `/`, `%2F`, quotes,
 * unicode and more than 63 characters; this checks that again (the name becomes a
 * path segment of the management API) and refuses the users a broker has already:
 * `guest` and the portal's own administrator. Any other user or vhost that exists
 * already is refused when provisioning finds it (never adopted).
 */
export function validateQueueRequestName(
  name: string,
  adminUser: string,
): string | undefined {
  if (!REQUEST_NAME.test(name) || name.length > 63) {
    return 'must be lowercase letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters';
  }
  if (name === adminUser || name === DEFAULT_USER) {
    return `'${name}' is reserved: the broker has a user of that name (${DEFAULT_USER} and the portal's administrator are reserved)`;
  }
  return undefined;
}
