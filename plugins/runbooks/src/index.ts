/**
 * Runbooks in the portal (new frontend system): a component's Runbooks tab.
 *
 * @packageDocumentation
 */
export { runbooksPlugin as default } from './plugin';
export { runbooksApiRef, RunbooksClient, type RunbooksApi } from './api';
