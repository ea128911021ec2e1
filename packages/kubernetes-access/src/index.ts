/**
 * How Paved's backend plugins and modules reach a Kubernetes API: the access a
 * `kubernetes` config section describes (a kubeconfig, a URL with a token, or the
 * pod's service account), checked into a KubeConfig; the objects of one kind that a
 * plugin owns; the status of a client error; and team namespaces.
 *
 * @packageDocumentation
 */
export {
  loadCheckedKubeConfig,
  loadKubeConfig,
  readKubeConfig,
  readKubernetesAccess,
  readKubernetesSection,
} from './kubernetesAccess';
export type { KubernetesAccess } from './kubernetesAccess';
export { isMissingKind, statusOf } from './kubernetesErrors';
export {
  InvalidObjectError,
  KindObjects,
  MissingKindError,
} from './KindObjects';
export { ensureNamespace, MANAGED_BY_LABEL } from './namespaces';
