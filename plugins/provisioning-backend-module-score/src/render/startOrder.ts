import { ScoreWorkload } from '@paved/plugin-deployments-common';
import { RenderError } from './RenderError';

/** How a container runs relative to the others. */
export type ContainerRole =
  /** An ordinary container. */
  | 'main'
  /** Runs to completion before the others start (an init container). */
  | 'init'
  /** Starts before the others and keeps running (a native sidecar: init, restartPolicy Always). */
  | 'sidecar';

/**
 * The role of each container from the `before` of the others: a container another
 * waits to `complete` is an init container; one another waits to be `started` or
 * `healthy` is a sidecar, which Kubernetes starts (and, with a startup probe, waits
 * for) before the main containers.
 */
export function containerRoles(
  workload: ScoreWorkload,
): Map<string, ContainerRole> {
  const roles = new Map<string, ContainerRole>(
    Object.keys(workload.containers).map(name => [name, 'main']),
  );
  for (const [name, container] of Object.entries(workload.containers)) {
    for (const [other, { ready }] of Object.entries(container.before ?? {})) {
      const at = `containers.${name}.before.${other}`;
      if (!roles.has(other) || other === name) {
        throw new RenderError(
          at,
          `'${other}' is not another container of the workload`,
        );
      }
      const role: ContainerRole = ready === 'complete' ? 'init' : 'sidecar';
      const current = roles.get(other);
      if (current !== 'main' && current !== role) {
        throw new RenderError(
          at,
          `other containers wait for '${other}' both to complete and to start`,
        );
      }
      roles.set(other, role);
    }
  }
  if ([...roles.values()].every(role => role !== 'main')) {
    throw new RenderError(
      'containers',
      'every container runs before another: at least one must not',
    );
  }
  return roles;
}
