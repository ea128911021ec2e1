import { parseEntityRef } from '@backstage/catalog-model';
import { MANAGED_BY_LABEL } from '@paved/kubernetes-access';
import { RenderError } from './RenderError';

/** RFC 1123 label: names of containers, Deployments, ConfigMaps. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1035 label: Service names must also start with a letter. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** IANA service name: what a Service's port name must be. */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

/**
 * Refuses a name that Kubernetes would refuse, rather than mangling it: two mangled
 * names could collide, and the user would not find their workload under either.
 */
export function checkDnsLabel(
  path: string,
  name: string,
  options: { service?: boolean } = {},
): void {
  const pattern = options.service ? DNS_1035_LABEL : DNS_LABEL;
  if (!pattern.test(name)) {
    throw new RenderError(
      path,
      `'${name}' is not a valid Kubernetes name: lower case letters, digits and '-', at most 63 characters, ${
        options.service
          ? 'starting with a letter (it names a Service)'
          : 'starting and ending with a letter or digit'
      }`,
    );
  }
}

export function checkPortName(path: string, name: string): void {
  if (!PORT_NAME.test(name)) {
    throw new RenderError(
      path,
      `'${name}' is not a valid Service port name: at most 15 lower case letters, digits and single '-', with at least one letter`,
    );
  }
}

/** The label the Kubernetes tab of a component finds its objects by. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** The workload (Score `metadata.name`) an object was rendered for; pruning keys on it. */
export const WORKLOAD_LABEL = 'paved.dev/workload';

/** The component's entity name, which its `backstage.io/kubernetes-id` is. */
export function kubernetesId(workload: string, component?: string): string {
  return component
    ? parseEntityRef(component, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }).name
    : workload;
}

/** The labels selecting the workload's pods: never change them (selectors are immutable). */
export function selectorLabels(workload: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': workload,
    'app.kubernetes.io/instance': workload,
  };
}

/** The labels of every object rendered for a workload. */
export function workloadLabels(options: {
  workload: string;
  environment: string;
  requestId: string;
  component?: string;
}): Record<string, string> {
  return {
    ...selectorLabels(options.workload),
    [MANAGED_BY_LABEL]: 'paved',
    [KUBERNETES_ID_LABEL]: kubernetesId(options.workload, options.component),
    [WORKLOAD_LABEL]: options.workload,
    'paved.dev/environment': options.environment,
    'paved.dev/request-id': options.requestId,
  };
}
