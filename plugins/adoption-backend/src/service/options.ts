import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** The plugin's settings, from `adoption.*` in the app config. */
export interface AdoptionOptions {
  pseudonymize: boolean;
  pseudonymizationSecret?: string;
  minimumGroupSize: number;
  rawEventRetentionMs: number;
  surveyPeriodMs: number;
  docsStaleAfterMs: number;
}

const duration = (config: Config, key: string, fallback: HumanDuration) =>
  durationToMilliseconds(
    config.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );

export function readAdoptionOptions(root: Config): AdoptionOptions {
  const config = root.getOptionalConfig('adoption');
  const get = <T>(read: (c: Config) => T | undefined, fallback: T) =>
    (config && read(config)) ?? fallback;
  const minimumGroupSize = get(c => c.getOptionalNumber('minimumGroupSize'), 3);
  if (!Number.isInteger(minimumGroupSize) || minimumGroupSize < 1) {
    throw new Error(
      `adoption.minimumGroupSize must be a positive integer, got ${minimumGroupSize}`,
    );
  }
  return {
    pseudonymize: get(c => c.getOptionalBoolean('pseudonymize'), false),
    pseudonymizationSecret: config?.getOptionalString('pseudonymizationSecret'),
    minimumGroupSize,
    rawEventRetentionMs: duration(root, 'adoption.retention.rawEvents', {
      days: 90,
    }),
    surveyPeriodMs: duration(root, 'adoption.survey.period', { days: 90 }),
    docsStaleAfterMs: duration(root, 'adoption.docs.staleAfter', {
      days: 180,
    }),
  };
}
