import { ResponseError } from '@backstage/errors';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AdoptionApi, adoptionApiRef } from '../api';

const header = {
  from: '2026-10-28',
  to: '2026-11-26',
  minimumGroupSize: 3,
};

/** A dashboard with a little of everything. */
export const figures = {
  activeUsers: {
    ...header,
    days: [
      { day: '2026-11-25', dau: 40, wau: 90, mau: 120, stickiness: 0.3333 },
      { day: '2026-11-26', dau: 42, wau: 95, mau: 125, stickiness: 0.336 },
    ],
  },
  usage: {
    ...header,
    plugins: [
      {
        pluginId: 'catalog',
        events: 1200,
        users: 80,
        usersExact: false,
        userDays: 400,
      },
      {
        pluginId: 'provisioning',
        events: 300,
        users: 25,
        usersExact: false,
        userDays: 60,
      },
    ],
    pages: [
      {
        pluginId: 'catalog',
        route: 'catalog:entity',
        events: 900,
        users: 70,
        usersExact: false,
        userDays: 300,
      },
    ],
    actions: [
      {
        pluginId: 'provisioning',
        action: 'request-create',
        events: 60,
        users: 20,
        usersExact: false,
        userDays: 40,
      },
      // Agents' calls through the MCP server, per tool.
      {
        pluginId: 'agents',
        action: 'provisioning.plan-request',
        events: 30,
        users: 5,
        usersExact: false,
        userDays: 8,
      },
      {
        pluginId: 'agents',
        action: 'provisioning.submit-request',
        events: 10,
        users: 4,
        usersExact: false,
        userDays: 6,
      },
    ],
    hidden: { plugins: 2, pages: 0, actions: 0 },
  },
  searches: {
    ...header,
    totalSearches: 500,
    searchesWithoutResults: 50,
    topTerms: [{ term: 'postgres', searches: 120, users: 30, noResults: 0 }],
    noResultTerms: [{ term: 'kafka', searches: 20, users: 6, noResults: 20 }],
    hidden: 4,
  },
  goldenPaths: {
    ...header,
    templates: [
      {
        templateRef: 'template:default/node-service',
        title: 'Node.js service',
        inCatalog: true,
        suppressed: false,
        runs: 20,
        succeeded: 18,
        failed: 1,
        cancelled: 1,
        successRate: 0.9,
        medianDurationMs: 95_000,
        timeSavedPerRunMs: 14_400_000,
        timeSavedMs: 259_200_000,
        components: 31,
      },
    ],
    components: { total: 100, fromTemplates: 40, share: 0.4 },
  },
  docs: {
    ...header,
    mostRead: [
      { entityRef: 'component:default/payments', views: 300, users: 25 },
    ],
    hidden: 0,
    staleAfterDays: 180,
    stale: [
      {
        entityRef: 'component:default/legacy-billing',
        lastBuiltAt: null,
        ageDays: null,
        views: 12,
      },
    ],
    docsChecked: 10,
    docsTotal: 10,
  },
  nps: {
    ...header,
    responses: 30,
    promoters: 15,
    passives: 9,
    detractors: 6,
    score: 30,
    trend: [
      { month: '2026-10', responses: 10, score: 20 },
      { month: '2026-11', responses: 20, score: 35 },
    ],
    comments: [
      {
        month: '2026-11',
        score: 9,
        comment: 'Self-service databases are great',
      },
    ],
  },
};

/** The same sections with nothing recorded yet. */
export const noFigures = {
  activeUsers: {
    ...header,
    days: [
      { day: '2026-11-26', dau: null, wau: null, mau: null, stickiness: null },
    ],
  },
  usage: {
    ...header,
    plugins: [],
    pages: [],
    actions: [],
    hidden: { plugins: 0, pages: 0, actions: 0 },
  },
  searches: {
    ...header,
    totalSearches: 0,
    searchesWithoutResults: 0,
    topTerms: [],
    noResultTerms: [],
    hidden: 0,
  },
  goldenPaths: {
    ...header,
    templates: [],
    components: { total: 0, fromTemplates: 0, share: null },
  },
  docs: {
    ...header,
    mostRead: [],
    hidden: 0,
    staleAfterDays: 180,
    stale: [],
    docsChecked: 0,
    docsTotal: 0,
  },
  nps: {
    ...header,
    responses: 0,
    promoters: 0,
    passives: 0,
    detractors: 0,
    score: null,
    trend: [],
    comments: [],
  },
};

export function fakeAdoptionApi(
  data: typeof figures | typeof noFigures = figures,
  overrides: Partial<Record<keyof AdoptionApi, jest.Mock>> = {},
): jest.Mocked<AdoptionApi> {
  const api: Record<keyof AdoptionApi, jest.Mock> = {
    getActiveUsers: jest.fn(async () => data.activeUsers),
    getUsage: jest.fn(async () => data.usage),
    getSearches: jest.fn(async () => data.searches),
    getGoldenPaths: jest.fn(async () => data.goldenPaths),
    getDocs: jest.fn(async () => data.docs),
    getNps: jest.fn(async () => data.nps),
    refresh: jest.fn(async () => ({ days: 1 })),
    getSurveyStatus: jest.fn(async () => ({
      show: false,
      lastResponseAt: null,
      lastDismissalAt: null,
      nextSurveyAt: null,
    })),
    respondToSurvey: jest.fn(async () => undefined),
    dismissSurvey: jest.fn(async () => undefined),
    ...overrides,
  };
  return api as unknown as jest.Mocked<AdoptionApi>;
}

/** A 403 as the backend answers it. */
export function forbidden() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message: 'Unauthorized' },
      }),
      { status: 403, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

export const testApis = (api: AdoptionApi) =>
  [
    [adoptionApiRef, api],
    catalogApiMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'payments-team', namespace: 'default' },
          spec: {
            type: 'team',
            profile: { displayName: 'Payments' },
            children: [],
          },
        },
      ],
    }),
  ] as const;
