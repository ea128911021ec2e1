/**
 * Builds TechDocs ahead of the first visit and re-indexes them for search; and the
 * TechDocs module that builds `dir:` docs from a staged copy (register it beside).
 *
 * @packageDocumentation
 */
export { searchModuleTechdocsPrebuild as default } from './module';
export { techdocsModuleStagedDirectories } from './techdocsModule';
export { StagedDirectoryPreparer } from './StagedDirectoryPreparer';
export { TechDocsPrebuilder } from './TechDocsPrebuilder';
export type { PrebuildSummary } from './TechDocsPrebuilder';
