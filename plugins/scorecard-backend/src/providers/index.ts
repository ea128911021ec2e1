import { Config } from '@backstage/config';
import { FactProvider } from '@paved/plugin-scorecard-node';
import { catalogFactProvider } from './catalogFactProvider';
import {
  incidentsFactProvider,
  techdocsFactProvider,
} from './httpFactProviders';
import { lineageFactProvider } from './lineageFactProvider';
import { provisioningFactProvider } from './provisioningFactProvider';

/**
 * The providers that ship with the plugin; `scorecard.providers.<id>.enabled: false`
 * turns one off (its checks in the default track go with it).
 */
export function builtInFactProviders(config: Config): FactProvider[] {
  return [
    catalogFactProvider,
    lineageFactProvider,
    provisioningFactProvider,
    techdocsFactProvider,
    incidentsFactProvider,
  ].filter(
    p =>
      config.getOptionalBoolean(`scorecard.providers.${p.id}.enabled`) !==
      false,
  );
}

export {
  catalogFactProvider,
  incidentsFactProvider,
  lineageFactProvider,
  provisioningFactProvider,
  techdocsFactProvider,
};
