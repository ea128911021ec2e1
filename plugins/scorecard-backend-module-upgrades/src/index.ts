/**
 * Template-upgrade facts for the scorecard: a fact provider as a backend module.
 *
 * @packageDocumentation
 */
export { scorecardModuleUpgrades as default } from './module';
export {
  createUpgradesFactProvider,
  changePath,
  OPEN_CHANGE,
} from './upgradesFactProvider';
