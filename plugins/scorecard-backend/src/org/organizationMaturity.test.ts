import { mockServices } from '@backstage/backend-test-utils';
import { StoredEntity } from '../database/ScorecardStore';
import { organizationMaturity } from './organizationMaturity';

const entity = (i: number, facts: StoredEntity['facts']): StoredEntity => ({
  entityRef: `component:default/c${i}`,
  kind: 'Component',
  owner: 'group:default/a',
  etag: 'e',
  factsHash: 'h',
  facts,
});

const failureRateOf = (i: number) => (i < 30 ? 0.1 : 0.3);

/** 100 components: 92 with owners, 70 with docs, 55 from golden paths... */
const entities = Array.from({ length: 100 }, (_, i) =>
  entity(i, {
    'catalog.ownerExists': i < 92,
    'catalog.hasTechDocsRef': i < 70,
    'lineage.fromGoldenPath': i < 55,
    'lineage.onLatestVersion': i < 40,
    'techdocs.built': i < 65,
    'provisioning.selfServiceResources': i < 50 ? 1 : 0,
    'provisioning.manualResources': i >= 50 && i < 60 ? 1 : 0,
    // 40 deployed to production, 30 of them with few failures.
    'deployments.productionDeployments': i < 40 ? 6 : 0,
    'deployments.changeFailureRate': i < 40 ? failureRateOf(i) : null,
  }),
);

describe('organization maturity', () => {
  const base = {
    entities,
    entityLevels: entities.map((e, i) => ({
      entityRef: e.entityRef,
      level: i < 30 ? 3 : 1,
    })),
    logger: mockServices.logger.mock(),
  };

  it('reaches the highest level whose criteria and those below are met, with evidence', async () => {
    const maturity = await organizationMaturity({
      ...base,
      adoptionShare: async () => 0.62,
      feedbackResponses: async () => 14,
    });
    expect(maturity.level).toBe(3);
    expect(maturity.levelName).toBe('Self-service');
    expect(maturity.levels.map(l => l.criteria.map(c => c.evidence))).toEqual([
      ['100 components are in the catalog'],
      [
        '92% of components have an owner that exists (≥ 90%)',
        '70% of components have TechDocs (≥ 60%)',
      ],
      [
        '55% of components were created from a golden path (≥ 50%)',
        '83% of the 60 components with infrastructure use self-service infrastructure only (≥ 60%)',
      ],
      [
        '40% of components are on the latest golden-path version (< 60%)',
        '65% of components have TechDocs that build (< 70%)',
        '62% of the people in the catalog used the portal in the last 30 days (≥ 50%)',
        '75% of the 40 components deployed to production in the last 4 weeks have a change failure rate ≤ 15% (≥ 60%)',
      ],
      [
        '14 NPS responses in the last 90 days (≥ 10)',
        '30% of scored entities are at scorecard level 3 or above (< 50%)',
      ],
    ]);
  });

  it('says when adoption or feedback data is unavailable, and counts it as unmet', async () => {
    const maturity = await organizationMaturity({
      ...base,
      adoptionShare: async () => {
        throw new Error('404');
      },
      feedbackResponses: async () => undefined,
    });
    expect(maturity.levels[3].criteria[2]).toMatchObject({
      met: false,
      evidence: expect.stringMatching(/no data/),
    });
    expect(maturity.levels[4].criteria[0].evidence).toMatch(/no data/);
  });

  it('counts the change failure rate as no data when nothing was deployed to production', async () => {
    const maturity = await organizationMaturity({
      ...base,
      entities: entities.map(e => ({
        ...e,
        facts: { ...e.facts, 'deployments.productionDeployments': 0 },
      })),
      adoptionShare: async () => 0.62,
      feedbackResponses: async () => 14,
    });
    expect(maturity.levels[3].criteria[3]).toMatchObject({
      met: false,
      evidence: expect.stringMatching(/no data/),
    });
  });

  it('keeps an organisation below Self-service at Standardized, however well it delivers (the sample organisation)', async () => {
    // Shaped like examples/org: 16 components, nearly all with owners and docs, 6
    // from golden paths, and 8 with a deployment history whose change failure rates
    // over the last 4 weeks are mostly low (storefront-web and cart-service among them).
    const rates = [0.04, 0.08, 0.08, 0.21, 0.29, 0.13, 0.13, 0.25];
    const sample = Array.from({ length: 16 }, (_, i) =>
      entity(i, {
        'catalog.ownerExists': true,
        'catalog.hasTechDocsRef': i < 11,
        'lineage.fromGoldenPath': i < 6,
        'lineage.onLatestVersion': i < 4,
        'techdocs.built': i < 11,
        'provisioning.selfServiceResources': i < 4 ? 1 : 0,
        'provisioning.manualResources': i >= 8 && i < 11 ? 1 : 0,
        'deployments.productionDeployments': i < 8 ? 24 : 0,
        'deployments.changeFailureRate': i < 8 ? rates[i] : null,
      }),
    );
    const maturity = await organizationMaturity({
      ...base,
      entities: sample,
      entityLevels: sample.map((e, i) => ({
        entityRef: e.entityRef,
        level: i < 4 ? 3 : 2,
      })),
      adoptionShare: async () => 0.62,
      feedbackResponses: async () => 14,
    });
    expect(maturity).toMatchObject({ level: 2, levelName: 'Standardized' });
    expect(maturity.levels.map(l => l.met)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    // The delivery criterion of level 4 is met on its own; it does not lift the
    // organisation past the level below it.
    expect(maturity.levels[3].criteria[3]).toMatchObject({
      met: true,
      evidence:
        '63% of the 8 components deployed to production in the last 4 weeks have a change failure rate ≤ 15% (≥ 60%)',
    });
  });
});
