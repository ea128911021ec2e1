export * from './AdoptionApi';
export { AdoptionClient } from './AdoptionClient';
