/**
 * The runbooks backend: which runbooks apply to an entity, their past runs, and
 * running one on behalf of the user.
 *
 * @packageDocumentation
 */
export { runbooksPlugin as default } from './plugin';
