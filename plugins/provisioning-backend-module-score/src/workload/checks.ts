import {
  isImageReference,
  parseScoreWorkload,
  ScoreWorkload,
} from '@paved/plugin-deployments-common';
import { ResourceTypeLookup } from '@paved/plugin-provisioning-node';
import { JsonObject } from '@backstage/types';
import {
  RenderError,
  resolveResourceParams,
  WorkloadDefaults,
} from '../render';
import { isBuiltIn } from './builtins';
import { renderProblem } from './dryRender';
import { WorkloadVersion } from './parameters';

/**
 * The Score workload of a version, or why it is refused naming the field under
 * `prefix` (`parameters` or `input`), e.g.
 * `parameters.workload.containers.web.image: is required`.
 */
export function readWorkload(
  version: WorkloadVersion,
  prefix: string,
): { workload: ScoreWorkload } | { problem: string } {
  const parsed = parseScoreWorkload(version.workload);
  if (!parsed.ok) {
    return {
      problem: parsed.problems
        // `$.containers.web.image` → `parameters.workload.containers.web.image`
        .map(
          p => `${prefix}.workload${p.path.replace(/^\$/, '')}: ${p.message}`,
        )
        .join('; '),
    };
  }
  return { workload: parsed.workload };
}

/**
 * The params of a resource as its type receives them (`${metadata.*}` resolved),
 * or why they cannot be, naming the field under `prefix`.
 */
export function resourceParams(
  workload: ScoreWorkload,
  name: string,
): { params: JsonObject | undefined } | { problem: RenderError } {
  try {
    return { params: resolveResourceParams(workload, name) };
  } catch (error) {
    if (error instanceof RenderError) {
      return { problem: error };
    }
    throw error;
  }
}

/**
 * What a version's workload asks for that no deployment could give, checked before
 * anything is stored or applied: an invalid document, an image that is not a
 * reference, a Score resource type that no registered type provides (and that is
 * not built in), a resource's class or params its type refuses (the parser already
 * refuses placeholders naming undeclared resources), params that use another
 * resource's outputs, and whatever the renderer refuses (a dry render with
 * stand-in outputs). Placeholders naming an output a resource lacks are found at
 * deploy time, when the outputs exist.
 */
export function checkVersion(
  version: WorkloadVersion,
  prefix: 'parameters' | 'input',
  resourceTypes: ResourceTypeLookup,
  defaults: WorkloadDefaults,
): string | undefined {
  if (version.image !== '.' && !isImageReference(version.image)) {
    return `${prefix}.image: '${version.image}' is not an OCI image reference, e.g. ghcr.io/acme/orders:1.4.2`;
  }
  if (
    version.commitTime !== undefined &&
    Number.isNaN(Date.parse(version.commitTime))
  ) {
    return `${prefix}.commitTime: '${version.commitTime}' is not a date-time`;
  }
  const read = readWorkload(version, prefix);
  if ('problem' in read) {
    return read.problem;
  }
  const { workload } = read;
  const field = (path: string) => `${prefix}.workload.${path}`;
  if (version.image === '.') {
    const dotted = Object.entries(workload.containers).find(
      ([, c]) => c.image === '.',
    );
    if (dotted) {
      return `${prefix}.image: container '${dotted[0]}' is written with image '.' (the image being deployed): give the image`;
    }
  }
  const resources = workload.resources ?? {};
  for (const [name, resource] of Object.entries(resources)) {
    const resolved = resourceParams(workload, name);
    if ('problem' in resolved) {
      return `${prefix}.workload.${resolved.problem.message}`;
    }
    if (isBuiltIn(resource.type)) {
      continue;
    }
    const type = resourceTypes.forScoreType(resource.type);
    if (!type?.score) {
      const known = [
        ...resourceTypes.scoreTypes(),
        'dns',
        'environment',
        'route',
        'service',
      ].sort();
      return `${field(`resources.${name}.type`)}: no resource type provides '${
        resource.type
      }' (this portal provides ${known.join(', ')})`;
    }
    try {
      type.score.parameters({
        name,
        type: resource.type,
        class: resource.class,
        params: resolved.params,
        workload: workload.metadata.name,
      });
    } catch (error) {
      // The type names `resources.<name>...` itself.
      return `${prefix}.workload.${(error as Error).message}`;
    }
  }
  const unrenderable = renderProblem(workload, {
    ...(version.image !== '.' ? { image: version.image } : {}),
    defaults,
  });
  return unrenderable
    ? `${prefix}.workload.${unrenderable.message}`
    : undefined;
}
