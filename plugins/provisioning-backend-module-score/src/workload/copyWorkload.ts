import { JsonObject } from '@backstage/types';
import { copyResourceName } from '@paved/plugin-provisioning-backend-module-environments';
import { ScoreResource } from '@paved/plugin-deployments-common';
import { isBuiltIn } from './builtins';
import { scoreResourceRequestName } from './names';
import { CopiedFrom, WorkloadParameters } from './parameters';

/*
 * A copy of an environment copies every request attached to it, workloads and their
 * resources alike, naming each copy `copyResourceName(copy, source, sourceName)`.
 * The copied workload must use those copies, not make duplicates. Short names line
 * up by construction (see names.ts); for names cut with a hash the copied workload
 * carries the source's request names (`copiedFrom`) and looks for their copies.
 */

/** The resources of a workload document that a request of another type serves. */
function requestResources(
  workload: JsonObject,
): Array<[string, ScoreResource]> {
  const resources = (workload.resources ?? {}) as unknown as Record<
    string,
    ScoreResource
  >;
  return Object.entries(resources).filter(
    ([, resource]) =>
      resource &&
      typeof resource.type === 'string' &&
      !isBuiltIn(resource.type),
  );
}

/**
 * The name of the request that serves `resource` for the workload of these
 * parameters, as the workload itself would find it: the copy of the source's one
 * when the workload was copied, else its own name.
 */
export function copiedResourceName(
  parameters: Pick<WorkloadParameters, 'environmentName' | 'copiedFrom'>,
  resource: string,
): string | undefined {
  const { copiedFrom, environmentName } = parameters;
  const sourceName = copiedFrom?.resources[resource];
  return copiedFrom && sourceName
    ? copyResourceName(environmentName, copiedFrom.environment, sourceName)
    : undefined;
}

/**
 * The parameters of a workload's copy (the type's `environmentCopy.parameters`):
 * the source's first deployment, as a plain deploy, with where it came from. The
 * engine sets `environmentName` to the copy's.
 */
export function copyWorkloadParameters(source: WorkloadParameters): JsonObject {
  const {
    copiedFrom: _copiedFrom,
    kind: _kind,
    promotedFrom: _promotedFrom,
    ...version
  } = source;
  const workloadName = String(
    (source.workload.metadata as JsonObject | undefined)?.name ?? '',
  );
  const resources: Record<string, string> = {};
  for (const [name, resource] of requestResources(source.workload)) {
    // The name the source uses: the copy of its own source's, if it was a copy too.
    resources[name] =
      copiedResourceName(source, name) ??
      scoreResourceRequestName({
        workload: workloadName,
        environment: source.environmentName,
        resource: name,
        type: resource.type,
        class: resource.class,
        id: resource.id,
      });
  }
  const copiedFrom: CopiedFrom = {
    environment: source.environmentName,
    resources,
  };
  return { ...version, copiedFrom };
}
