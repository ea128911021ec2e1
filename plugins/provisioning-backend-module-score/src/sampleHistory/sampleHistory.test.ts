import { mockServices } from '@backstage/backend-test-utils';
import { doraReport } from '@paved/plugin-deployments-common';
import { memoryDeploymentStore } from '../__testUtils__/memoryDeploymentStore';
import { DEFAULT_FAILURE_WINDOW_HOURS } from '../config';
import { sampleEnvironments, sampleHistory } from './sampleHistory';
import { seedSampleHistory } from './seedSampleHistory';

const NOW = new Date('2026-12-07T12:00:00Z');
const HOUR = 3600_000;
const WEEK = 7 * 24 * HOUR;

/**
 * The weeks the scorecard's delivery facts cover (`DELIVERY_WEEKS` of
 * @paved/plugin-scorecard-backend-module-deployments, which asks the DORA API for
 * `weeks=4`): the window of its level-4 check "Change failure rate at most 15%".
 */
const SCORECARD_WEEKS = 4;
const MAX_CHANGE_FAILURE_RATE = 0.15;

/**
 * Each sample component's level in the story of examples/org/README.md (checked
 * against the real scorecard by packages/backend/src/sampleMaturity.test.ts).
 */
const STORY_LEVELS: Record<string, number> = {
  'storefront-web': 4,
  'cart-service': 4,
  'admin-console': 3,
  'returns-service': 3,
  'checkout-service': 2,
  'payments-api': 2,
  'catalog-service': 2,
  'notification-service': 2,
  'inventory-service': 1,
  'product-feed-exporter': 1,
  'ui-kit': 1,
  'money-lib': 1,
  'ledger-service': 1,
  'fraud-detector': 1,
  'search-indexer': 1,
  'events-pipeline': 1,
};

describe('the sample organisation’s deployment history', () => {
  const history = sampleHistory({ now: NOW });

  it('is the same for the same start, within the 12 weeks before it', () => {
    expect(sampleHistory({ now: NOW })).toEqual(history);
    expect(history.length).toBeGreaterThan(200);
    for (const d of history) {
      expect(Date.parse(d.startedAt)).toBeGreaterThan(
        NOW.getTime() - 13 * 7 * 24 * HOUR,
      );
      expect(Date.parse(d.finishedAt)).toBeLessThan(NOW.getTime());
      // Commits come before their deployments.
      expect(Date.parse(d.commitTime)).toBeLessThan(Date.parse(d.startedAt));
      const environments = sampleEnvironments()[d.component];
      expect(environments).toContainEqual({
        environment: d.environment,
        stage: d.stage,
      });
    }
  });

  it('records through the store, once, with promotions and rollbacks linked', async () => {
    const store = memoryDeploymentStore();
    const logger = mockServices.logger.mock();
    expect(await seedSampleHistory({ store, logger, now: NOW })).toBe(
      history.length,
    );
    expect(await seedSampleHistory({ store, logger, now: NOW })).toBe(0);
    expect(store.records).toHaveLength(history.length);
    const ids = new Set(store.records.map(r => r.id));
    const promotions = store.records.filter(r => r.kind === 'promotion');
    const rollbacks = store.records.filter(r => r.kind === 'rollback');
    expect(promotions.length).toBeGreaterThan(100);
    expect(rollbacks.length).toBeGreaterThan(5);
    expect(
      promotions.every(r => r.promotedFrom && ids.has(r.promotedFrom)),
    ).toBe(true);
    expect(rollbacks.every(r => r.rollbackOf && ids.has(r.rollbackOf))).toBe(
      true,
    );
    expect(store.records.every(r => r.status !== 'in-progress')).toBe(true);
    expect(
      store.records.filter(r => r.status === 'failed').every(r => r.reason),
    ).toBe(true);
  });

  it('tells a story: checkout improves, payments had a bad week', async () => {
    const store = memoryDeploymentStore();
    await seedSampleHistory({
      store,
      logger: mockServices.logger.mock(),
      now: NOW,
    });
    const report = async (owner: string) =>
      doraReport(
        await store.list({ owner, stage: 'production', limit: 1000 }),
        [],
        {
          scope: owner,
          from: new Date(NOW.getTime() - 12 * 7 * 24 * HOUR),
          to: NOW,
          failureWindowHours: 24,
        },
      );
    const checkout = await report('group:default/checkout-team');
    const [first, , , ...rest] = checkout.weeks;
    const last = checkout.weeks[checkout.weeks.length - 2];
    expect(last.deploymentsPerWeek).toBeGreaterThan(
      first.deploymentsPerWeek * 3,
    );
    expect(last.leadTimeHours!).toBeLessThan(first.leadTimeHours! / 4);
    expect(rest.length).toBeGreaterThan(5);

    const payments = await report('group:default/payments-team');
    const worst = payments.weeks.reduce((a, b) =>
      (b.changeFailureRate ?? 0) > (a.changeFailureRate ?? 0) ? b : a,
    );
    expect(worst.changeFailureRate!).toBeGreaterThan(0.4);
    expect(payments.overall.changeFailureRate!).toBeLessThan(0.3);
  });

  it('agrees with the levels of the story: level 4 deploys with few failures, level 3 not yet', async () => {
    const store = memoryDeploymentStore();
    await seedSampleHistory({
      store,
      logger: mockServices.logger.mock(),
      now: NOW,
    });
    /** A component's figures as the scorecard asks for them, `hoursLater`. */
    const scorecardFigures = async (component: string, hoursLater: number) => {
      const to = new Date(NOW.getTime() + hoursLater * HOUR);
      const from = new Date(to.getTime() - SCORECARD_WEEKS * WEEK);
      // As the DORA API reads them (DeploymentService.dora).
      const records = await store.list({
        component,
        stage: 'production',
        since: from.toISOString(),
        limit: 1000,
      });
      const { overall } = doraReport(records, [], {
        scope: component,
        from,
        to,
        failureWindowHours: DEFAULT_FAILURE_WINDOW_HOURS,
      });
      return {
        deployments: overall.deployments,
        changeFailureRate: overall.changeFailureRate,
      };
    };
    const deployed = Object.keys(sampleEnvironments()).map(
      ref => ref.split('/')[1],
    );
    // Every component with a history has a place in the story.
    expect(deployed.filter(name => !(name in STORY_LEVELS))).toEqual([]);

    // The scorecard evaluates after the history is recorded: on the start that
    // recorded it, or up to a day later, the levels are the same. Below level 4 the
    // check does not count, so any rate may tell its team's story (the payments
    // team's bad week); a level-4 component must pass it.
    const failing: object[] = [];
    for (const name of deployed.filter(n => STORY_LEVELS[n] === 4)) {
      for (const hoursLater of [0, 1, 6, 24]) {
        const { deployments, changeFailureRate } = await scorecardFigures(
          `component:default/${name}`,
          hoursLater,
        );
        if (
          !(
            deployments >= 1 &&
            changeFailureRate !== undefined &&
            changeFailureRate <= MAX_CHANGE_FAILURE_RATE
          )
        ) {
          failing.push({ name, hoursLater, deployments, changeFailureRate });
        }
      }
    }
    expect(failing).toEqual([]);

    // Both level-4 components have a history, and neither level-3 one: those are
    // not deployed through Paved yet, which the story names as what holds them
    // back too ("change failure rate" needs production deployments).
    const byLevel = (level: number) =>
      Object.keys(STORY_LEVELS).filter(name => STORY_LEVELS[name] === level);
    expect(byLevel(4).filter(name => !deployed.includes(name))).toEqual([]);
    expect(byLevel(3).filter(name => deployed.includes(name))).toEqual([]);
  });
});
