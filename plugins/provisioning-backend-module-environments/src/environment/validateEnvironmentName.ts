import { teamNamespace } from '@paved/plugin-provisioning-common';

/**
 * Why a request name cannot name an environment's namespace; undefined when it can.
 * The engine already checks that it is a DNS label of at most 63 characters.
 *
 * @public
 */
export function validateEnvironmentName(name: string): string | undefined {
  if (name === 'default' || name.startsWith('kube-')) {
    return `'${name}' is reserved by Kubernetes (default and names starting with kube- are)`;
  }
  if (name.startsWith('team-')) {
    return `'${name}' is reserved for team namespaces (${teamNamespace(
      'group:default/checkout-team',
    )} is checkout-team's); names starting with team- are`;
  }
  return undefined;
}
