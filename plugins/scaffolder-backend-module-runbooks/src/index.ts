/**
 * Scaffolder actions for runbooks: authorize, Kubernetes rollouts, diagnostics and
 * self-service day-2 actions.
 *
 * @packageDocumentation
 */
export { scaffolderModuleRunbooks as default } from './module';
export type { DiagnosticsReport } from './actions/diagnostics';
