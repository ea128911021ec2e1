import { createApiRef } from '@backstage/frontend-plugin-api';
import { Incident } from '@paved/plugin-incidents-common';
import { RunbookRun, RunbookSummary } from '@paved/plugin-runbooks-common';

/** The runbooks backend (and the incidents on an entity), as the tab uses them. @public */
export interface RunbooksApi {
  /** The runbooks that apply to the entity, each with its prefilled form link. */
  listRunbooks(entityRef: string): Promise<RunbookSummary[]>;
  /** The runs of runbooks on the entity, newest first. */
  listRuns(entityRef: string): Promise<RunbookRun[]>;
  /** The entity's open incidents, newest first; empty when they cannot be read. */
  listOpenIncidents(entityRef: string): Promise<Incident[]>;
}

/** @public */
export const runbooksApiRef = createApiRef<RunbooksApi>({
  id: 'plugin.runbooks.service',
});
