import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GoldenPathAnswers } from '@paved/plugin-upgrades-common';
import { recordingAuditor } from '@paved/test-utils';
import { DatabaseChangeStore } from '../database/DatabaseChangeStore';
import { UpgradeService } from '../service/UpgradeService';
import {
  FakeChangeTarget,
  FakeRenderer,
  FakeTemplateVersions,
  files,
} from './fakes';

/**
 * An UpgradeService on SQLite with in-memory ports: typescript-service 1.0.0 and
 * 1.1.0, and components in every situation a proposal can meet.
 */

export const TEMPLATE = 'template:default/typescript-service';
export const BOB = mockCredentials.user('user:default/bob');
export const MALLORY = mockCredentials.user('user:default/mallory');

const v100 = files({
  Dockerfile: 'FROM node:20\n',
  'README.md': '# ${{ values.name }}\n',
});
const v110 = files({
  Dockerfile: 'FROM node:22\n',
  '.dockerignore': 'node_modules\n',
  'README.md': '# ${{ values.name }}\n',
});

const component = (
  name: string,
  annotations: Record<string, string>,
  kind = 'Component',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'paved.dev/template': TEMPLATE,
      'paved.dev/template-version': '1.0.0',
      'paved.dev/repository': name,
      ...annotations,
    },
  },
  spec: { type: 'service', owner: 'payments-team', lifecycle: 'production' },
});

const answers = (
  version = '1.0.0',
  template = TEMPLATE,
): GoldenPathAnswers => ({
  template,
  version,
  values: { name: 'svc' },
});

export const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

export async function setUp() {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseChangeStore.create({
    database: mockServices.database({ knex }),
  });
  const versions = new FakeTemplateVersions({
    [TEMPLATE]: {
      changelog: [
        {
          version: '1.1.0',
          date: '2026-12-07',
          text: '- Node 22\n- .dockerignore',
        },
        { version: '1.0.0', text: '- First release' },
        { version: '0.9.0', text: '- Preview' },
      ],
      // 0.9.0 is listed but its files are gone
      files: { '1.0.0': v100, '1.1.0': v110 },
    },
  });
  const target = new FakeChangeTarget();
  const rendered = (version: typeof v100) => {
    const out = new Map(version);
    out.set('README.md', { content: Buffer.from('# svc\n') });
    return out;
  };
  target.addRepository('orders-api', {
    answers: answers(),
    files: rendered(v100),
  });
  target.addRepository('edited', {
    answers: answers(),
    files: new Map([
      ...rendered(v100),
      ['Dockerfile', { content: Buffer.from('FROM node:20-alpine\n') }],
    ]),
  });
  target.addRepository('legacy', { files: rendered(v100) });
  target.addRepository('mismatch', {
    answers: answers('1.0.0', 'template:default/go-service'),
    files: new Map(),
  });
  target.addRepository('preview', {
    answers: answers('0.9.0'),
    files: new Map(),
  });
  target.addRepository('ancient', {
    answers: answers('0.1.0'),
    files: new Map(),
  });
  target.addRepository('current', {
    answers: answers('1.1.0'),
    files: new Map(),
  });
  target.addRepository('broken', {
    answers: { ...answers(), values: { broken: true } },
    files: new Map(),
  });

  const entities = [
    component('orders-api', {}),
    component('edited', {}),
    component('legacy', {}),
    component('mismatch', {}),
    component('preview', {}),
    component('ancient', {}),
    component('current', {}),
    component('broken', {}),
    component('moved', {}),
    // A version that was never released, and so no repository (admin-console).
    component('unreleased', { 'paved.dev/template-version': '0.2.0' }),
    component('plain', {
      'paved.dev/template': '',
      'paved.dev/template-version': '',
      'paved.dev/repository': 'legacy',
    }),
    component('docs', {}, 'System'),
  ];
  const catalog = catalogServiceMock({ entities });
  const refreshEntity = jest
    .spyOn(catalog, 'refreshEntity')
    .mockResolvedValue(undefined);
  const permissions: PermissionsService = {
    async authorize(requests, options) {
      const user = (options.credentials.principal as any).userEntityRef;
      return requests.map(() => ({
        result:
          user === 'user:default/mallory'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })) as any;
    },
    async authorizeConditional() {
      throw new Error('not used');
    },
  };
  const audit = recordingAuditor();
  let now = Date.parse('2026-12-07T10:00:00.000Z');
  const service = new UpgradeService({
    store,
    versions,
    renderer: new FakeRenderer(),
    target,
    catalog,
    permissions,
    auditor: createAuditor(audit),
    logger: mockServices.logger.mock(),
    clock: { now: () => new Date((now += 1000)) },
  });
  return {
    service,
    store,
    target,
    versions,
    refreshEntity,
    audit,
    knex,
    catalog,
    permissions,
    auditor: createAuditor(audit),
  };
}

/** An auditor that records into `audit.events`, outside a backend. */
function createAuditor(audit: ReturnType<typeof recordingAuditor>) {
  return {
    async createEvent({ eventId, meta = {} }: any) {
      return {
        async success(o?: any) {
          audit.events.push({
            eventId,
            status: 'succeeded',
            meta: { ...meta, ...o?.meta },
          });
        },
        async fail({ error }: any) {
          audit.events.push({
            eventId,
            status: 'failed',
            meta,
            error: error.message,
          });
        },
      };
    },
  } as any;
}
