/**
 * Incidents on catalog entities: open, follow and resolve them, with a timeline
 * that includes runbook runs and time to restore statistics per service and team.
 *
 * @packageDocumentation
 */
export { incidentsPlugin as default } from './plugin';
