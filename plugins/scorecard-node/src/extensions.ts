import { createExtensionPoint } from '@backstage/backend-plugin-api';
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
