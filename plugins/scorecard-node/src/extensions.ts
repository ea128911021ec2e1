import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { CheckType } from './CheckType';
import { FactProvider } from './FactProvider';

/**
 * Adds fact providers to the scorecard; a module per provider.
 *
 * @public
 */
export interface ScorecardFactProvidersExtensionPoint {
  addFactProvider(...providers: FactProvider[]): void;
}

/** @public */
export const scorecardFactProvidersExtensionPoint =
  createExtensionPoint<ScorecardFactProvidersExtensionPoint>({
    id: 'scorecard.fact-providers',
  });

/**
 * Adds check types (rule operators) to the scorecard; a module per type. A rule
 * with an operator nobody added is refused at start-up, naming its check.
 *
 * @public
 */
export interface ScorecardCheckTypesExtensionPoint {
  addCheckType(...types: CheckType[]): void;
}

/** @public */
export const scorecardCheckTypesExtensionPoint =
  createExtensionPoint<ScorecardCheckTypesExtensionPoint>({
    id: 'scorecard.check-types',
  });
