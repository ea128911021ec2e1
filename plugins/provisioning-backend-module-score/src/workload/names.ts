import { createHash } from 'node:crypto';

/*
 * Request names are unique across every type while active (they are catalog entity
 * names), so the names the workload type derives carry everything that makes them
 * distinct: the workload and the environment, and for a resource its name too.
 */

/** The engine's limit on request names: a DNS label. */
const MAX_REQUEST_NAME = 63;

/**
 * Resource requests stay shorter than a DNS label: types add suffixes of their own
 * (`<name>_rw` roles of a database must fit PostgreSQL's 63 bytes, bucket prefixes).
 */
const MAX_RESOURCE_REQUEST_NAME = 50;

const hashOf = (text: string) =>
  createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * `parts` joined with dashes, at most `max` characters: cut with a hash of the whole
 * when longer, so that two long names that share a prefix stay apart. Starts with a
 * letter (some types' names must) and ends with a letter or digit.
 */
function boundedName(parts: string[], max: number): string {
  let full = parts.join('-');
  if (!/^[a-z]/.test(full)) {
    full = `w${full}`;
  }
  if (full.length <= max) {
    return full;
  }
  const head = full.slice(0, max - 9).replace(/-+$/, '');
  return `${head}-${hashOf(full)}`;
}

/**
 * The name of the `workload` request of a Score workload in an environment: one
 * request per (workload, environment); later deployments are its `deploy` actions.
 *
 * @public
 */
export function workloadRequestName(
  workload: string,
  environment: string,
): string {
  return boundedName([workload, environment], MAX_REQUEST_NAME);
}

/**
 * The name of the request made for a workload's Score resource in an environment,
 * found there again by the next deployment. A resource with an `id` (Score: the
 * same type, class and id is one resource shared by workloads) is named by the
 * environment and the id instead, so that the workloads that name it share it.
 *
 * @public
 */
export function scoreResourceRequestName(options: {
  workload: string;
  environment: string;
  resource: string;
  id?: string;
}): string {
  const { workload, environment, resource, id } = options;
  return boundedName(
    id
      ? [environment, 'shared', id.replace(/[^a-z0-9-]/g, '-')]
      : [workload, environment, resource],
    MAX_RESOURCE_REQUEST_NAME,
  );
}
