import { ResourceStatus } from '@paved/plugin-provisioning-common';
import { StatusContext } from '@paved/plugin-provisioning-node';
import { WorkloadCluster } from './WorkloadCluster';
import { WorkloadParameters } from './parameters';

/**
 * The `status` hook: the Deployment's replicas and image, the pods by phase, and
 * the requests serving the workload's resources.
 */
export async function describeWorkload(
  deps: { cluster: WorkloadCluster },
  ctx: StatusContext<WorkloadParameters>,
): Promise<ResourceStatus> {
  const { namespace, workload, resources } = ctx.outputs;
  if (typeof namespace !== 'string' || typeof workload !== 'string') {
    return {
      sections: [{ title: 'Workload', message: 'not deployed yet' }],
    };
  }
  const state = await deps.cluster.state({
    namespace,
    workload,
    signal: ctx.signal,
  });
  const sections: ResourceStatus['sections'] = [];
  if (!state.deployment) {
    sections.push({
      title: 'Deployment',
      message: `Deployment '${workload}' is gone from namespace '${namespace}'`,
    });
  } else {
    sections.push({
      title: 'Deployment',
      items: [
        { label: 'Namespace', value: namespace },
        {
          label: 'Ready replicas',
          value: `${state.deployment.readyReplicas}/${state.deployment.replicas}`,
        },
        {
          label: 'Updated replicas',
          value: state.deployment.updatedReplicas,
        },
        { label: 'Image', value: state.deployment.images.join(', ') },
      ],
    });
  }
  const phases = Object.entries(state.podsByPhase).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  sections.push({
    title: 'Pods',
    ...(phases.length
      ? { table: { columns: ['Phase', 'Pods'], rows: phases } }
      : { message: 'no pods' }),
  });
  if (resources && typeof resources === 'object' && !Array.isArray(resources)) {
    const rows = Object.entries(resources)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .sort(([a], [b]) => a.localeCompare(b));
    if (rows.length) {
      sections.push({
        title: 'Resources',
        table: { columns: ['Resource', 'Request'], rows },
      });
    }
  }
  return { sections };
}
