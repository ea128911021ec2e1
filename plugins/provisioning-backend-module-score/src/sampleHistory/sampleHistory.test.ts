import { mockServices } from '@backstage/backend-test-utils';
import { doraReport } from '@paved/plugin-deployments-common';
import { memoryDeploymentStore } from '../__testUtils__/memoryDeploymentStore';
import { sampleEnvironments, sampleHistory } from './sampleHistory';
import { seedSampleHistory } from './seedSampleHistory';

const NOW = new Date('2026-12-07T12:00:00Z');
const HOUR = 3600_000;

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
});
