/**
 * Template upgrades in the portal (new frontend system): the golden-path card on a
 * component, change requests with their diff, and campaigns.
 *
 * @packageDocumentation
 */
export { upgradesPlugin as default } from './plugin';
export {
  upgradesApiRef,
  UpgradesClient,
  type ListChangesQuery,
  type UpgradesApi,
} from './api';
