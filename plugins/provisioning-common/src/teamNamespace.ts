import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The Kubernetes namespace of a team: `team-` followed by the group's name without a
 * trailing `-team`, so `group:default/checkout-team` deploys to `team-checkout`.
 *
 * This is the platform's one naming rule for team namespaces (docs/golden-paths.md):
 * golden paths use it through the `teamNamespace` template filter, and provisioned
 * resources deliver their Secrets there, so a team finds everything in one place.
 *
 * @public
 */
export function teamNamespace(ownerRef: string): string {
  let name: string;
  try {
    name = parseEntityRef(ownerRef, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }).name;
  } catch (error) {
    throw new InputError(
      `owner '${ownerRef}' is not an entity reference: ${
        (error as Error).message
      }`,
    );
  }
  const namespace = `team-${name
    .toLocaleLowerCase('en-US')
    .replace(/-team$/, '')}`;
  if (!DNS_LABEL.test(namespace)) {
    throw new InputError(
      `owner '${ownerRef}' gives the namespace '${namespace}', which is not a Kubernetes namespace name; the group's name must be lowercase letters, digits and hyphens, at most 58 characters`,
    );
  }
  return namespace;
}
