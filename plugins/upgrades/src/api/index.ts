export { upgradesApiRef } from './UpgradesApi';
export type { ListChangesQuery, UpgradesApi } from './UpgradesApi';
export { UpgradesClient } from './UpgradesClient';
