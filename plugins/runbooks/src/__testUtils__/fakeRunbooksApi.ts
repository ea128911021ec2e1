import { Entity } from '@backstage/catalog-model';
import { RunbookRun, RunbookSummary } from '@paved/plugin-runbooks-common';
import { RunbooksApi, runbooksApiRef } from '../api';

export const ordersApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
};

export const restart: RunbookSummary = {
  templateRef: 'template:default/restart-deployment',
  name: 'restart-deployment',
  title: 'Restart deployment',
  description: 'Rolls the pods of the deployment.',
  destructive: true,
  link: '/create/templates/default/restart-deployment?formData=%7B%22entityRef%22%3A%22component%3Adefault%2Forders-api%22%7D',
};

export const aRun = (overrides: Partial<RunbookRun> = {}): RunbookRun => ({
  taskId: 't1',
  templateRef: restart.templateRef,
  entityRef: 'component:default/orders-api',
  createdBy: 'user:default/bob',
  createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  outcome: 'completed',
  durationMs: 42_000,
  parameters: {
    entityRef: 'component:default/orders-api',
    deployment: 'orders-api',
  },
  link: '/create/tasks/t1',
  ...overrides,
});

export function fakeRunbooksApi(
  overrides: Partial<Record<keyof RunbooksApi, jest.Mock>> = {},
): jest.Mocked<RunbooksApi> {
  const api: Record<keyof RunbooksApi, jest.Mock> = {
    listRunbooks: jest.fn(async () => []),
    listRuns: jest.fn(async () => []),
    listOpenIncidents: jest.fn(async () => []),
    ...overrides,
  };
  return api as unknown as jest.Mocked<RunbooksApi>;
}

export const testApis = (api: RunbooksApi) => [[runbooksApiRef, api]] as const;
