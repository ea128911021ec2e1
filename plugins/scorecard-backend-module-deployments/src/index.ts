/**
 * Delivery facts for the scorecard: a fact provider as a backend module.
 *
 * @packageDocumentation
 */
export { scorecardModuleDeployments as default } from './module';
export {
  deploymentsFactProvider,
  CHANGE_FAILURE_RATE,
  DEPLOYMENTS_PER_WEEK,
  PRODUCTION_DEPLOYMENTS,
  DELIVERY_WEEKS,
} from './deploymentsFactProvider';
