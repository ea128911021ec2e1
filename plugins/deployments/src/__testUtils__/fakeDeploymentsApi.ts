import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  DeploymentRecord,
  DoraFigures,
  DoraReport,
  WorkloadEnvironment,
} from '@paved/plugin-deployments-common';
import { DeploymentsApi, deploymentsApiRef } from '../api';

export const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

export const teamA: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-a', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const base = {
  component: 'component:default/orders',
  owner: 'group:default/team-a',
  workload: 'orders',
  createdBy: 'user:default/alice',
} as const;

export function record(
  overrides: Partial<DeploymentRecord> & Pick<DeploymentRecord, 'id'>,
): DeploymentRecord {
  return {
    ...base,
    environment: 'orders-dev',
    stage: 'development',
    requestId: 'r-dev',
    operationId: `op-${overrides.id}`,
    kind: 'deploy',
    status: 'succeeded',
    image: 'ghcr.io/acme/orders:1.4.2',
    gitRef: 'a1b2c3d',
    startedAt: '2026-11-25T10:00:00.000Z',
    finishedAt: '2026-11-25T10:00:42.000Z',
    ...overrides,
  };
}

export const devCurrent = record({ id: 'd3' });
export const stagingCurrent = record({
  id: 'd2',
  environment: 'orders-staging',
  stage: 'staging',
  requestId: 'r-staging',
  image: 'ghcr.io/acme/orders:1.4.1',
  gitRef: 'f00ba47',
  kind: 'promotion',
});
export const stagingFailed = record({
  id: 'd4',
  environment: 'orders-staging',
  stage: 'staging',
  requestId: 'r-staging',
  image: 'ghcr.io/acme/orders:1.4.2',
  status: 'failed',
  reason: 'ReplicaFailure: exceeded quota',
  startedAt: '2026-11-25T11:00:00.000Z',
  finishedAt: '2026-11-25T11:01:00.000Z',
});
export const devPrevious = record({
  id: 'd1',
  image: 'ghcr.io/acme/orders:1.4.0',
  gitRef: '0ld0ld0',
  startedAt: '2026-11-24T10:00:00.000Z',
  finishedAt: '2026-11-24T10:00:30.000Z',
});

export const environments: WorkloadEnvironment[] = [
  // Out of order on purpose: the tab orders them by stage.
  {
    environment: 'orders-staging',
    stage: 'staging',
    requestId: 'r-staging',
    state: 'ready',
    current: stagingCurrent,
    latest: stagingFailed,
    next: 'orders-prod',
  },
  {
    environment: 'orders-dev',
    stage: 'development',
    requestId: 'r-dev',
    state: 'ready',
    current: devCurrent,
    next: 'orders-staging',
  },
];

export const history: DeploymentRecord[] = [
  stagingFailed,
  devCurrent,
  stagingCurrent,
  devPrevious,
];

const figures: DoraFigures = {
  deploymentsPerWeek: 2.5,
  leadTimeHours: 26,
  changeFailureRate: 0.12,
  timeToRestoreHours: 1.5,
  deployments: 30,
  levels: {
    deploymentFrequency: 'high',
    leadTime: 'high',
    changeFailureRate: 'elite',
    timeToRestore: 'elite',
  },
};

export function doraReport(scope: string, deployments = 30): DoraReport {
  const overall =
    deployments === 0
      ? {
          deploymentsPerWeek: 0,
          deployments: 0,
          levels: { deploymentFrequency: 'low' as const },
        }
      : figures;
  return {
    scope,
    from: '2026-09-01T00:00:00.000Z',
    to: '2026-11-24T00:00:00.000Z',
    failureWindowHours: 72,
    overall,
    weeks: ['2026-11-10', '2026-11-17'].map(week => ({ ...overall, week })),
  };
}

/** An error as the backend answers it. */
export function httpError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(JSON.stringify({ error: { name: 'InputError', message } }), {
      status,
      headers: { 'content-type': 'application/json' },
    }) as any,
  );
}

export function fakeDeploymentsApi(
  overrides: Partial<Record<keyof DeploymentsApi, jest.Mock>> = {},
): jest.Mocked<DeploymentsApi> {
  const api: Record<keyof DeploymentsApi, jest.Mock> = {
    deploy: jest.fn(async () => ({
      requestId: 'r-dev',
      operationId: 'op-new',
      state: 'updating',
    })),
    promote: jest.fn(async () => ({
      requestId: 'r-staging',
      operationId: 'op-promote',
      state: 'updating',
    })),
    rollback: jest.fn(async () => ({
      requestId: 'r-dev',
      operationId: 'op-rollback',
      state: 'updating',
    })),
    listDeployments: jest.fn(async () => history),
    listEnvironments: jest.fn(async () => environments),
    getDora: jest.fn(async (query: { component?: string; owner?: string }) =>
      doraReport(query.component ?? query.owner ?? 'organisation'),
    ),
    ...overrides,
  };
  return api as unknown as jest.Mocked<DeploymentsApi>;
}

export const testApis = (api: DeploymentsApi) =>
  [
    [deploymentsApiRef, api],
    catalogApiMock({ entities: [orders, teamA] }),
  ] as const;
