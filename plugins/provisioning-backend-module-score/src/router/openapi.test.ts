import { mockServices } from '@backstage/backend-test-utils';
import {
  documentedRoutes,
  servedRoutes,
  undocumentedErrorStatuses,
} from '@paved/test-utils';
import { openApiSpec, specErrors } from '../__testUtils__/openApiSpec';
import { sampleHistory } from '../sampleHistory/sampleHistory';
import { createDeploymentsRouter } from './createRouter';

const RECORD = {
  id: 'd1',
  component: 'component:default/orders',
  owner: 'group:default/team-a',
  environment: 'orders-prod',
  stage: 'production',
  workload: 'orders',
  requestId: 'r1',
  operationId: 'o1',
  kind: 'promotion',
  status: 'succeeded',
  image: 'ghcr.io/acme/orders:1.2.0',
  gitRef: 'abc123',
  commitTime: '2026-12-07T08:00:00.000Z',
  promotedFrom: 'd0',
  createdBy: 'user:default/alice',
  startedAt: '2026-12-07T10:00:00.000Z',
  finishedAt: '2026-12-07T10:02:00.000Z',
};

const FIGURES = {
  deploymentsPerWeek: 4.5,
  leadTimeHours: 6,
  changeFailureRate: 0.1,
  timeToRestoreHours: 1.5,
  deployments: 54,
  levels: {
    deploymentFrequency: 'high',
    leadTime: 'high',
    changeFailureRate: 'elite',
    timeToRestore: 'high',
  },
};

describe('the OpenAPI document of the deployments API', () => {
  it('describes exactly the routes the router serves', () => {
    const router = createDeploymentsRouter({
      deployments: {} as any,
      httpAuth: mockServices.httpAuth(),
    });
    expect(servedRoutes(router)).toEqual(documentedRoutes(openApiSpec));
  });

  it('lists every error status the routes can answer', () => {
    expect(undocumentedErrorStatuses(openApiSpec)).toEqual([]);
  });

  it('has schemas that accept what the API returns', () => {
    expect(specErrors('DeploymentRecord', RECORD)).toEqual([]);
    expect(
      specErrors('DeploymentRecord', { ...RECORD, status: 'done' }),
    ).not.toEqual([]);
    expect(
      specErrors('WorkloadEnvironment', {
        environment: 'orders-prod',
        stage: 'production',
        requestId: 'r1',
        state: 'ready',
        current: RECORD,
        latest: {
          ...RECORD,
          id: 'd2',
          status: 'failed',
          reason: 'CrashLoopBackOff',
        },
        next: undefined,
      }),
    ).toEqual([]);
    expect(
      specErrors('DoraReport', {
        scope: 'group:default/team-a',
        from: '2026-09-14T12:00:00.000Z',
        to: '2026-12-07T12:00:00.000Z',
        failureWindowHours: 24,
        overall: FIGURES,
        weeks: [{ ...FIGURES, week: '2026-11-30' }],
      }),
    ).toEqual([]);
    expect(
      specErrors('DeploymentAccepted', {
        requestId: 'r1',
        operationId: 'o1',
        state: 'updating',
      }),
    ).toEqual([]);
    // What the sample history records is what the API serves.
    for (const sample of sampleHistory({
      now: new Date('2026-12-07T12:00:00Z'),
    }).slice(0, 50)) {
      const {
        key: _key,
        spec: _spec,
        promotedFromKey,
        rollbackOfKey,
        ...fields
      } = sample;
      expect(
        specErrors('DeploymentRecord', {
          ...fields,
          id: _key,
          ...(promotedFromKey ? { promotedFrom: promotedFromKey } : {}),
          ...(rollbackOfKey ? { rollbackOf: rollbackOfKey } : {}),
        }),
      ).toEqual([]);
    }
  });
});
