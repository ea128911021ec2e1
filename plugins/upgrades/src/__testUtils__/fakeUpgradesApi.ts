import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  Campaign,
  CampaignCounts,
  CampaignDetails,
  ChangeDiff,
  ChangeRequest,
  UpgradeStatus,
} from '@paved/plugin-upgrades-common';
import { errorResponse } from '@paved/openapi-client-utils/testUtils';
import { UpgradesApi, upgradesApiRef } from '../api';

export const ordersApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: {
      'paved.dev/template': 'template:default/typescript-service',
      'paved.dev/template-version': '1.0.0',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

export const typescriptService: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'typescript-service',
    namespace: 'default',
    title: 'TypeScript service',
    annotations: { 'paved.dev/template-version': '1.1.0' },
  },
  spec: { type: 'service' },
};

export const ENTITY_REF = 'component:default/orders-api';
export const TEMPLATE_REF = 'template:default/typescript-service';

export function aChange(overrides: Partial<ChangeRequest> = {}): ChangeRequest {
  return {
    id: 'c1',
    entityRef: ENTITY_REF,
    target: 'local',
    repository: 'orders-api',
    templateRef: TEMPLATE_REF,
    fromVersion: '1.0.0',
    toVersion: '1.1.0',
    branch: 'paved/upgrade-typescript-service-1.1.0',
    state: 'open',
    title: 'Upgrade typescript-service from 1.0.0 to 1.1.0',
    files: [
      { path: 'Dockerfile', status: 'modified', conflicted: false },
      { path: '.dockerignore', status: 'added', conflicted: false },
    ],
    conflicts: [],
    createdBy: 'user:default/alice',
    createdAt: '2026-12-08T10:00:00.000Z',
    updatedAt: '2026-12-08T10:00:00.000Z',
    ...overrides,
  };
}

export const conflictedChange = aChange({
  state: 'conflicted',
  files: [
    { path: 'Dockerfile', status: 'modified', conflicted: true },
    { path: '.dockerignore', status: 'added', conflicted: false },
  ],
  conflicts: ['Dockerfile'],
});

export function upgradeAvailable(
  overrides: Partial<UpgradeStatus> = {},
): UpgradeStatus {
  return {
    entityRef: ENTITY_REF,
    lineage: {
      templateRef: TEMPLATE_REF,
      version: '1.0.0',
      source: 'repository',
    },
    latestVersion: '1.1.0',
    available: true,
    changelog: [
      {
        version: '1.1.0',
        date: '2026-12-07',
        text: '- The Dockerfile runs as the `node` user\n- Adds a `.dockerignore`',
      },
    ],
    ...overrides,
  };
}

export const onLatest: UpgradeStatus = {
  entityRef: ENTITY_REF,
  lineage: {
    templateRef: TEMPLATE_REF,
    version: '1.1.0',
    source: 'repository',
  },
  latestVersion: '1.1.0',
  available: false,
  changelog: [],
};

export const diff: ChangeDiff = {
  changeId: 'c1',
  files: [
    {
      path: 'Dockerfile',
      status: 'modified',
      conflicted: false,
      binary: false,
      patch: [
        'diff --git a/Dockerfile b/Dockerfile',
        '--- a/Dockerfile',
        '+++ b/Dockerfile',
        '@@ -1,3 +1,4 @@',
        ' FROM node:22-slim',
        '-RUN npm ci',
        '+RUN npm ci --omit=dev',
        '+USER node',
        ' CMD ["node", "dist/index.js"]',
      ].join('\n'),
    },
    {
      path: '.dockerignore',
      status: 'added',
      conflicted: false,
      binary: false,
      patch: '@@ -0,0 +1 @@\n+node_modules',
    },
  ],
};

export const conflictedDiff: ChangeDiff = {
  changeId: 'c1',
  files: [
    {
      ...diff.files[0],
      conflicted: true,
      patch: [
        '@@ -1,3 +1,7 @@',
        ' FROM node:22-slim',
        '+<<<<<<< ours',
        '+RUN npm ci --production',
        '+=======',
        '+RUN npm ci --omit=dev',
        '+>>>>>>> theirs',
      ].join('\n'),
      conflict: {
        base: 'FROM node:22-slim\nRUN npm ci\n',
        ours: 'FROM node:22-slim\nRUN npm ci --production\n',
        theirs: 'FROM node:22-slim\nRUN npm ci --omit=dev\n',
      },
    },
    diff.files[1],
  ],
};

export function counts(
  overrides: Partial<CampaignCounts> = {},
): CampaignCounts {
  return {
    total: 4,
    notStarted: 1,
    open: 1,
    conflicted: 1,
    merged: 1,
    closed: 0,
    ...overrides,
  };
}

export const campaign: Campaign = {
  id: 'k1',
  title: 'Everyone on typescript-service 1.1.0',
  templateRef: TEMPLATE_REF,
  fromRange: '<1.1.0',
  toVersion: '1.1.0',
  deadline: '2027-01-31',
  createdBy: 'user:default/platform-lead',
  createdAt: '2026-12-08T09:00:00.000Z',
  lastRunAt: '2026-12-08T09:00:05.000Z',
  counts: counts(),
};

export const campaignDetails: CampaignDetails = {
  ...campaign,
  targets: [
    {
      entityRef: 'component:default/orders-api',
      owner: 'group:default/team-a',
      fromVersion: '1.0.0',
      state: 'merged',
      changeId: 'c1',
    },
    {
      entityRef: 'component:default/payments-api',
      owner: 'group:default/team-b',
      fromVersion: '1.0.0',
      state: 'conflicted',
      changeId: 'c2',
    },
    {
      entityRef: 'component:default/cart-api',
      owner: 'group:default/team-a',
      fromVersion: '1.0.0',
      state: 'open',
      changeId: 'c3',
    },
    {
      entityRef: 'component:default/legacy-api',
      owner: 'group:default/team-c',
      fromVersion: '0.9.0',
      state: 'not-started',
      problem: 'the repository legacy-api was not found',
    },
  ],
  progress: [
    {
      at: '2026-12-08T09:00:00.000Z',
      counts: counts({ notStarted: 4, open: 0, conflicted: 0, merged: 0 }),
    },
    {
      at: '2026-12-09T09:00:00.000Z',
      counts: counts({ notStarted: 1, open: 2, conflicted: 1, merged: 0 }),
    },
    { at: '2026-12-10T09:00:00.000Z', counts: counts() },
  ],
};

/** An error as the backend answers it. */
export function httpError(status: number, message: string) {
  return ResponseError.fromResponse(
    errorResponse(status, { name: 'Error', message }) as any,
  );
}

export function fakeUpgradesApi(
  overrides: Partial<Record<keyof UpgradesApi, jest.Mock>> = {},
): jest.Mocked<UpgradesApi> {
  const api: Record<keyof UpgradesApi, jest.Mock> = {
    getUpgradeStatus: jest.fn(async () => upgradeAvailable()),
    getTemplateVersions: jest.fn(async () => ({
      templateRef: TEMPLATE_REF,
      latest: '1.1.0',
      versions: [
        { version: '1.1.0', date: '2026-12-07', text: 'Dockerfile' },
        { version: '1.0.0', text: 'First release' },
      ],
    })),
    proposeChange: jest.fn(async () => aChange()),
    listChanges: jest.fn(async () => []),
    getChange: jest.fn(async () => aChange()),
    getChangeDiff: jest.fn(async () => diff),
    mergeChange: jest.fn(async () =>
      aChange({ state: 'merged', mergedAt: '2026-12-08T11:00:00.000Z' }),
    ),
    closeChange: jest.fn(async () => aChange({ state: 'closed' })),
    refreshChange: jest.fn(async () => aChange()),
    listCampaigns: jest.fn(async () => [campaign]),
    createCampaign: jest.fn(async () => campaign),
    getCampaign: jest.fn(async () => campaignDetails),
    runCampaign: jest.fn(async () => campaignDetails),
    ...overrides,
  };
  return api as unknown as jest.Mocked<UpgradesApi>;
}

export const testApis = (api: UpgradesApi) =>
  [
    [upgradesApiRef, api],
    catalogApiMock({ entities: [ordersApi, typescriptService] }),
  ] as const;
