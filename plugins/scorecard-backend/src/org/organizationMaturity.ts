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
 * The counts the organization's maturity is computed from: a pass over every stored
 * component's facts and every entity's level. They change only when an evaluation
 * writes, so the service keeps them per store revision instead of recomputing them
 * (and parsing every component's facts) on each request.
 */
export interface MaturityCounts {
  components: number;
  ownerExists: number;
  hasTechDocs: number;
  fromGoldenPath: number;
  onLatestVersion: number;
  techDocsBuilt: number;
  /** Components with any infrastructure, and those whose is all self-service. */
  withResources: number;
  selfServiceOnly: number;
  /** Components deployed to production, and those with a change failure rate ≤ 15%. */
  deployed: number;
  lowFailureRate: number;
  /** Scored entities (first track), and those at level 3 or above. */
  scored: number;
  atLeast3: number;
}

export function countMaturity(
  entities: StoredEntity[],
  entityLevels: { entityRef: string; level: number }[],
): MaturityCounts {
  const components = entities.filter(
    e => e.kind.toLocaleLowerCase('en-US') === 'component',
  );
  const count = (test: (f: StoredEntity['facts']) => boolean) =>
    components.filter(c => test(c.facts)).length;
  const withResources = components.filter(
    c =>
      Number(c.facts['provisioning.selfServiceResources'] ?? 0) +
        Number(c.facts['provisioning.manualResources'] ?? 0) >
      0,
  );
  // Delivery: only components deployed to production in the period have a change
  // failure rate; none (or no deployments module) is no data, not a pass.
  const deployed = components.filter(
    c => Number(c.facts['deployments.productionDeployments'] ?? 0) > 0,
  );
  return {
    components: components.length,
    ownerExists: count(f => f['catalog.ownerExists'] === true),
    hasTechDocs: count(f => f['catalog.hasTechDocsRef'] === true),
    fromGoldenPath: count(f => f['lineage.fromGoldenPath'] === true),
    onLatestVersion: count(f => f['lineage.onLatestVersion'] === true),
    techDocsBuilt: count(f => f['techdocs.built'] === true),
    withResources: withResources.length,
    selfServiceOnly: withResources.filter(
      c => c.facts['provisioning.manualResources'] === 0,
    ).length,
    deployed: deployed.length,
    lowFailureRate: deployed.filter(
      c =>
        typeof c.facts['deployments.changeFailureRate'] === 'number' &&
        (c.facts['deployments.changeFailureRate'] as number) <= 0.15,
    ).length,
    scored: entityLevels.length,
    atLeast3: entityLevels.filter(l => l.level >= 3).length,
  };
}

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
  return maturityFromCounts({
    ...options,
    counts: countMaturity(options.entities, options.entityLevels),
  });
}

/** {@link organizationMaturity} from counts made earlier by {@link countMaturity}. */
export async function maturityFromCounts(options: {
  counts: MaturityCounts;
  adoptionShare: OptionalSignal;
  feedbackResponses: OptionalSignal;
  logger: LoggerService;
}): Promise<OrganizationMaturity> {
  const counts = options.counts;
  const n = counts.components;
  const ratio = (part: number, whole: number) =>
    whole === 0 ? 0 : part / whole;
  const share = (part: number) => ratio(part, n);
  const selfService = ratio(counts.selfServiceOnly, counts.withResources);
  const lowFailureRate =
    counts.deployed === 0 ? undefined : counts.lowFailureRate / counts.deployed;
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
  const atLeast3 = ratio(counts.atLeast3, counts.scored);

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
        share(counts.ownerExists),
        0.9,
      ),
      shareCriterion('have TechDocs', share(counts.hasTechDocs), 0.6),
    ],
    [
      shareCriterion(
        'were created from a golden path',
        share(counts.fromGoldenPath),
        0.5,
      ),
      shareCriterion(
        'use self-service infrastructure only',
        selfService,
        0.6,
        `the ${counts.withResources} components with infrastructure`,
      ),
    ],
    [
      shareCriterion(
        'are on the latest golden-path version',
        share(counts.onLatestVersion),
        0.6,
      ),
      shareCriterion(
        'have TechDocs that build',
        share(counts.techDocsBuilt),
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
            counts.deployed
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
