import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DashboardStore, UsageRow } from '../../database/DashboardStore';
import { Pseudonymizer } from '../Pseudonymizer';
import { TeamResolver } from '../TeamResolver';
import { CatalogEntities } from './CatalogEntities';
import { DashboardScope } from './DashboardScope';
import { DocsSection } from './DocsSection';

const DAY = 86_400_000;
const NOW = new Date('2026-03-01T12:00:00Z');

const component = (name: string, docs: boolean): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: docs ? { 'backstage.io/techdocs-ref': 'dir:.' } : {},
  },
  spec: { type: 'service', owner: 'team', lifecycle: 'production' },
});

const views = (entityRef: string, events: number, users: number): UsageRow => ({
  pluginId: 'techdocs',
  action: 'navigate',
  route: '',
  subject: '',
  entityRef,
  events,
  userDays: users,
  users,
  zeroResults: 0,
  exact: true,
});

/** The store's docs rows; the docs section reads nothing else. */
const docsStore = (rows: UsageRow[]): DashboardStore => ({
  usage: async grain => (grain === 'docs' ? rows : []),
  activeUsers: async () => [],
  scaffolderRuns: async () => [],
  surveyAnswers: async () => [],
});

describe('DocsSection', () => {
  const entities = [
    component('fresh', true),
    component('old', true),
    component('never-built', true),
    component('old-unread', true),
    component('no-docs', false),
  ];
  const builtAt: Record<string, Date | undefined> = {
    fresh: new Date(NOW.getTime() - 2 * DAY),
    old: new Date(NOW.getTime() - 40 * DAY),
    'never-built': undefined,
    'old-unread': new Date(NOW.getTime() - 31 * DAY),
  };
  const catalog = catalogServiceMock({ entities });
  const auth = mockServices.auth();

  const section = (rows: UsageRow[]) => {
    const store = docsStore(rows);
    return new DocsSection({
      scope: new DashboardScope({
        store,
        teams: new TeamResolver(catalog, auth, Pseudonymizer.identity()),
        minimumGroupSize: 2,
      }),
      entities: new CatalogEntities({ catalog, auth }),
      builds: {
        buildTimes: async list =>
          list.map(entity => builtAt[entity.metadata.name]),
      },
      docsStaleAfterMs: 30 * DAY,
      now: () => NOW,
    });
  };

  it('lists docs not built within the staleness window, most read first, and hides docs read by too few', async () => {
    const ref = (name: string) =>
      stringifyEntityRef({ kind: 'Component', namespace: 'default', name });
    const result = await section([
      views(ref('fresh'), 50, 9),
      views(ref('old'), 7, 3),
      views(ref('never-built'), 12, 4),
      // One reader: not shown, its views not used to sort.
      views(ref('old-unread'), 99, 1),
    ]).read({ fromDay: 0, toDay: 1 });

    expect(result.mostRead).toEqual([
      { entityRef: ref('fresh'), views: 50, users: 9 },
      { entityRef: ref('never-built'), views: 12, users: 4 },
      { entityRef: ref('old'), views: 7, users: 3 },
    ]);
    expect(result.hidden).toBe(1);
    expect(result.stale).toEqual([
      {
        entityRef: ref('never-built'),
        lastBuiltAt: null,
        ageDays: null,
        views: 12,
      },
      {
        entityRef: ref('old'),
        lastBuiltAt: builtAt.old!.toISOString(),
        ageDays: 40,
        views: 7,
      },
      {
        entityRef: ref('old-unread'),
        lastBuiltAt: builtAt['old-unread']!.toISOString(),
        ageDays: 31,
        views: null,
      },
    ]);
    expect(result).toMatchObject({
      staleAfterDays: 30,
      docsChecked: 4,
      docsTotal: 4,
      minimumGroupSize: 2,
    });
  });
});
