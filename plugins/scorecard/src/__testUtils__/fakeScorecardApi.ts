import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  EntityScorecard,
  TrackDefinition,
} from '@paved/plugin-scorecard-common';
import {
  ImpactPreview,
  OrganizationMaturity,
  ScorecardApi,
  scorecardApiRef,
} from '../api';

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

export const ordersScorecard: EntityScorecard = {
  entityRef: 'component:default/orders',
  tracks: [
    {
      trackId: 'platform-maturity',
      title: 'Platform maturity',
      level: 1,
      levelName: 'Ad hoc',
      evaluatedAt: '2026-11-25T10:00:00.000Z',
      checks: [
        {
          checkId: 'has-owner',
          title: 'Has an owner that exists',
          level: 1,
          passed: true,
          reason: 'catalog.ownerExists is true',
        },
        {
          checkId: 'has-techdocs',
          title: 'Has TechDocs',
          description: 'Docs next to the code stay current.',
          level: 2,
          passed: false,
          reason: 'catalog.hasTechDocsRef is false (expected true)',
          howToFix: 'Add the backstage.io/techdocs-ref annotation.',
          fixUrl: '/docs/default/component/paved/techdocs/',
        },
      ],
    },
  ],
};

export const tracks: TrackDefinition[] = [
  {
    id: 'platform-maturity',
    title: 'Platform maturity',
    levels: [
      {
        level: 1,
        name: 'Ad hoc',
        checks: [
          {
            id: 'has-owner',
            title: 'Has an owner that exists',
            description: '',
            howToFix: '',
            rules: [
              { fact: 'catalog.ownerExists', operator: 'equal', value: true },
            ],
          },
        ],
      },
      {
        level: 2,
        name: 'Standardized',
        checks: [
          {
            id: 'has-techdocs',
            title: 'Has TechDocs',
            description: '',
            howToFix: '',
            rules: [
              {
                fact: 'catalog.hasTechDocsRef',
                operator: 'equal',
                value: true,
              },
            ],
          },
        ],
      },
    ],
  },
];

export const maturity: OrganizationMaturity = {
  level: 1,
  levelName: 'Ad hoc',
  components: 12,
  levels: [
    {
      level: 1,
      name: 'Ad hoc',
      met: true,
      criteria: [
        {
          description: 'components are in the catalog',
          value: 12,
          threshold: 1,
          met: true,
          evidence: '12 components are in the catalog',
        },
      ],
    },
    {
      level: 2,
      name: 'Standardized',
      met: false,
      criteria: [
        {
          description: 'have TechDocs ≥ 60%',
          value: 0.25,
          threshold: 0.6,
          met: false,
          evidence: '25% of components have TechDocs (< 60%)',
        },
      ],
    },
    ...[3, 4, 5].map(level => ({
      level,
      name: ['Self-service', 'Optimized', 'Product'][level - 3],
      met: false,
      criteria: [],
    })),
  ],
};

export const preview: ImpactPreview = {
  trackId: 'platform-maturity',
  evaluated: 12,
  movedUp: 0,
  movedDown: 2,
  unchanged: 10,
  entities: [
    { entityRef: 'component:default/orders', from: 2, to: 1 },
    { entityRef: 'component:default/billing', from: 3, to: 1 },
  ],
  distribution: [
    { level: 1, before: 4, after: 6 },
    { level: 2, before: 5, after: 4 },
    { level: 3, before: 3, after: 2 },
  ],
};

/** An error as the backend answers it. */
export function httpError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: status === 404 ? 'NotFoundError' : 'NotAllowedError',
          message,
        },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

export function fakeScorecardApi(
  overrides: Partial<Record<keyof ScorecardApi, jest.Mock>> = {},
): jest.Mocked<ScorecardApi> {
  const api: Record<keyof ScorecardApi, jest.Mock> = {
    listTracks: jest.fn(async () => tracks),
    getEntityScorecard: jest.fn(async () => ordersScorecard),
    getEntityHistory: jest.fn(async (entityRef: string) => ({
      entityRef,
      items: [
        {
          trackId: 'platform-maturity',
          level: 1,
          levelName: 'Ad hoc',
          failing: ['has-techdocs'],
          recordedAt: '2026-11-25T10:00:00.000Z',
        },
      ],
    })),
    getTeamScorecard: jest.fn(async (groupRef: string) => ({
      groupRef,
      trackId: 'platform-maturity',
      total: 2,
      levels: [
        { level: 0, name: 'None', count: 0 },
        { level: 1, name: 'Ad hoc', count: 1 },
        { level: 2, name: 'Standardized', count: 1 },
      ],
      failingChecks: [
        {
          checkId: 'has-techdocs',
          title: 'Has TechDocs',
          level: 2,
          failing: 1,
          share: 0.5,
          howToFix: 'Add the backstage.io/techdocs-ref annotation.',
          fixUrl: '/docs/default/component/paved/techdocs/',
        },
      ],
      entities: [
        { entityRef: 'component:default/orders', level: 1 },
        { entityRef: 'component:default/billing', level: 2 },
      ],
    })),
    getOrganizationLevels: jest.fn(async () => ({
      trackId: 'platform-maturity',
      total: 12,
      levels: [
        { level: 0, name: 'None', count: 1 },
        { level: 1, name: 'Ad hoc', count: 4 },
        { level: 2, name: 'Standardized', count: 5 },
        { level: 3, name: 'Self-service', count: 2 },
      ],
    })),
    getOrganizationTrend: jest.fn(async () => ({
      trackId: 'platform-maturity',
      days: [
        { day: '2026-11-24', levels: [{ level: 1, count: 5 }] },
        { day: '2026-11-25', levels: [{ level: 1, count: 4 }] },
      ],
    })),
    getOrganizationMaturity: jest.fn(async () => maturity),
    evaluate: jest.fn(async () => ({
      evaluated: 1,
      changed: 1,
      removed: 0,
      durationMs: 5,
    })),
    previewChecks: jest.fn(async () => preview),
    ...overrides,
  };
  return api as unknown as jest.Mocked<ScorecardApi>;
}

export const testApis = (api: ScorecardApi) =>
  [
    [scorecardApiRef, api],
    catalogApiMock({ entities: [orders, teamA] }),
  ] as const;
