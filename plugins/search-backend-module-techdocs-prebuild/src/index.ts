/**
 * Builds TechDocs ahead of the first visit and re-indexes them for search.
 *
 * @packageDocumentation
 */
export { searchModuleTechdocsPrebuild as default } from './module';
export { TechDocsPrebuilder } from './TechDocsPrebuilder';
export type { PrebuildSummary } from './TechDocsPrebuilder';
