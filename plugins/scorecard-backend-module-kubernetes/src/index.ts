/**
 * Kubernetes facts for the scorecard: a fact provider as a backend module.
 *
 * @packageDocumentation
 */
export { scorecardModuleKubernetes as default } from './module';
export { createKubernetesFactProvider } from './kubernetesFactProvider';
