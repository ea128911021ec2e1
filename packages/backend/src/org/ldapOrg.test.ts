import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import ldapModule from '@backstage/plugin-catalog-backend-module-ldap';
import catalogLogsModule from '@backstage/plugin-catalog-backend-module-logs';
import {
  capturingRootLogger,
  LogRecord,
  startTestSlapd,
  TestSlapd,
  waitFor,
} from '@paved/test-utils';

const ROOT = path.resolve(__dirname, '../../../..');
const SUFFIX = 'dc=acme,dc=example';
const PEOPLE = `ou=people,${SUFFIX}`;
const GROUPS = `ou=groups,${SUFFIX}`;
/** The provider id in app-config.production.yaml, and so its task's id. */
const REFRESH_TASK = 'LdapOrgEntityProvider:directory:refresh';

/**
 * The commented `catalog.providers.ldapOrg` example of app-config.production.yaml,
 * uncommented, with its ${VARIABLES} filled in: the documented block is what runs here.
 */
function productionLdapConfig(vars: Record<string, string>) {
  const text = fs.readFileSync(
    path.join(ROOT, 'app-config.production.yaml'),
    'utf8',
  );
  const block =
    /# ldapOrg-example-begin\n([\s\S]*?)\n\s*# ldapOrg-example-end/.exec(text);
  if (!block) {
    throw new Error('no ldapOrg example in app-config.production.yaml');
  }
  const yaml = block[1]
    .split('\n')
    .map(line => line.replace(/^ {2}# ?/, '  '))
    .join('\n')
    .replace(/\$\{(\w+)\}/g, (_, name: string) => {
      if (!(name in vars)) {
        throw new Error(
          `the example uses \${${name}}, which the test does not set`,
        );
      }
      return vars[name];
    });
  return parse(`catalog:\n${yaml}`).catalog;
}

function person(uid: string, cn: string, extra: string[] = []) {
  return [
    `dn: uid=${uid},${PEOPLE}`,
    'objectClass: inetOrgPerson',
    `uid: ${uid}`,
    `cn: ${cn}`,
    `sn: ${cn.split(' ').pop()}`,
    // mail is IA5 (ASCII): only for the uids that can be one.
    ...(/^[a-z0-9.-]+$/.test(uid) ? [`mail: ${uid}@acme-retail.example`] : []),
    ...extra,
    '',
  ].join('\n');
}

function groupOfNames(cn: string, members: string[]) {
  return [
    `dn: cn=${cn},${GROUPS}`,
    'objectClass: groupOfNames',
    `cn: ${cn}`,
    ...members.map(member => `member: ${member}`),
    '',
  ].join('\n');
}

/** A person of the sample organisation (examples/org/org/users.yaml). */
function sampleUser(name: string) {
  const documents = parseAllDocuments(
    fs.readFileSync(path.join(ROOT, 'examples/org/org/users.yaml'), 'utf8'),
  ).map(document => document.toJS());
  const user = documents.find(
    document => document?.kind === 'User' && document.metadata.name === name,
  );
  if (!user) throw new Error(`no ${name} in examples/org/org/users.yaml`);
  return user as {
    spec: { profile: { email: string }; memberOf: string[] };
  };
}

const uidDn = (uid: string) => `uid=${uid},${PEOPLE}`;
const groupDn = (cn: string) => `cn=${cn},${GROUPS}`;

/** Shaped like examples/org: acme > engineering > platform-team, payments-team. */
const ORG_LDIF = [
  `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people\n`,
  `dn: ${GROUPS}\nobjectClass: organizationalUnit\nou: groups\n`,
  person('grace', 'Grace Whitfield', ['title: VP of Engineering']),
  person('alice', 'Alice Nakamura', ['title: Staff Engineer, Platform']),
  person('priya', 'Priya Raman'),
  person('bob', 'Bob Okafor'),
  groupOfNames('platform-team', [uidDn('alice'), uidDn('priya')]),
  // A posixGroup: members by uid rather than by DN.
  [
    `dn: ${groupDn('payments-team')}`,
    'objectClass: posixGroup',
    'cn: payments-team',
    'gidNumber: 5001',
    'memberUid: bob',
    '',
  ].join('\n'),
  groupOfNames('engineering', [
    uidDn('grace'),
    groupDn('platform-team'),
    groupDn('payments-team'),
  ]),
  groupOfNames('acme', [groupDn('engineering')]),
].join('\n');

interface SyncedCatalog {
  slapd: TestSlapd;
  backend: Awaited<ReturnType<typeof startTestBackend>>;
  logs: LogRecord[];
  sync(): Promise<void>;
  entity(ref: string): Promise<Entity | undefined>;
  names(kind: 'user' | 'group'): Promise<string[]>;
}

/** A private slapd loaded with `ldif`, and the real catalog with the LDAP module reading it. */
async function startSyncedCatalog(ldif: string): Promise<SyncedCatalog> {
  const slapd = await startTestSlapd({ suffix: SUFFIX, ldif });
  // Runs the provider's task only when the test says so.
  const scheduler = mockServices.scheduler();
  const { records: logs, factory: loggerFactory } = capturingRootLogger();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      ldapModule,
      // As in the backend: logs why the catalog refuses an entity.
      catalogLogsModule,
      loggerFactory,
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            ...productionLdapConfig({
              LDAP_URL: slapd.url,
              LDAP_BIND_DN: slapd.adminDn,
              LDAP_BIND_SECRET: slapd.password,
              LDAP_USERS_DN: PEOPLE,
              LDAP_GROUPS_DN: GROUPS,
            }),
            rules: [{ allow: ['User', 'Group'] }],
            processingInterval: { seconds: 1 },
          },
        },
      }),
    ],
  });
  const get = (url: string) =>
    request(backend.server)
      .get(url)
      .set('authorization', mockCredentials.user.header());
  return {
    slapd,
    backend,
    logs,
    sync: () => scheduler.triggerTask(REFRESH_TASK),
    entity: async ref => {
      const [kind, name] = ref.split(':default/');
      const response = await get(
        `/api/catalog/entities/by-name/${kind}/default/${encodeURIComponent(
          name,
        )}`,
      );
      return response.status === 200 ? response.body : undefined;
    },
    names: async kind => {
      const response = await get(
        `/api/catalog/entities/by-query?filter=kind=${kind}&fields=metadata.name`,
      );
      return response.body.items
        .map((item: Entity) => item.metadata.name)
        .sort();
    },
  };
}

/** Waits until the catalog's processed entity satisfies `check`. */
function waitForEntity(
  catalog: SyncedCatalog,
  ref: string,
  check: (entity: Entity) => boolean = () => true,
) {
  return waitFor(
    ref,
    async () => {
      const entity = await catalog.entity(ref);
      return entity && check(entity) ? entity : undefined;
    },
    { timeoutMs: 30_000 },
  );
}

const relations = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef)
    .sort();

describe('the organisation from a real OpenLDAP (catalog.providers.ldapOrg)', () => {
  let catalog: SyncedCatalog;

  beforeAll(async () => {
    catalog = await startSyncedCatalog(ORG_LDIF);
  });
  afterAll(async () => {
    await catalog?.backend.stop();
    await catalog?.slapd.stop();
  });

  it('syncs users, groups, membership and nesting; removes a user who leaves; keeps the members of a renamed group', async () => {
    await catalog.sync();

    const alice = await waitForEntity(
      catalog,
      'user:default/alice',
      entity => relations(entity, 'memberOf').length > 0,
    );
    expect(alice.spec).toMatchObject({
      profile: {
        displayName: 'Alice Nakamura',
        email: 'alice@acme-retail.example',
      },
      memberOf: ['group:default/platform-team'],
    });
    expect(alice.metadata.description).toBe('Staff Engineer, Platform');
    // By uid, from the posixGroup's memberUid.
    const bob = await waitForEntity(catalog, 'user:default/bob', entity =>
      relations(entity, 'memberOf').includes('group:default/payments-team'),
    );
    expect(bob.spec?.memberOf).toEqual(['group:default/payments-team']);

    const engineering = await waitForEntity(
      catalog,
      'group:default/engineering',
      entity => relations(entity, 'parentOf').length === 2,
    );
    expect(engineering.spec).toMatchObject({
      type: 'team',
      parent: 'group:default/acme',
      children: ['group:default/payments-team', 'group:default/platform-team'],
    });
    expect(relations(engineering, 'childOf')).toEqual(['group:default/acme']);
    expect(relations(engineering, 'hasMember')).toEqual(['user:default/grace']);
    const platform = await waitForEntity(
      catalog,
      'group:default/platform-team',
      entity => relations(entity, 'hasMember').length === 2,
    );
    expect(platform.spec?.parent).toBe('group:default/engineering');
    expect(relations(platform, 'hasMember')).toEqual([
      'user:default/alice',
      'user:default/priya',
    ]);
    expect(await catalog.names('user')).toEqual([
      'alice',
      'bob',
      'grace',
      'priya',
    ]);
    expect(await catalog.names('group')).toEqual([
      'acme',
      'engineering',
      'payments-team',
      'platform-team',
    ]);

    // What the platform goes by is what the sample files give: the e-mail that the
    // OIDC resolver matches, and the ownership that sign-in puts in the token (the user
    // and the groups of its memberOf relations, Backstage's default resolution), which
    // approvals (approvers: group:default/platform-team), owner pickers, notifications
    // and team pages read.
    for (const name of ['alice', 'bob', 'priya', 'grace']) {
      const synced = (await catalog.entity(`user:default/${name}`))!;
      const sample = sampleUser(name);
      expect(synced.spec?.profile).toMatchObject({
        email: sample.spec.profile.email,
      });
      expect([
        `user:default/${name}`,
        ...relations(synced, 'memberOf'),
      ]).toEqual([
        `user:default/${name}`,
        ...sample.spec.memberOf.map(group => `group:default/${group}`),
      ]);
    }

    // priya leaves: gone on the next run (refint drops her from platform-team too).
    await catalog.slapd.modify(`dn: ${uidDn('priya')}\nchangetype: delete\n`);
    await catalog.sync();
    await waitFor(
      'priya gone from the catalog',
      async () =>
        (await catalog.entity('user:default/priya')) === undefined || undefined,
      { timeoutMs: 30_000 },
    );
    expect(await catalog.names('user')).toEqual(['alice', 'bob', 'grace']);

    // platform-team is renamed: a new name, the same members and parent.
    await catalog.slapd.modify(
      [
        `dn: ${groupDn('platform-team')}`,
        'changetype: modrdn',
        'newrdn: cn=platform',
        'deleteoldrdn: 1',
        '',
      ].join('\n'),
    );
    await catalog.sync();
    const renamed = await waitForEntity(
      catalog,
      'group:default/platform',
      entity => relations(entity, 'hasMember').length > 0,
    );
    expect(relations(renamed, 'hasMember')).toEqual(['user:default/alice']);
    expect(renamed.spec?.parent).toBe('group:default/engineering');
    await waitForEntity(catalog, 'user:default/alice', entity =>
      relations(entity, 'memberOf').includes('group:default/platform'),
    );
    await waitFor(
      'the old name gone',
      async () =>
        (await catalog.entity('group:default/platform-team')) === undefined ||
        undefined,
      { timeoutMs: 30_000 },
    );
    expect(await catalog.names('group')).toEqual([
      'acme',
      'engineering',
      'payments-team',
      'platform',
    ]);
  }, 120_000);
});

// 200: slapd's mdb refuses a DN much longer (error 80); the catalog's limit is 63.
const LONG = 'a'.repeat(200);

/** Values a real directory may hold that are not valid catalog names, and a loop. */
const HOSTILE_LDIF = [
  `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people\n`,
  `dn: ${GROUPS}\nobjectClass: organizationalUnit\nou: groups\n`,
  person('alice', 'Alice Nakamura'),
  // Valid name, hostile display values: kept as they are (JSON, never markup).
  person('zoe', 'Zoë Ångström-\u65e5\u672c "<script>"', [
    `title: ${'x'.repeat(5000)}`,
  ]),
  // uid with quotes (escaped in the DN, RFC 4514).
  [
    `dn: uid=o'brien\\"x,${PEOPLE}`,
    'objectClass: inetOrgPerson',
    `uid: o'brien"x`,
    'cn: Quote',
    'sn: Quote',
    '',
  ].join('\n'),
  person('zoë', 'Unicode Uid'),
  person(LONG, 'Long Uid'),
  groupOfNames('loop', [groupDn('loop'), uidDn('alice')]),
  groupOfNames('ok-team', [uidDn('alice'), uidDn(`o'brien\\"x`)]),
].join('\n');

describe('a directory with hostile values', () => {
  let catalog: SyncedCatalog;

  beforeAll(async () => {
    catalog = await startSyncedCatalog(HOSTILE_LDIF);
  });
  afterAll(async () => {
    await catalog?.backend.stop();
    await catalog?.slapd.stop();
  });

  it('keeps the valid entries, refuses invalid names with a logged reason, and accepts a self-loop without crashing', async () => {
    await catalog.sync();

    // Unicode, quotes, markup and a 5000-character title on a valid name: stored verbatim.
    const zoe = await waitForEntity(catalog, 'user:default/zoe');
    expect(zoe.spec?.profile).toEqual({
      displayName: 'Zoë Ångström-日本 "<script>"',
      email: 'zoe@acme-retail.example',
    });
    expect(zoe.metadata.description).toHaveLength(5000);

    // Names the catalog cannot hold (quotes, non-ASCII, over 63 characters): the
    // provider commits them, the catalog's validation refuses each one, and the logs
    // module says why on every processing pass. The rest of the sync is unaffected.
    const refused = [`o'brien"x`, 'zoë', LONG];
    await waitFor(
      'a logged reason for every refused name',
      async () =>
        refused.every(name =>
          catalog.logs.some(
            record =>
              record.level === 'warn' &&
              record.message.startsWith(
                `Policy check failed for user:default/${name};`,
              ) &&
              record.message.includes('"metadata.name" is not valid'),
          ),
        ) || undefined,
      { timeoutMs: 30_000 },
    );
    expect(await catalog.names('user')).toEqual(['alice', 'zoe']);
    const okTeam = await waitForEntity(
      catalog,
      'group:default/ok-team',
      entity => relations(entity, 'hasMember').length > 0,
    );
    // The refused member is simply absent.
    expect(relations(okTeam, 'hasMember')).toEqual(['user:default/alice']);

    // A group that contains itself: the module makes it its own parent and child.
    // The catalog accepts that (a self-relation, no crash); its real members stay.
    const loop = await waitForEntity(
      catalog,
      'group:default/loop',
      entity => relations(entity, 'hasMember').length > 0,
    );
    expect(loop.spec).toMatchObject({
      parent: 'group:default/loop',
      children: ['group:default/loop'],
    });
    expect(relations(loop, 'hasMember')).toEqual(['user:default/alice']);
    expect(relations(loop, 'childOf')).toEqual(['group:default/loop']);
    expect(catalog.logs.filter(record => record.level === 'error')).toEqual([]);
  }, 60_000);
});

describe('the LDAP module without catalog.providers.ldapOrg', () => {
  it('starts and schedules nothing, as in production without the example', async () => {
    const scheduler = mockServices.scheduler();
    const { records, factory: loggerFactory } = capturingRootLogger();
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        ldapModule,
        loggerFactory,
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    try {
      const tasks = await scheduler.getScheduledTasks();
      expect(tasks.map(task => task.id)).not.toContainEqual(
        expect.stringContaining('LdapOrgEntityProvider'),
      );
      expect(records.filter(record => record.level === 'error')).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});
