/*
 * One backend as the portal runs it, for the upgrade integration test: the real
 * catalog (templates, local repositories), the real scaffolder with Paved's module,
 * the upgrades plugin, and the scorecard with its upgrades module. Golden paths run
 * through the scaffolder's tasks API exactly as the Create page starts them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { notificationService } from '@backstage/plugin-notifications-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModuleLocalRepositories from '@paved/plugin-catalog-backend-module-local-repositories';
import scaffolderModulePaved from '@paved/plugin-scaffolder-backend-module-paved';
// The scorecard runs in the same backend: its check must follow the merge.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import scorecardPlugin from '@paved/plugin-scorecard-backend';
import scorecardModuleUpgrades from '@paved/plugin-scorecard-backend-module-upgrades';
import { pavedPolicyPermissions, waitFor } from '@paved/test-utils';
import { TEMPLATE_VERSION_ANNOTATION } from '@paved/plugin-upgrades-common';
import { upgradesPlugin } from '../plugin';

export const ALICE = 'user:default/alice';
export const TEMPLATE_REF = 'template:default/typescript-service';
/** The catalog module's task that lists the local repositories' checkouts. */
const LOCAL_REPOSITORIES_TASK = 'paved-local-repositories-refresh';

/** The repository's typescript-service: its current version and the kept 1.0.0. */
export const TEMPLATE_SOURCE = path.resolve(
  __dirname,
  '../../../../templates/typescript-service',
);
const RELEASE_SCRIPT = path.resolve(
  __dirname,
  '../../../../scripts/template-release.mjs',
);

/** A template folder's current version (its template.yaml's annotation). */
export function currentVersionOf(dir: string): string {
  const text = fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8');
  const match = /paved\.dev\/template-version:\s*'?([^'\s]+)'?/.exec(text);
  if (!match)
    throw new Error(
      `${dir}/template.yaml has no ${TEMPLATE_VERSION_ANNOTATION}`,
    );
  return match[1];
}

/**
 * A copy of typescript-service as it was when 1.0.0 was its current version: the
 * kept versions/1.0.0 at the top, and a changelog with only 1.0.0's entry.
 */
export function templateAtFirstRelease(oldVersion: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrades-it-template-'));
  const kept = path.join(TEMPLATE_SOURCE, 'versions', oldVersion);
  fs.cpSync(kept, dir, { recursive: true });
  const changelog = fs.readFileSync(
    path.join(TEMPLATE_SOURCE, 'CHANGELOG.md'),
    'utf8',
  );
  const first = changelog.indexOf(`## ${oldVersion}`);
  if (first < 0) throw new Error(`CHANGELOG.md has no ${oldVersion} entry`);
  const heading = changelog.slice(0, changelog.indexOf('\n## '));
  fs.writeFileSync(
    path.join(dir, 'CHANGELOG.md'),
    `${heading.trimEnd()}\n\n${changelog.slice(first)}`,
  );
  return dir;
}

/**
 * What a template author does to release the repository's current version over the
 * copy (templates/README.md): scripts/template-release.mjs keeps the released
 * version in versions/<old>/, then the new skeleton, changelog and template.yaml
 * take its place.
 */
export function publishCurrentVersion(dir: string, oldVersion: string) {
  execFileSync(process.execPath, [RELEASE_SCRIPT, dir], { stdio: 'pipe' });
  if (!fs.existsSync(path.join(dir, 'versions', oldVersion, 'template.yaml'))) {
    throw new Error(`${RELEASE_SCRIPT} kept no versions/${oldVersion}`);
  }
  fs.rmSync(path.join(dir, 'skeleton'), { recursive: true });
  fs.cpSync(
    path.join(TEMPLATE_SOURCE, 'skeleton'),
    path.join(dir, 'skeleton'),
    { recursive: true },
  );
  fs.copyFileSync(
    path.join(TEMPLATE_SOURCE, 'CHANGELOG.md'),
    path.join(dir, 'CHANGELOG.md'),
  );
  // Last: the catalog must not see the new version before its files are there.
  fs.copyFileSync(
    path.join(TEMPLATE_SOURCE, 'template.yaml'),
    path.join(dir, 'template.yaml'),
  );
}

/** The organisation the golden paths refer to: alice in the platform team. */
function writeOrganisation(dir: string): string {
  const file = path.join(dir, 'org.yaml');
  const docs = [
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform-team }
spec: { type: team, children: [] }`,
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: checkout-team }
spec: { type: team, children: [] }`,
    `apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: alice }
spec:
  profile: { displayName: Alice, email: alice@example.com }
  memberOf: [platform-team]`,
    `apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: storefront }
spec: { owner: checkout-team }`,
  ];
  fs.writeFileSync(file, `${docs.join('\n---\n')}\n`);
  return file;
}

export interface Notification {
  recipients: unknown;
  payload: { title: string; link?: string };
}

/**
 * Databases: the feature's plugins (upgrades, scorecard) on `featureDatabase`
 * (Postgres when the run has one), the catalog and the scaffolder on SQLite, each
 * plugin in its own database as in the real backend.
 */
function databasesPerPlugin(
  databases: TestDatabases,
  featureDatabase: TestDatabaseId,
) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }) {
      const id = ['upgrades', 'scorecard'].includes(plugin.getId())
        ? featureDatabase
        : 'SQLITE_3';
      return mockServices.database({ knex: await databases.init(id) });
    },
  });
}

/** The repository's sample organisation and golden paths, as app-config.yaml registers them. */
export const SAMPLE_ORGANISATION = path.resolve(
  __dirname,
  '../../../../examples/org/all.yaml',
);
export const REPOSITORY_TEMPLATES = path.resolve(
  __dirname,
  '../../../../templates/all.yaml',
);

export interface GoldenPathBackend {
  backend: TestBackend;
  server: TestBackend['server'];
  /** paved.localRepositories.directory */
  repositories: string;
  /** What the notifications service was asked to send. */
  notifications: Notification[];
  /**
   * The mock scheduler: tasks without an initial delay ran once at start; any task
   * runs again, to its end, when triggered (triggerTask), never on a timer.
   */
  scheduler: SchedulerService;
  stop(): Promise<void>;
}

export async function startGoldenPathBackend(
  options: {
    databases: TestDatabases;
    featureDatabase: TestDatabaseId;
    /** `paved.upgrades` */
    upgrades?: { sampleRepositories?: boolean };
  } & (
    | {
        /** One template folder, and a small organisation with alice in the platform team. */
        templateDir: string;
      }
    | {
        /**
         * The catalog's file locations instead, e.g. {@link SAMPLE_ORGANISATION}
         * and {@link REPOSITORY_TEMPLATES} (alice is in its platform team).
         */
        locations: string[];
      }
  ),
): Promise<GoldenPathBackend> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrades-it-'));
  const repositories = path.join(work, 'repositories');
  const notifications: Notification[] = [];
  // The test backend's scheduler runs tasks once at start, then when triggered.
  // mockServices.scheduler() is typed as the service, but is the mock with its
  // factory (the one the test backend installs by default: tasks run at start).
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(): ServiceFactory;
  };
  const locations =
    'locations' in options
      ? options.locations
      : [
          path.join(options.templateDir, 'template.yaml'),
          writeOrganisation(work),
        ];
  const backend = await startTestBackend({
    features: [
      scheduler.factory(),
      catalogPlugin,
      catalogModuleTemplateKind,
      catalogModuleLocalRepositories,
      scaffolderPlugin,
      scaffolderModulePaved,
      upgradesPlugin,
      scorecardPlugin,
      scorecardModuleUpgrades,
      databasesPerPlugin(options.databases, options.featureDatabase),
      pavedPolicyPermissions({ [ALICE]: ['group:default/platform-team'] }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          async send(n: any) {
            notifications.push(n);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          paved: {
            localRepositories: { directory: repositories },
            ...(options.upgrades ? { upgrades: options.upgrades } : {}),
          },
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'Group',
                  'User',
                  'Template',
                  'Location',
                  // The sample organisation's other kinds.
                  'API',
                  'Resource',
                  'Domain',
                ],
              },
            ],
            locations: locations.map(target => ({ type: 'file', target })),
          },
          scorecard: {
            // Off: they ask servers this backend does not run.
            providers: {
              techdocs: { enabled: false },
              incidents: { enabled: false },
              provisioning: { enabled: false },
            },
            // Evaluated on request (POST /evaluate), not on a timer.
            schedule: {
              full: {
                frequency: { hours: 24 },
                timeout: { minutes: 1 },
                initialDelay: { hours: 24 },
              },
              incremental: {
                frequency: { hours: 24 },
                timeout: { minutes: 1 },
                initialDelay: { hours: 24 },
              },
            },
          },
        },
      }),
    ],
  });
  // The local-repositories module lists the checkouts every 3 s in the portal; here
  // every 300 ms, so a golden path's register step finds its entity soon.
  const listCheckouts = setInterval(() => {
    scheduler.triggerTask(LOCAL_REPOSITORIES_TASK).catch(() => {});
  }, 300);
  return {
    backend,
    server: backend.server,
    repositories,
    notifications,
    scheduler,
    async stop() {
      clearInterval(listCheckouts);
      await backend.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

export const asAlice = () => mockCredentials.user.header(ALICE);

/** An entity from the catalog API, or undefined while it is not there. */
export async function catalogEntity(
  server: Parameters<typeof request>[0],
  ref: string,
) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  const response = await request(server)
    .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
    .set('authorization', asAlice());
  return response.status === 200 ? response.body : undefined;
}

/** The template's current version as the catalog holds it. */
export async function catalogTemplateVersion(
  server: Parameters<typeof request>[0],
) {
  const entity = await catalogEntity(server, TEMPLATE_REF);
  return entity?.metadata?.annotations?.[TEMPLATE_VERSION_ANNOTATION] as
    | string
    | undefined;
}

/**
 * Runs typescript-service through the scaffolder's tasks API as alice, as the Create
 * page does, until the task is done (its register step waits for the catalog);
 * fails with the task's log unless it completed.
 */
export async function createService(
  server: Parameters<typeof request>[0],
  name: string,
  owner = 'group:default/checkout-team',
) {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('authorization', asAlice())
    .send({
      templateRef: TEMPLATE_REF,
      values: {
        name,
        description: `The ${name} service`,
        owner,
        system: 'system:default/storefront',
        lifecycle: 'experimental',
        port: 8080,
      },
    });
  if (created.status !== 201) {
    throw new Error(
      `Creating ${name}: HTTP ${created.status} ${JSON.stringify(
        created.body,
      )}`,
    );
  }
  const id = created.body.id;
  const logOf = async () => {
    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${id}/events`)
      .set('authorization', asAlice());
    return (events.body as Array<{ body: { message?: string } }>)
      .map(e => e.body.message)
      .filter(Boolean)
      .join('\n');
  };
  let status: string | undefined;
  try {
    status = await waitFor(
      `the golden path task for ${name}`,
      async () => {
        const task = await request(server)
          .get(`/api/scaffolder/v2/tasks/${id}`)
          .set('authorization', asAlice());
        return ['completed', 'failed', 'cancelled'].includes(task.body.status)
          ? (task.body.status as string)
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (error) {
    throw new Error(`${error}; its log so far:\n${await logOf()}`);
  }
  if (status !== 'completed') {
    throw new Error(`The golden path for ${name} ${status}:\n${await logOf()}`);
  }
}
