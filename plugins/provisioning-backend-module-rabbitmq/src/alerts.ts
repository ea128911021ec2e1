import { parseEntityRef } from '@backstage/catalog-model';
import { KubernetesObject } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL } from '@paved/kubernetes-access';
import { DesiredQueue } from './policies';

/*
 * The metrics are rabbitmq_prometheus's per-object ones: `rabbitmq_queue_messages_ready`
 * and `rabbitmq_queue_consumers`, with `vhost` and `queue` labels, as served on
 * `/metrics/per-object` (port 15692), or on `/metrics` with
 * `prometheus.return_per_object_metrics = true`. The default `/metrics` aggregates
 * them per node, without queue labels, and would never match. (The
 * `/metrics/detailed` endpoint names the same figures `rabbitmq_detailed_queue_…`.)
 */

/** Messages ready in a queue. */
export const MESSAGES_READY_METRIC = 'rabbitmq_queue_messages_ready';
/** Consumers of a queue. */
export const CONSUMERS_METRIC = 'rabbitmq_queue_consumers';

/** Share of the max length at which the backlog alert fires. */
const NEAR_MAX_LENGTH = 0.8;

/** Where the runbook of the alerts is: the self-service docs, in the portal's TechDocs. */
const ALERTS_RUNBOOK_PATH =
  '/docs/default/component/paved-portal/self-service/';

/** A PromQL string literal. */
const literal = (text: string) => JSON.stringify(text);

/** The ready messages above which a queue's backlog alert fires. */
export function backlogThreshold(
  queue: DesiredQueue,
  defaultThreshold: number,
): number {
  const { maxLength } = queue.limits;
  return maxLength === undefined
    ? defaultThreshold
    : Math.max(1, Math.floor(maxLength * NEAR_MAX_LENGTH));
}

/**
 * The PrometheusRule (prometheus-operator) with the alerts of a request's queues: per
 * queue, a backlog above its threshold for 10 minutes, and messages waiting with no
 * consumer for 10 minutes. The dead-letter queues have none: nobody is expected to
 * consume them.
 */
export function queueAlertRule(options: {
  name: string;
  namespace: string;
  vhost: string;
  queues: DesiredQueue[];
  requestId: string;
  owner: string;
  defaultThreshold: number;
  /** The portal's address (`app.baseUrl`), for runbook links. */
  appBaseUrl?: string;
}): KubernetesObject & { spec: object } {
  const { vhost, queues } = options;
  const team = parseEntityRef(options.owner, { defaultKind: 'group' }).name;
  const runbook = `${(options.appBaseUrl ?? '').replace(
    /\/+$/,
    '',
  )}${ALERTS_RUNBOOK_PATH}#queues`;
  const rules = queues.flatMap(queue => {
    const selector = `{vhost=${literal(vhost)},queue=${literal(queue.name)}}`;
    // sum by: one series per queue, whichever node or scrape reports it; the
    // vhost and queue labels stay, so that Alertmanager keeps queues apart.
    const ready = `sum by (vhost, queue) (${MESSAGES_READY_METRIC}${selector})`;
    const consumers = `sum by (vhost, queue) (${CONSUMERS_METRIC}${selector})`;
    const threshold = backlogThreshold(queue, options.defaultThreshold);
    // The series have vhost and queue already; set here too, as rules of one alert
    // name must differ in their labels (promtool's lint, and Alertmanager's grouping).
    const labels = { severity: 'warning', team, vhost, queue: queue.name };
    return [
      {
        alert: 'RabbitmqQueueBacklog',
        expr: `${ready} > ${threshold}`,
        for: '10m',
        labels,
        annotations: {
          summary: `Queue ${queue.name} in vhost ${vhost} has had more than ${threshold} messages waiting for 10 minutes`,
          description: `Consumers of ${queue.name} do not keep up. Add consumers, find what slows them down, or purge the queue (Purge a queue, on the queues' self-service page) if its messages are no longer wanted.`,
          runbook_url: runbook,
        },
      },
      {
        alert: 'RabbitmqQueueNoConsumers',
        expr: `${consumers} == 0 and ${ready} > 0`,
        for: '10m',
        labels,
        annotations: {
          summary: `Queue ${queue.name} in vhost ${vhost} has had messages waiting and no consumer for 10 minutes`,
          description: `Nothing consumes ${
            queue.name
          }: the application that should is stopped, crashing or connected to another queue. Messages wait until one does${
            queue.limits.messageTtlSeconds !== undefined ||
            queue.limits.maxLength !== undefined
              ? ', and are dropped (or dead-lettered) at the queue limits'
              : ''
          }.`,
          runbook_url: runbook,
        },
      },
    ];
  });
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {
        [MANAGED_BY_LABEL]: 'paved',
        'paved.dev/request-id': options.requestId,
        'paved.dev/resource-type': 'rabbitmq-queue',
      },
    },
    spec: { groups: [{ name: `paved-rabbitmq-${vhost}`, rules }] },
  };
}
