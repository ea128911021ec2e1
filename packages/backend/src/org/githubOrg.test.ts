import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import githubModule from '@backstage/plugin-catalog-backend-module-github';
import githubOrgModule from '@backstage/plugin-catalog-backend-module-github-org';
import { capturingRootLogger } from '@paved/test-utils';

// GitHub cannot be reached from the machines Paved is built on: these tests check
// only what happens before the first call to GitHub (the modules start, read the
// documented config and schedule their refreshes). The refresh tasks are never run.

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * The commented GitHub example of app-config.production.yaml, uncommented, with its
 * ${VARIABLES} filled in: the documented block is what the modules read here.
 */
function productionGithubConfig(vars: Record<string, string>) {
  const text = fs.readFileSync(
    path.join(ROOT, 'app-config.production.yaml'),
    'utf8',
  );
  const block =
    /# github-example-begin\n([\s\S]*?)\n\s*# github-example-end/.exec(text);
  if (!block) {
    throw new Error('no GitHub example in app-config.production.yaml');
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

/** The root config's data, as the mock config service takes it. */
type ConfigData = NonNullable<
  Parameters<typeof mockServices.rootConfig.factory>[0]
>['data'];

async function startCatalog(data: ConfigData) {
  // Runs nothing by itself: a task runs only if a test triggers it (none does).
  const scheduler = mockServices.scheduler();
  const { records, factory: loggerFactory } = capturingRootLogger();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      githubOrgModule,
      githubModule,
      loggerFactory,
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return { backend, scheduler, records };
}

describe('the GitHub modules without their config', () => {
  it('start and schedule nothing, as in production without the example', async () => {
    const { backend, scheduler, records } = await startCatalog({});
    try {
      const ids = (await scheduler.getScheduledTasks()).map(task => task.id);
      expect(ids.filter(id => /github/i.test(id))).toEqual([]);
      expect(records.filter(record => record.level === 'error')).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});

describe('the GitHub example of app-config.production.yaml', () => {
  it('is accepted by both modules, which schedule their refreshes', async () => {
    const { backend, scheduler, records } = await startCatalog({
      integrations: {
        github: [{ host: 'github.com', token: 'not-a-real-token' }],
      },
      catalog: productionGithubConfig({ PAVED_GITHUB_ORG: 'acme-retail' }),
    });
    try {
      const ids = (await scheduler.getScheduledTasks()).map(task => task.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          // Users and teams of the organization.
          'GithubMultiOrgEntityProvider:production:refresh',
          // The catalog-info.yaml of its repositories.
          'github-provider:repositories:refresh',
        ]),
      );
      expect(records.filter(record => record.level === 'error')).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});
