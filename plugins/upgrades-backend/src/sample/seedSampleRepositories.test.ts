import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import {
  FakeRenderer,
  FakeTemplateVersions,
  files,
} from '../__testUtils__/fakes';
import { gitText, runGit } from '../git/runGit';
import { TemplateRenderer, TemplateVersions } from '../ports';
import {
  answersOf,
  sampleTeamEdit,
  scheduleSampleRepositories,
  seedSampleRepositories,
} from './seedSampleRepositories';

const component = (
  name: string,
  annotations: Record<string, string> = {},
  spec: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    description: `  The ${name}.  `,
    annotations,
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'checkout-team',
    system: 'storefront',
    ...spec,
  },
});

const goldenPath = (template: string, version: string) => ({
  'paved.dev/template': template,
  'paved.dev/template-version': version,
});

// The template at 1.0.0, rendered by the fake renderer with the answers.
const skeleton = files({
  'README.md': '# ${{ values.name }}\n\n${{ values.description }}\n',
  'src/app.ts':
    'export function createApp() {\n  app.use(express.json());\n  return app;\n}\n',
  Dockerfile: 'FROM node:20\n',
  '.paved/golden-path.yaml':
    'template: template:default/typescript-service\nversion: 1.0.0\nvalues:\n  owner: ${{ values.owner }}\n  system: ${{ values.system }}\n  port: ${{ values.port }}\n',
});

const nameOf = (e: Entity) => e.metadata.name;

describe('seedSampleRepositories', () => {
  let dir: string;
  let repositories: LocalRepositories;
  /** Released versions whose form has defaults (port), as template.yaml does. */
  const versions = (): TemplateVersions => {
    const fake = new FakeTemplateVersions({
      'template:default/typescript-service': {
        changelog: [{ version: '1.0.0', text: '' }],
        files: { '1.0.0': skeleton },
      },
    });
    return {
      list: ref => fake.list(ref),
      read: async (ref, version) => {
        const read = await fake.read(ref, version);
        return {
          ...read,
          entity: {
            ...read.entity,
            spec: {
              ...read.entity.spec,
              parameters: [
                { properties: { name: { type: 'string' } } },
                {
                  properties: {
                    port: { type: 'integer', default: 8080 },
                    lifecycle: { type: 'string', default: 'experimental' },
                  },
                },
              ],
            },
          },
        };
      },
    };
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-sample-test-'));
    repositories = new LocalRepositories(dir);
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const git = (name: string, ...args: string[]) =>
    gitText(runGit, [
      '--git-dir',
      fileURLToPath(repositories.remoteUrl(name)),
      ...args,
    ]);

  it("publishes each released golden-path component's render, then the team's edit on top, without a checkout", async () => {
    const catalog = catalogServiceMock({
      entities: [
        component(
          'cart-service',
          goldenPath('template:default/typescript-service', '1.0.0'),
        ),
        component(
          'admin-console',
          goldenPath('template:default/react-web-app', '0.9.0'),
        ),
        component('payments-api'),
        {
          ...component('ui-kit'),
          kind: 'Resource',
        },
      ],
    });
    const logger = mockServices.logger.mock();
    const read = jest.spyOn(catalog, 'getEntities');
    const summary = await seedSampleRepositories({
      catalog,
      credentials: mockCredentials.service(),
      versions: versions(),
      renderer: new FakeRenderer(),
      repositories,
      logger,
    });

    // The catalog returns only golden-path components: not payments-api, nor every
    // other component of a large catalog, every 10 minutes.
    expect((await read.mock.results[0].value).items.map(nameOf)).toEqual([
      'cart-service',
      'admin-console',
    ]);
    expect(summary.created).toEqual(['cart-service']);
    expect(summary.skipped).toEqual([
      {
        name: 'admin-console',
        reason: expect.stringContaining('template:default/react-web-app 0.9.0'),
      },
    ]);
    expect(await repositories.exists('admin-console')).toBe(false);
    expect(await repositories.exists('payments-api')).toBe(false);
    expect(await repositories.listCheckouts()).toEqual([]);

    // Two commits: the template's render, then the team's edit.
    expect(
      (await git('cart-service', 'log', '--format=%an|%s', 'main')).split('\n'),
    ).toEqual([
      'Sample Team|Add a runbook and limit request bodies',
      'Paved Scaffolder|Initial commit',
    ]);
    expect(await git('cart-service', 'config', 'paved.createdBy')).toBe(
      'paved-sample',
    );
    const first = await git('cart-service', 'show', 'main~1:README.md');
    expect(first).toBe('# cart-service\n\nThe cart-service.');
    expect(
      await git('cart-service', 'show', 'main:.paved/golden-path.yaml'),
    ).toContain(
      'owner: group:default/checkout-team\n  system: system:default/storefront\n  port: 8080',
    );
    expect(await git('cart-service', 'show', 'main:README.md')).toContain(
      '## Runbook',
    );
    expect(await git('cart-service', 'show', 'main:src/app.ts')).toContain(
      "app.use(express.json({ limit: '64kb' }));",
    );
    expect(
      await git('cart-service', 'diff', '--name-only', 'main~1', 'main'),
    ).toBe('README.md\nsrc/app.ts');
  });

  it('leaves finished and foreign repositories alone, and finishes one a crash left half-made', async () => {
    const catalog = catalogServiceMock({
      entities: [
        component(
          'cart-service',
          goldenPath('template:default/typescript-service', '1.0.0'),
        ),
        component(
          'orders-api',
          goldenPath('template:default/typescript-service', '1.0.0'),
        ),
      ],
    });
    // Someone's own repository named like a component.
    const own = await fs.mkdtemp(path.join(dir, 'own-'));
    await fs.writeFile(path.join(own, 'README.md'), 'ours\n');
    await repositories.publish({
      name: 'orders-api',
      sourceDir: own,
      createdBy: 'task-1',
    });

    const renders: string[] = [];
    const renderer: TemplateRenderer = {
      render: async (version, values) => {
        renders.push(String(values.name));
        return new FakeRenderer().render(version, values);
      },
    };
    const options = {
      catalog,
      credentials: mockCredentials.service(),
      versions: versions(),
      renderer,
      repositories,
      logger: mockServices.logger.mock(),
    };

    // A crash after the first commit: the team edit is missing.
    await expect(
      seedSampleRepositories({
        ...options,
        teamEdit: () => {
          throw new Error('crash');
        },
      }),
    ).resolves.toMatchObject({ created: [] });
    expect(await git('cart-service', 'rev-list', '--count', 'main')).toBe('1');

    const resumed = await seedSampleRepositories(options);
    expect(resumed.created).toEqual(['cart-service']);
    expect(await git('cart-service', 'rev-list', '--count', 'main')).toBe('2');

    renders.length = 0;
    const again = await seedSampleRepositories(options);
    expect(again).toEqual({ created: [], skipped: [] });
    expect(renders).toEqual([]);
    expect(await git('cart-service', 'rev-list', '--count', 'main')).toBe('2');
    expect(await git('orders-api', 'rev-list', '--count', 'main')).toBe('1');
  });

  it('answers as the Create form would have for the entity', () => {
    expect(
      answersOf(
        component('x', {}, { owner: 'group:platform/ops', system: 'shop' }),
      ),
    ).toEqual({
      name: 'x',
      description: 'The x.',
      owner: 'group:platform/ops',
      system: 'system:default/shop',
      lifecycle: 'production',
    });
  });

  it("edits the README and src/app.ts, and leaves files the template's next version changes alone", () => {
    const edit = sampleTeamEdit(
      files({
        'README.md': '# x\n',
        'src/app.ts': '  app.use(express.json());\n',
        Dockerfile: 'FROM node:20\n',
      }),
    )!;
    expect([...edit.keys()]).toEqual(['README.md', 'src/app.ts']);
    expect(sampleTeamEdit(files({}))!.has('src/app.ts')).toBe(false);
  });

  it('schedules the seeding 20 s after start and every 10 minutes, on one replica, logging failures', async () => {
    let task:
      | (SchedulerServiceTaskScheduleDefinition & {
          id: string;
          fn: () => Promise<void>;
        })
      | undefined;
    const scheduler = {
      scheduleTask: async (t: any) => {
        task = t;
      },
    } as unknown as SchedulerService;
    const catalog = catalogServiceMock({
      entities: [
        component(
          'cart-service',
          goldenPath('template:default/typescript-service', '1.0.0'),
        ),
      ],
    });
    const logger = mockServices.logger.mock();
    const getCredentials = jest
      .fn()
      .mockRejectedValueOnce(new Error('auth is not up yet'))
      .mockResolvedValue(mockCredentials.service());
    await scheduleSampleRepositories({
      scheduler,
      getCredentials,
      catalog,
      versions: versions(),
      renderer: new FakeRenderer(),
      repositories,
      logger,
    });
    expect(task).toMatchObject({
      id: 'upgrades-seed-sample-repositories',
      initialDelay: { seconds: 20 },
      frequency: { minutes: 10 },
      scope: 'global',
    });

    // A failing run is logged, not thrown: the next one tries again.
    await expect(task!.fn()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not seed the sample repositories: Error: auth is not up yet',
      ),
    );
    expect(await repositories.exists('cart-service')).toBe(false);

    await task!.fn();
    expect(await repositories.exists('cart-service')).toBe(true);
    expect(logger.info).toHaveBeenCalledWith(
      'Sample repositories created: cart-service',
    );
  });
});
