import { DeploymentRecord } from './deployments';
import {
  changeFailureRateLevel,
  deploymentFrequencyLevel,
  doraReport,
  DoraIncident,
  leadTimeLevel,
  median,
  timeToRestoreLevel,
} from './dora';

const ORDERS = 'component:default/orders';
const OTHER = 'component:default/billing';
let seq = 0;

function rec(partial: Partial<DeploymentRecord>): DeploymentRecord {
  seq += 1;
  const finishedAt = partial.finishedAt;
  return {
    id: `d${seq}`,
    component: ORDERS,
    owner: 'group:default/team-a',
    environment: 'prod',
    stage: 'production',
    workload: 'orders',
    kind: 'deploy',
    status: 'succeeded',
    image: `ghcr.io/acme/orders:${seq}`,
    createdBy: 'user:default/ann',
    startedAt: partial.startedAt ?? finishedAt ?? '2026-01-01T00:00:00Z',
    ...partial,
  };
}

const opts = (from: string, to: string, failureWindowHours = 24) => ({
  scope: 'component:default/orders',
  from: new Date(from),
  to: new Date(to),
  failureWindowHours,
});

describe('doraReport over two weeks', () => {
  // Monday 2026-03-02 to Monday 2026-03-16: two whole weeks.
  const records: DeploymentRecord[] = [
    // before the period, blamed by an incident before the period: counts nowhere
    rec({
      finishedAt: '2026-02-27T12:00:00Z',
      commitTime: '2026-02-27T11:00:00Z',
    }),
    // d1: lead 2 h
    rec({
      finishedAt: '2026-03-02T10:00:00Z',
      commitTime: '2026-03-02T08:00:00Z',
    }),
    // d2: lead 12 h; rolled back an hour later, restored by the rollback after 1.5 h
    rec({
      finishedAt: '2026-03-03T12:00:00Z',
      commitTime: '2026-03-03T00:00:00Z',
    }),
    rec({
      kind: 'rollback',
      startedAt: '2026-03-03T13:00:00Z',
      finishedAt: '2026-03-03T13:30:00Z',
    }),
    // staging: not counted
    rec({
      stage: 'staging',
      environment: 'staging',
      finishedAt: '2026-03-04T12:00:00Z',
      commitTime: '2026-03-04T11:00:00Z',
    }),
    // d3: a failed promotion, restored by d4 2 h later
    rec({
      kind: 'promotion',
      status: 'failed',
      startedAt: '2026-03-05T09:00:00Z',
      finishedAt: '2026-03-05T09:20:00Z',
      reason: 'ReplicaFailure: exceeded quota',
    }),
    // d4: lead 3 h 20 min
    rec({
      finishedAt: '2026-03-05T11:20:00Z',
      commitTime: '2026-03-05T08:00:00Z',
    }),
    // d5 (week 2): lead 24 h; an incident 6 h later is blamed on it
    rec({
      finishedAt: '2026-03-10T00:00:00Z',
      commitTime: '2026-03-09T00:00:00Z',
    }),
    // d6: no commit time
    rec({ finishedAt: '2026-03-12T00:00:00Z' }),
    // a rollback in another production environment blames nothing here
    rec({
      kind: 'rollback',
      environment: 'prod-eu',
      startedAt: '2026-03-12T01:00:00Z',
      finishedAt: '2026-03-12T01:10:00Z',
    }),
    // still running: not counted
    rec({ status: 'in-progress', startedAt: '2026-03-15T00:00:00Z' }),
  ];
  const incidents: DoraIncident[] = [
    {
      component: ORDERS,
      openedAt: '2026-02-28T00:00:00Z',
      resolvedAt: '2026-02-28T02:00:00Z',
    },
    {
      component: ORDERS,
      openedAt: '2026-03-10T06:00:00Z',
      resolvedAt: '2026-03-10T10:00:00Z',
    },
    // 48 h after d6, beyond the 24 h window, and still open
    { component: ORDERS, openedAt: '2026-03-14T00:00:00Z' },
  ];
  const report = doraReport(
    records,
    incidents,
    opts('2026-03-02T00:00:00Z', '2026-03-16T00:00:00Z'),
  );

  it('echoes the scope, period and window', () => {
    expect(report).toMatchObject({
      scope: 'component:default/orders',
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-16T00:00:00.000Z',
      failureWindowHours: 24,
    });
  });

  it('computes the overall figures', () => {
    // changes d1 d2 d3 d4 d5 d6; succeeded 5 over 2 weeks
    // lead 2, 3⅓, 12, 24 → (3⅓ + 12) / 2; failed d2 (rollback), d3 (failed), d5 (incident)
    // restore episodes 1.5 h (d2), 2 h (d3), 4 h (incident) → 2 h
    const o = report.overall;
    expect(o.deployments).toBe(6);
    expect(o.deploymentsPerWeek).toBe(2.5);
    expect(o.leadTimeHours).toBeCloseTo((10 / 3 + 12) / 2, 10);
    expect(o.changeFailureRate).toBe(3 / 6);
    expect(o.timeToRestoreHours).toBe(2);
    expect(o.levels).toEqual({
      deploymentFrequency: 'high',
      leadTime: 'elite',
      changeFailureRate: 'low',
      timeToRestore: 'high',
    });
  });

  it('computes each week from Monday', () => {
    expect(report.weeks.map(w => w.week)).toEqual(['2026-03-02', '2026-03-09']);
    const [w1, w2] = report.weeks;
    // week 1: d1 d2 d3 d4, succeeded 3, leads 2, 3⅓, 12, failed d2 d3, episodes 1.5, 2
    expect(w1.deployments).toBe(4);
    expect(w1.deploymentsPerWeek).toBe(3);
    expect(w1.leadTimeHours).toBeCloseTo(10 / 3, 10);
    expect(w1.changeFailureRate).toBe(2 / 4);
    expect(w1.timeToRestoreHours).toBe(1.75);
    // week 2: d5 d6, lead 24 (not < one day), failed d5, episode 4 h
    expect(w2).toEqual({
      week: '2026-03-09',
      deployments: 2,
      deploymentsPerWeek: 2,
      leadTimeHours: 24,
      changeFailureRate: 0.5,
      timeToRestoreHours: 4,
      levels: {
        deploymentFrequency: 'high',
        leadTime: 'high',
        changeFailureRate: 'low',
        timeToRestore: 'high',
      },
    });
  });
});

describe('doraReport', () => {
  it('leaves out what cannot be computed', () => {
    const report = doraReport(
      [],
      [],
      opts('2026-03-04T00:00:00Z', '2026-03-18T00:00:00Z'),
    );
    expect(report.overall).toEqual({
      deploymentsPerWeek: 0,
      deployments: 0,
      levels: { deploymentFrequency: 'low' },
    });
    // Wednesday to Wednesday touches three Monday weeks
    expect(report.weeks.map(w => w.week)).toEqual([
      '2026-03-02',
      '2026-03-09',
      '2026-03-16',
    ]);
  });

  it('counts production only', () => {
    const report = doraReport(
      [
        rec({ stage: 'staging', finishedAt: '2026-03-03T00:00:00Z' }),
        rec({ stage: 'development', finishedAt: '2026-03-03T00:00:00Z' }),
      ],
      [],
      opts('2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'),
    );
    expect(report.overall.deployments).toBe(0);
  });

  it('puts a Sunday night deployment in the week of the Monday before', () => {
    const report = doraReport(
      [
        rec({ finishedAt: '2026-03-08T23:30:00Z' }),
        rec({ finishedAt: '2026-03-09T00:00:00Z' }),
        rec({ finishedAt: '2026-03-09T00:30:00Z' }),
      ],
      [],
      opts('2026-03-02T00:00:00Z', '2026-03-16T00:00:00Z'),
    );
    expect(report.weeks.map(w => [w.week, w.deployments])).toEqual([
      ['2026-03-02', 1],
      ['2026-03-09', 2],
    ]);
  });

  it('counts only the part of a week inside the period', () => {
    // period Wednesday 03-04 to Friday 03-13 (9 days)
    const report = doraReport(
      [
        rec({ finishedAt: '2026-03-02T12:00:00Z' }), // Monday, before the period
        rec({ finishedAt: '2026-03-04T12:00:00Z' }),
        rec({ finishedAt: '2026-03-12T12:00:00Z' }),
        rec({ finishedAt: '2026-03-13T12:00:00Z' }), // after the period
      ],
      [],
      opts('2026-03-04T00:00:00Z', '2026-03-13T00:00:00Z'),
    );
    expect(report.weeks.map(w => [w.week, w.deploymentsPerWeek])).toEqual([
      ['2026-03-02', 1],
      ['2026-03-09', 1],
    ]);
    // 2 deployments over 9/7 weeks
    expect(report.overall.deploymentsPerWeek).toBeCloseTo(2 / (9 / 7), 10);
  });

  it('counts daily deployments as elite frequency', () => {
    const records = Array.from({ length: 14 }, (_, i) =>
      rec({ finishedAt: new Date(Date.UTC(2026, 2, 2 + i, 9)).toISOString() }),
    );
    const report = doraReport(
      records,
      [],
      opts('2026-03-02T00:00:00Z', '2026-03-16T00:00:00Z'),
    );
    expect(report.overall.deploymentsPerWeek).toBe(7);
    expect(report.overall.levels.deploymentFrequency).toBe('elite');
  });

  it('blames a rollback only within the failure window', () => {
    const records = [
      rec({ finishedAt: '2026-03-03T00:00:00Z' }),
      rec({
        kind: 'rollback',
        startedAt: '2026-03-04T01:00:00Z',
        finishedAt: '2026-03-04T01:30:00Z',
      }),
    ];
    const within24 = doraReport(
      records,
      [],
      opts('2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z', 24),
    );
    expect(within24.overall.changeFailureRate).toBe(0);
    expect(within24.overall.timeToRestoreHours).toBeUndefined();
    expect(within24.overall.levels.changeFailureRate).toBe('elite');

    const within48 = doraReport(
      records,
      [],
      opts('2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z', 48),
    );
    expect(within48.overall.changeFailureRate).toBe(1);
    // from the deployment's finish to the rollback's: 25.5 h
    expect(within48.overall.timeToRestoreHours).toBe(25.5);
    expect(within48.overall.levels.timeToRestore).toBe('medium');
  });

  it('does not count a rollback as a deployment', () => {
    const report = doraReport(
      [
        rec({ finishedAt: '2026-03-03T00:00:00Z' }),
        rec({
          kind: 'rollback',
          startedAt: '2026-03-03T01:00:00Z',
          finishedAt: '2026-03-03T01:05:00Z',
        }),
      ],
      [],
      opts('2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'),
    );
    expect(report.overall.deployments).toBe(1);
    expect(report.overall.deploymentsPerWeek).toBe(1);
  });

  it('blames an incident on the newest change of the component only', () => {
    const report = doraReport(
      [
        rec({ finishedAt: '2026-03-03T10:00:00Z' }),
        rec({ finishedAt: '2026-03-03T11:00:00Z', environment: 'prod-eu' }),
        rec({ finishedAt: '2026-03-03T11:00:00Z', component: OTHER }),
        rec({ finishedAt: '2026-03-03T13:00:00Z', component: OTHER }),
      ],
      [
        {
          component: ORDERS,
          openedAt: '2026-03-03T12:00:00Z',
          resolvedAt: '2026-03-03T12:30:00Z',
        },
      ],
      opts('2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'),
    );
    // the prod-eu deployment of orders at 11:00 is blamed, not the one at 10:00 nor billing's
    expect(report.overall.changeFailureRate).toBe(1 / 4);
    expect(report.overall.timeToRestoreHours).toBe(0.5);
    expect(report.overall.levels.timeToRestore).toBe('elite');
  });

  it('counts a failed deployment as a failed change, restored by the next success', () => {
    const report = doraReport(
      [
        rec({
          status: 'failed',
          startedAt: '2026-03-03T09:00:00Z',
          finishedAt: '2026-03-03T10:00:00Z',
        }),
        // another environment does not restore this one
        rec({ environment: 'prod-eu', finishedAt: '2026-03-03T11:00:00Z' }),
        rec({ finishedAt: '2026-03-03T16:00:00Z' }),
        // a failure never restored has no time to restore
        rec({
          environment: 'prod-eu',
          status: 'failed',
          startedAt: '2026-03-04T09:00:00Z',
        }),
      ],
      [],
      opts('2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'),
    );
    expect(report.overall.deployments).toBe(4);
    expect(report.overall.deploymentsPerWeek).toBe(2);
    expect(report.overall.changeFailureRate).toBe(2 / 4);
    expect(report.overall.timeToRestoreHours).toBe(6);
    // a failed deployment has no lead time
    expect(report.overall.leadTimeHours).toBeUndefined();
  });

  it('ignores commit times after the rollout', () => {
    const report = doraReport(
      [
        rec({
          finishedAt: '2026-03-03T10:00:00Z',
          commitTime: '2026-03-03T11:00:00Z',
        }),
        rec({
          finishedAt: '2026-03-04T10:00:00Z',
          commitTime: '2026-03-01T10:00:00Z',
        }),
      ],
      [],
      opts('2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'),
    );
    expect(report.overall.leadTimeHours).toBe(72);
    expect(report.overall.levels.leadTime).toBe('high');
  });

  it('refuses an empty period or window', () => {
    expect(() =>
      doraReport([], [], opts('2026-03-09T00:00:00Z', '2026-03-02T00:00:00Z')),
    ).toThrow(RangeError);
    expect(() =>
      doraReport(
        [],
        [],
        opts('2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z', 0),
      ),
    ).toThrow(/failureWindowHours/);
  });
});

describe('DORA levels (2023 bands)', () => {
  it.each([
    [14, 'elite'],
    [7, 'elite'],
    [6.9, 'high'],
    [1, 'high'],
    [0.99, 'medium'],
    [7 / 30, 'medium'],
    [0.2, 'low'],
    [0, 'low'],
  ])('deployment frequency %p per week is %s', (perWeek, level) => {
    expect(deploymentFrequencyLevel(perWeek)).toBe(level);
  });

  it.each([
    [0.5, 'elite'],
    [23.9, 'elite'],
    [24, 'high'],
    [167, 'high'],
    [168, 'medium'],
    [719, 'medium'],
    [720, 'low'],
  ])('lead time %p h is %s', (hours, level) => {
    expect(leadTimeLevel(hours)).toBe(level);
  });

  it.each([
    [0, 'elite'],
    [0.05, 'elite'],
    [0.06, 'high'],
    [0.1, 'high'],
    [0.15, 'medium'],
    [0.16, 'low'],
    [1, 'low'],
  ])('change failure rate %p is %s', (rate, level) => {
    expect(changeFailureRateLevel(rate)).toBe(level);
  });

  it.each([
    [0.5, 'elite'],
    [1, 'high'],
    [23, 'high'],
    [24, 'medium'],
    [167, 'medium'],
    [168, 'low'],
  ])('time to restore %p h is %s', (hours, level) => {
    expect(timeToRestoreLevel(hours)).toBe(level);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeUndefined();
    expect(median([3])).toBe(3);
    expect(median([3, 1])).toBe(2);
    expect(median([5, 1, 3])).toBe(3);
  });
});
