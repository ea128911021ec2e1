/**
 * Paved's scaffolder actions for golden paths.
 *
 * @packageDocumentation
 */
export { scaffolderModulePaved as default } from './module';
export { createLineageAction } from './actions/createLineageAction';
export { addLineage } from './lineage';
export type { Lineage } from './lineage';
