import { createHash } from 'node:crypto';

/*
 * Request names are unique across every type while active (they are catalog entity
 * names), so the names the workload type derives carry everything that makes them
 * distinct: the workload and the environment, and for a resource its name too.
 *
 * The environment comes first, as in every request attached to an environment: a
 * copy of an environment names its copies `<copy>-<rest of the source's name>`
 * (`copyResourceName` of the environments module), so `dev-orders-db` copied into
 * `pr-7` is `pr-7-orders-db`, the very name the copied workload looks for. Names cut
 * with a hash do not line up that way; the resolver then also looks for the copy's
 * name (see `resolveResources`).
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
  return boundedName([environment, workload], MAX_REQUEST_NAME);
}

/** A Score type, class or id as a part of a request name. */
const namePart = (text: string) =>
  text.toLocaleLowerCase('en-US').replace(/[^a-z0-9-]/g, '-');

/**
 * The name of the request made for a workload's Score resource in an environment,
 * found there again by the next deployment. A resource with an `id` is one resource
 * shared by the workloads that give the same type, class and id (the Score
 * specification matches on all three), so it is named by the environment, the type,
 * the class (unless `default`, which an absent class means) and the id:
 * `<environment>-shared-<type>[-<class>]-<id>`. Two types with the same id are two
 * resources. The environment stays first, so that a copy of the environment gives
 * the name its copied workloads look for.
 *
 * @public
 */
export function scoreResourceRequestName(options: {
  workload: string;
  environment: string;
  resource: string;
  /** The Score resource's `type`; needed for shared resources (with `id`). */
  type?: string;
  class?: string;
  id?: string;
}): string {
  const { workload, environment, resource, type, id } = options;
  const resourceClass =
    options.class && options.class !== 'default' ? options.class : undefined;
  return boundedName(
    id
      ? [
          environment,
          'shared',
          ...(type ? [namePart(type)] : []),
          ...(resourceClass ? [namePart(resourceClass)] : []),
          namePart(id),
        ]
      : [environment, workload, resource],
    MAX_RESOURCE_REQUEST_NAME,
  );
}
