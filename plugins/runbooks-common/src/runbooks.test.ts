import { Entity } from '@backstage/catalog-model';
import {
  concurrentRuns,
  findConcurrentRun,
  runbookAppliesTo,
  ScaffolderTaskSummary,
  startedBefore,
} from './index';

const template = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'r', annotations },
  spec: { type: 'runbook' },
});
const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    annotations: { 'backstage.io/kubernetes-id': 'orders-api' },
  },
  spec: { type: 'service' },
};

describe('runbookAppliesTo', () => {
  it('matches the kind, one of the types and the required annotation', () => {
    expect(runbookAppliesTo(template({}), service)).toBe(true);
    expect(
      runbookAppliesTo(
        template({
          'paved.dev/runbook-applies-to-kind': 'component',
          'paved.dev/runbook-applies-to-type': 'website, service',
          'paved.dev/runbook-requires-annotation': 'backstage.io/kubernetes-id',
        }),
        service,
      ),
    ).toBe(true);
    expect(
      runbookAppliesTo(
        template({ 'paved.dev/runbook-applies-to-kind': 'Resource' }),
        service,
      ),
    ).toBe(false);
    expect(
      runbookAppliesTo(
        template({ 'paved.dev/runbook-applies-to-type': 'library' }),
        service,
      ),
    ).toBe(false);
    expect(
      runbookAppliesTo(
        template({ 'paved.dev/runbook-requires-annotation': 'x/y' }),
        service,
      ),
    ).toBe(false);
    expect(
      runbookAppliesTo({ ...template({}), spec: { type: 'service' } }, service),
    ).toBe(false);
  });
});

describe('concurrent runs', () => {
  const task = (
    id: string,
    createdAt: string,
    parameters: Record<string, unknown>,
    status = 'processing',
  ): ScaffolderTaskSummary => ({
    id,
    status,
    createdAt,
    spec: {
      parameters,
      templateInfo: { entityRef: 'template:default/restart-deployment' },
    },
  });
  const options = {
    templateRef: 'template:default/restart-deployment',
    entityRef: 'component:default/orders-api',
  };

  it('finds the oldest unfinished run of the runbook on the entity and target', () => {
    const tasks = [
      task('b', '2026-01-01T00:00:01Z', { entityRef: options.entityRef }),
      task('a', '2026-01-01T00:00:01Z', { entityRef: options.entityRef }),
      task('c', '2026-01-01T00:00:00Z', { entityRef: 'component:default/x' }),
      task(
        'd',
        '2026-01-01T00:00:00Z',
        { entityRef: options.entityRef },
        'completed',
      ),
      task('e', '2026-01-01T00:00:02Z', {
        entityRef: options.entityRef,
        deployment: 'worker',
      }),
    ];
    expect(findConcurrentRun(tasks, options)?.id).toBe('a');
    expect(
      concurrentRuns(tasks, { ...options, target: 'api', selfId: 'a' }).map(
        t => t.id,
      ),
    ).toEqual(['b']);
    expect(startedBefore(tasks[1], tasks[0])).toBe(true);
    expect(startedBefore(tasks[0], tasks[1])).toBe(false);
  });
});
