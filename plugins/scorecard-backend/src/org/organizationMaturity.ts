import { LoggerService } from '@backstage/backend-plugin-api';
import { StoredEntity } from '../database/ScorecardStore';

/** A signal from another plugin that may not exist (adoption, feedback). */
export type OptionalSignal = () => Promise<number | undefined>;

export interface MaturityCriterion {
  description: string;
  /** The measured share (0..1) or count; absent when the data is unavailable. */
  value?: number;
  threshold: number;
  met: boolean;
  evidence: string;
}

export interface OrganizationMaturity {
  level: number;
  levelName: string;
  components: number;
  levels: {
    level: number;
    name: string;
    met: boolean;
    criteria: MaturityCriterion[];
  }[];
}

const NAMES = [
  'Ad hoc',
  'Standardized',
  'Self-service',
  'Optimized',
  'Product',
];

const pct = (v: number) => `${Math.round(v * 100)}%`;

/**
 * The organization's level on the same five-level model, from the stored facts of
 * every component and the optional adoption and feedback signals. A level is reached
 * when its criteria and those below are met; unavailable signals count as unmet and
 * say so.
 */
export async function organizationMaturity(options: {
  entities: StoredEntity[];
  entityLevels: { entityRef: string; level: number }[];
  adoptionShare: OptionalSignal;
  feedbackResponses: OptionalSignal;
  logger: LoggerService;
}): Promise<OrganizationMaturity> {
  const components = options.entities.filter(
    e => e.kind.toLocaleLowerCase('en-US') === 'component',
  );
  const n = components.length;
  const share = (test: (f: StoredEntity['facts']) => boolean) =>
    n === 0 ? 0 : components.filter(c => test(c.facts)).length / n;
  const withResources = components.filter(
    c =>
      Number(c.facts['provisioning.selfServiceResources'] ?? 0) +
        Number(c.facts['provisioning.manualResources'] ?? 0) >
      0,
  );
  const selfService =
    withResources.length === 0
      ? 0
      : withResources.filter(c => c.facts['provisioning.manualResources'] === 0)
          .length / withResources.length;
  // Delivery: only components deployed to production in the period have a change
  // failure rate; none (or no deployments module) is no data, not a pass.
  const deployed = components.filter(
    c => Number(c.facts['deployments.productionDeployments'] ?? 0) > 0,
  );
  const lowFailureRate =
    deployed.length === 0
      ? undefined
      : deployed.filter(
          c =>
            typeof c.facts['deployments.changeFailureRate'] === 'number' &&
            (c.facts['deployments.changeFailureRate'] as number) <= 0.15,
        ).length / deployed.length;
  const safe = async (signal: OptionalSignal, what: string) => {
    try {
      return await signal();
    } catch (error) {
      options.logger.debug(`Organization maturity: no ${what}: ${error}`);
      return undefined;
    }
  };
  const [adoption, feedback] = await Promise.all([
    safe(options.adoptionShare, 'adoption data'),
    safe(options.feedbackResponses, 'feedback data'),
  ]);
  const atLeast3 =
    options.entityLevels.length === 0
      ? 0
      : options.entityLevels.filter(l => l.level >= 3).length /
        options.entityLevels.length;

  const shareCriterion = (
    what: string,
    value: number,
    threshold: number,
    of = 'components',
  ): MaturityCriterion => ({
    description: `${what} ≥ ${pct(threshold)}`,
    value,
    threshold,
    met: value >= threshold,
    evidence: `${pct(value)} of ${of} ${what} (${
      value >= threshold ? '≥' : '<'
    } ${pct(threshold)})`,
  });
  const optional = (
    description: string,
    value: number | undefined,
    threshold: number,
    show: (v: number) => string,
    thresholdText: string,
  ): MaturityCriterion => ({
    description,
    value,
    threshold,
    met: value !== undefined && value >= threshold,
    evidence:
      value === undefined
        ? `${description}: no data (the source is not installed or did not answer)`
        : `${show(value)} (${value >= threshold ? '≥' : '<'} ${thresholdText})`,
  });

  const criteria: MaturityCriterion[][] = [
    [
      {
        description: 'components are in the catalog',
        value: n,
        threshold: 1,
        met: n >= 1,
        evidence: `${n} components are in the catalog`,
      },
    ],
    [
      shareCriterion(
        'have an owner that exists',
        share(f => f['catalog.ownerExists'] === true),
        0.9,
      ),
      shareCriterion(
        'have TechDocs',
        share(f => f['catalog.hasTechDocsRef'] === true),
        0.6,
      ),
    ],
    [
      shareCriterion(
        'were created from a golden path',
        share(f => f['lineage.fromGoldenPath'] === true),
        0.5,
      ),
      shareCriterion(
        'use self-service infrastructure only',
        selfService,
        0.6,
        `the ${withResources.length} components with infrastructure`,
      ),
    ],
    [
      shareCriterion(
        'are on the latest golden-path version',
        share(f => f['lineage.onLatestVersion'] === true),
        0.6,
      ),
      shareCriterion(
        'have TechDocs that build',
        share(f => f['techdocs.built'] === true),
        0.7,
      ),
      optional(
        'monthly active users ≥ 50% of the people in the catalog',
        adoption,
        0.5,
        v =>
          `${pct(
            v,
          )} of the people in the catalog used the portal in the last 30 days`,
        '50%',
      ),
      optional(
        'components deployed to production have a change failure rate ≤ 15%: ≥ 60% of them',
        lowFailureRate,
        0.6,
        v =>
          `${pct(v)} of the ${
            deployed.length
          } components deployed to production in the last 4 weeks have a change failure rate ≤ 15%`,
        '60%',
      ),
    ],
    [
      optional(
        'feedback collected: NPS responses in the last 90 days ≥ 10',
        feedback,
        10,
        v => `${v} NPS responses in the last 90 days`,
        '10',
      ),
      shareCriterion(
        'are at scorecard level 3 or above',
        atLeast3,
        0.5,
        'scored entities',
      ),
    ],
  ];
  let level = 0;
  const levels = criteria.map((c, i) => {
    const met = c.every(x => x.met);
    if (met && level === i) level = i + 1;
    return { level: i + 1, name: NAMES[i], met, criteria: c };
  });
  return {
    level,
    levelName: level ? NAMES[level - 1] : 'None',
    components: n,
    levels,
  };
}
