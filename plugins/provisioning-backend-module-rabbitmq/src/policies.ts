import { JsonObject } from '@backstage/types';
import { deadLetterQueueOf } from './names';
import { Policy } from './RabbitmqManagement';
import { QueueLimits, QueueSpec } from './schema';

/** The output that holds limits changed by `set-limits`, by queue name. */
export const LIMITS_OUTPUT = 'queueLimits';

/** A queue as it should be: its name, dead-lettering and current limits. */
export interface DesiredQueue {
  name: string;
  deadLetter: boolean;
  limits: QueueLimits;
}

/**
 * The queues of a request as they should be now: the requested ones, with the limits
 * a `set-limits` action recorded (output `queueLimits`) in place of the requested.
 */
export function desiredQueues(
  queues: QueueSpec[],
  outputs: JsonObject,
): DesiredQueue[] {
  const changed = (outputs[LIMITS_OUTPUT] ?? {}) as Record<string, QueueLimits>;
  return queues.map(queue => {
    const limits = changed[queue.name] ?? {
      maxLength: queue.maxLength,
      messageTtlSeconds: queue.messageTtlSeconds,
    };
    return {
      name: queue.name,
      deadLetter: queue.deadLetter === true,
      limits: {
        ...(typeof limits.maxLength === 'number'
          ? { maxLength: limits.maxLength }
          : {}),
        ...(typeof limits.messageTtlSeconds === 'number'
          ? { messageTtlSeconds: limits.messageTtlSeconds }
          : {}),
      },
    };
  });
}

/** `text` as a regular expression that matches it and nothing else. */
function exactly(text: string): string {
  return `^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/**
 * The policy that applies a queue's limits and dead-lettering, or undefined when it
 * has none. Limits are a policy rather than queue arguments so that they can change
 * without redeclaring the queue (arguments are fixed when a queue is declared).
 * Dead-lettered messages go through the default exchange, which routes them to the
 * queue named by the routing key: `<queue>.dlq`.
 */
export function queuePolicy(queue: DesiredQueue): Policy | undefined {
  const definition: Record<string, string | number> = {};
  if (queue.limits.maxLength !== undefined) {
    definition['max-length'] = queue.limits.maxLength;
  }
  if (queue.limits.messageTtlSeconds !== undefined) {
    definition['message-ttl'] = queue.limits.messageTtlSeconds * 1000;
  }
  if (queue.deadLetter) {
    definition['dead-letter-exchange'] = '';
    definition['dead-letter-routing-key'] = deadLetterQueueOf(queue.name);
  }
  if (Object.keys(definition).length === 0) {
    return undefined;
  }
  return {
    pattern: exactly(queue.name),
    definition,
    priority: 0,
    'apply-to': 'queues',
  };
}

/** Whether a policy read from the broker is the one wanted (keys in any order). */
export function samePolicy(
  found: Partial<Policy> | undefined,
  wanted: Policy | undefined,
): boolean {
  if (!found || !wanted) {
    return !found && !wanted;
  }
  const definition = (policy: Partial<Policy>) =>
    JSON.stringify(
      Object.entries(policy.definition ?? {}).sort(([a], [b]) =>
        a.localeCompare(b),
      ),
    );
  return (
    found.pattern === wanted.pattern &&
    (found.priority ?? 0) === wanted.priority &&
    found['apply-to'] === wanted['apply-to'] &&
    definition(found) === definition(wanted)
  );
}

/** A policy's limits in words, for logs and drift messages. */
export function describeLimits(queue: DesiredQueue): string {
  const parts = [
    queue.limits.maxLength !== undefined
      ? `max length ${queue.limits.maxLength}`
      : 'no max length',
    queue.limits.messageTtlSeconds !== undefined
      ? `message TTL ${queue.limits.messageTtlSeconds} s`
      : 'no message TTL',
  ];
  if (queue.deadLetter) {
    parts.push(`dead letters to ${deadLetterQueueOf(queue.name)}`);
  }
  return parts.join(', ');
}

/**
 * The first queue name listed twice, with the field that repeats it; JSON Schema
 * cannot say that names in a list of objects must differ.
 */
export function repeatedQueue(
  queues: QueueSpec[],
): { field: string; name: string } | undefined {
  const seen = new Set<string>();
  for (const [index, queue] of queues.entries()) {
    if (seen.has(queue.name)) {
      return { field: `parameters.queues[${index}].name`, name: queue.name };
    }
    seen.add(queue.name);
  }
  return undefined;
}
