import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CoreV1Event, V1ContainerState } from '@kubernetes/client-node';
import { RunbookKubernetes } from '../kubernetes/RunbookKubernetes';
import { ProvisioningRequests } from '../clients/ProvisioningRequests';

const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
const EVENT_LIMIT = 50;

/** What `paved:kubernetes:diagnostics` found. */
export interface DiagnosticsReport {
  namespace: string;
  deployments: Array<{
    name: string;
    replicas: number;
    readyReplicas: number;
    revision?: string;
    conditions: string[];
  }>;
  pods: Array<{
    name: string;
    phase: string;
    node?: string;
    restarts: number;
    conditions: string[];
    containers: Array<{
      name: string;
      ready: boolean;
      restarts: number;
      state: string;
    }>;
  }>;
  events: Array<{
    time: string;
    type: string;
    reason: string;
    object: string;
    message: string;
    count: number;
  }>;
  resources: Array<{
    type: string;
    name: string;
    state: string;
    lastError?: string;
    expiresAt?: string;
  }>;
}

function containerState(state: V1ContainerState | undefined): string {
  if (state?.running) {
    return 'running';
  }
  if (state?.waiting) {
    return `waiting: ${state.waiting.reason ?? ''}`;
  }
  if (state?.terminated) {
    return `terminated: ${state.terminated.reason ?? ''} (exit ${
      state.terminated.exitCode
    })`;
  }
  return 'unknown';
}

function eventTime(event: CoreV1Event): string {
  const time =
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata?.creationTimestamp;
  return time ? new Date(time as unknown as string).toISOString() : '';
}

/**
 * `paved:kubernetes:diagnostics`: the state of an entity's workload (deployments,
 * pods and their restarts, the latest events of its objects) and of the resources
 * provisioned for it, as a readable log and as structured output. Reads only.
 */
export function createDiagnosticsAction(options: {
  kubernetes: RunbookKubernetes;
  provisioning: ProvisioningRequests;
}) {
  const { kubernetes, provisioning } = options;
  return createTemplateAction({
    id: 'paved:kubernetes:diagnostics',
    description:
      "Collects an entity's diagnostics: its pods, their conditions and restarts, the latest events of its objects, and its provisioned resources",
    supportsDryRun: true,
    examples: [
      {
        description: 'Diagnostics of orders-api',
        example: [
          'steps:',
          '  - id: diagnostics',
          '    action: paved:kubernetes:diagnostics',
          '    input:',
          '      namespace: team-checkout',
          '      entityRef: component:default/orders-api',
          '      kubernetesId: orders-api',
          '',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        namespace: z => z.string().min(1).describe('Namespace'),
        entityRef: z => z.string().min(1).describe('The entity'),
        kubernetesId: z =>
          z
            .string()
            .min(1)
            .describe("The workload's backstage.io/kubernetes-id label"),
      },
      output: {
        report: z =>
          z.record(z.string(), z.unknown()).describe('What was found'),
      },
    },
    async handler(ctx) {
      const { namespace, entityRef, kubernetesId } = ctx.input;
      const selector = `${KUBERNETES_ID_LABEL}=${kubernetesId}`;
      const [deployments, replicaSets, pods, events] = await Promise.all([
        kubernetes.listDeployments(namespace, selector),
        kubernetes.listReplicaSets(namespace, selector),
        kubernetes.listPods(namespace, selector),
        kubernetes.listEvents(namespace),
      ]);
      const names = new Set([
        ...deployments.map(d => `Deployment/${d.metadata?.name}`),
        ...replicaSets.map(r => `ReplicaSet/${r.metadata?.name}`),
        ...pods.map(p => `Pod/${p.metadata?.name}`),
      ]);
      const credentials = await ctx.getInitiatorCredentials();
      const requests = (await provisioning.list(credentials)).filter(
        request =>
          request.parameters?.component === entityRef &&
          request.state !== 'deleted',
      );

      const report: DiagnosticsReport = {
        namespace,
        deployments: deployments.map(d => ({
          name: d.metadata!.name!,
          replicas: d.spec?.replicas ?? 0,
          readyReplicas: d.status?.readyReplicas ?? 0,
          revision:
            d.metadata?.annotations?.['deployment.kubernetes.io/revision'],
          conditions: (d.status?.conditions ?? []).map(
            c => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`,
          ),
        })),
        pods: pods.map(p => {
          const statuses = p.status?.containerStatuses ?? [];
          return {
            name: p.metadata!.name!,
            phase: p.status?.phase ?? 'Unknown',
            node: p.spec?.nodeName,
            restarts: statuses.reduce((n, c) => n + c.restartCount, 0),
            conditions: (p.status?.conditions ?? []).map(
              c => `${c.type}=${c.status}`,
            ),
            containers: statuses.map(c => ({
              name: c.name,
              ready: c.ready,
              restarts: c.restartCount,
              state: containerState(c.state),
            })),
          };
        }),
        events: events
          .filter(e =>
            names.has(`${e.involvedObject.kind}/${e.involvedObject.name}`),
          )
          .map(e => ({
            time: eventTime(e),
            type: e.type ?? 'Normal',
            reason: e.reason ?? '',
            object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
            message: e.message ?? '',
            count: e.count ?? 1,
          }))
          .sort((a, b) => b.time.localeCompare(a.time))
          .slice(0, EVENT_LIMIT),
        resources: requests.map(r => ({
          type: r.type,
          name: r.name,
          state: r.state,
          lastError: r.lastError,
          expiresAt: r.expiresAt,
        })),
      };
      for (const line of formatReport(entityRef, report)) {
        ctx.logger.info(line);
      }
      ctx.output('report', JSON.parse(JSON.stringify(report)));
    },
  });
}

/** The report as log lines. */
function formatReport(entityRef: string, report: DiagnosticsReport): string[] {
  const lines = [
    `Diagnostics of ${entityRef} in namespace ${report.namespace}`,
  ];
  lines.push(`Deployments (${report.deployments.length}):`);
  for (const d of report.deployments) {
    lines.push(
      `  ${d.name}: ${d.readyReplicas}/${d.replicas} ready, revision ${
        d.revision ?? '?'
      }; ${d.conditions.join(', ')}`,
    );
  }
  lines.push(`Pods (${report.pods.length}):`);
  for (const p of report.pods) {
    lines.push(
      `  ${p.name}: ${p.phase} on ${p.node ?? '(unscheduled)'}, ${
        p.restarts
      } restarts; ${p.conditions.join(', ')}`,
    );
    for (const c of p.containers) {
      lines.push(
        `    ${c.name}: ${c.state}, ${c.ready ? 'ready' : 'not ready'}, ${
          c.restarts
        } restarts`,
      );
    }
  }
  lines.push(`Latest events (${report.events.length}, newest first):`);
  for (const e of report.events) {
    lines.push(
      `  ${e.time} ${e.type} ${e.reason} ${e.object}: ${e.message}${
        e.count > 1 ? ` (x${e.count})` : ''
      }`,
    );
  }
  lines.push(`Provisioned resources (${report.resources.length}):`);
  for (const r of report.resources) {
    lines.push(
      `  ${r.type} ${r.name}: ${r.state}${
        r.lastError ? ` (${r.lastError})` : ''
      }${r.expiresAt ? `, expires ${r.expiresAt}` : ''}`,
    );
  }
  return lines;
}
