import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BackstageCredentials,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import {
  normalizeTemplateRef,
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from '@paved/plugin-upgrades-common';
import { GitRunner, gitText, runGit } from '../git/runGit';
import { FileSet, TemplateRenderer, TemplateVersions } from '../ports';
import { withParameterDefaults } from '../templates/parameterDefaults';

/** Who the sample repositories are created by (LocalRepositories' createdBy). */
export const SAMPLE_CREATED_BY = 'paved-sample';

/**
 * Git config key set in a sample repository once its team edit is pushed: the
 * repository is complete. A repository without it (a crash between the first
 * commit and the edit) is finished on the next run.
 */
const SEEDED_KEY = 'paved.sampleSeeded';

const AUTHORS = {
  scaffolder: { name: 'Paved Scaffolder', email: 'scaffolder@paved.local' },
  team: { name: 'Sample Team', email: 'team@paved.local' },
};

export interface SeedSampleRepositoriesOptions {
  catalog: CatalogService;
  /** The upgrades plugin's own service credentials, to read the catalog. */
  credentials: BackstageCredentials;
  versions: TemplateVersions;
  renderer: TemplateRenderer;
  repositories: LocalRepositories;
  logger: LoggerService;
  /**
   * The team's own edit on top of the render; undefined when it has nothing to
   * edit. Default: {@link sampleTeamEdit}.
   */
  teamEdit?: (files: FileSet) => FileSet | undefined;
  git?: GitRunner;
}

export interface SeedSummary {
  created: string[];
  skipped: Array<{ name: string; reason: string }>;
}

/**
 * Gives the sample organisation's golden-path services repositories, so Propose
 * upgrade has something real to merge on a fresh `./paved start`: for every
 * Component with paved.dev/template and paved.dev/template-version annotations and
 * no local repository yet, the template at that version is rendered with answers
 * from the entity (its name, description, owner, system and lifecycle; the form's
 * defaults for the rest) and published as a bare repository named like the
 * component, then the team's own edit (a README runbook, a tweak to src/app.ts) is
 * committed on top, so that an upgrade merges rather than overwrites.
 *
 * No checkout is made: the sample entities stay defined by examples/ (the local
 * change target finds a repository named like the entity). Versions that were never
 * released (e.g. admin-console's 0.9.0) are skipped and logged. Idempotent:
 * finished repositories, and repositories someone else made, are left alone.
 */
export async function seedSampleRepositories(
  options: SeedSampleRepositoriesOptions,
): Promise<SeedSummary> {
  const { catalog, credentials, logger, repositories } = options;
  const run = options.git ?? runGit;
  const summary: SeedSummary = { created: [], skipped: [] };
  const skip = (name: string, reason: string) => {
    summary.skipped.push({ name, reason });
    logger.info(`Sample repository '${name}' skipped: ${reason}`);
  };

  // Only the components made from a template (the catalog filters): the task runs
  // every 10 minutes, and reading every component would grow with the catalog.
  const { items } = await catalog.getEntities(
    {
      filter: {
        kind: 'Component',
        [`metadata.annotations.${TEMPLATE_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
        [`metadata.annotations.${TEMPLATE_VERSION_ANNOTATION}`]:
          CATALOG_FILTER_EXISTS,
      },
    },
    { credentials },
  );
  for (const entity of items) {
    const annotations = entity.metadata.annotations ?? {};
    const templateRef = annotations[TEMPLATE_ANNOTATION];
    const version = annotations[TEMPLATE_VERSION_ANNOTATION];
    if (!templateRef || !version) continue;
    const name = entity.metadata.name;
    try {
      repositories.validateName(name, 'metadata.name');
    } catch (error) {
      skip(name, (error as Error).message);
      continue;
    }

    if (await repositories.exists(name)) {
      const bare = fileURLToPath(repositories.remoteUrl(name));
      const [creator, seeded] = await Promise.all([
        configValue(run, bare, 'paved.createdBy'),
        configValue(run, bare, SEEDED_KEY),
      ]);
      // Finished, or someone's own repository: never touched. Quietly: this is
      // every start after the first.
      if (creator !== SAMPLE_CREATED_BY || seeded === 'true') continue;
    }

    try {
      // One that is not a ref is refused by read, and skipped below.
      const released = await options.versions.read(
        normalizeTemplateRef(templateRef) ?? templateRef,
        version,
      );
      const values = withParameterDefaults(released.entity, answersOf(entity));
      const rendered = await options.renderer.render(released, values);
      await publishSample(options, run, entity, rendered);
      summary.created.push(name);
      logger.info(
        `Sample repository '${name}' created from ${templateRef} ${version}, with a team edit on top`,
      );
    } catch (error) {
      skip(
        name,
        `${stringifyEntityRef(entity)} at ${templateRef} ${version}: ${
          (error as Error).message
        }`,
      );
    }
  }
  return summary;
}

/** The answers the Create form would have sent for this entity. */
export function answersOf(entity: Entity): JsonObject {
  const spec = (entity.spec ?? {}) as JsonObject;
  const values: JsonObject = { name: entity.metadata.name };
  if (entity.metadata.description) {
    values.description = entity.metadata.description.trim();
  }
  if (typeof spec.owner === 'string') {
    values.owner = stringifyEntityRef(
      parseEntityRef(spec.owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  }
  if (typeof spec.system === 'string') {
    values.system = stringifyEntityRef(
      parseEntityRef(spec.system, {
        defaultKind: 'system',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  }
  if (typeof spec.lifecycle === 'string') values.lifecycle = spec.lifecycle;
  return values;
}

/**
 * What a team typically changes after Create: a runbook in the README and a
 * smaller request body limit in src/app.ts. Neither overlaps what typescript-service
 * 1.1.0 changes (Dockerfile, .nvmrc), so its upgrade merges cleanly.
 */
export function sampleTeamEdit(files: FileSet): FileSet | undefined {
  const edited: FileSet = new Map();
  const readme = files.get('README.md');
  edited.set('README.md', {
    content: Buffer.concat([
      readme?.content ?? Buffer.from(''),
      Buffer.from(
        [
          '',
          '## Runbook',
          '',
          '- Paged for 5xx errors: check the dashboard, then roll back the last deployment.',
          '- Slow responses: look at the database connections before scaling out.',
          '',
        ].join('\n'),
      ),
    ]),
    executable: readme?.executable,
  });
  const app = files.get('src/app.ts');
  const json = 'app.use(express.json());';
  if (app && app.content.toString('utf8').includes(json)) {
    edited.set('src/app.ts', {
      content: Buffer.from(
        app.content
          .toString('utf8')
          .replace(
            json,
            "// Our clients never send more than a few kilobytes.\n  app.use(express.json({ limit: '64kb' }));",
          ),
      ),
      executable: app.executable,
    });
  }
  return edited;
}

/** The render as the first commit (LocalRepositories.publish), then the team's edit. */
async function publishSample(
  options: SeedSampleRepositoriesOptions,
  run: GitRunner,
  entity: Entity,
  rendered: FileSet,
) {
  const { repositories } = options;
  const name = entity.metadata.name;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-sample-'));
  try {
    const source = path.join(tmp, 'render');
    await writeFiles(source, rendered);
    const published = await repositories.publish({
      name,
      sourceDir: source,
      description: entity.metadata.description?.trim(),
      defaultBranch: 'main',
      commitMessage: 'Initial commit',
      author: AUTHORS.scaffolder,
      createdBy: SAMPLE_CREATED_BY,
    });
    const bare = fileURLToPath(published.remoteUrl);

    const edit = (options.teamEdit ?? sampleTeamEdit)(rendered);
    if (edit && edit.size > 0) {
      const work = path.join(tmp, 'work');
      await run(['clone', '--quiet', bare, work]);
      await writeFiles(work, edit);
      const identity = [
        '-c',
        `user.name=${AUTHORS.team.name}`,
        '-c',
        `user.email=${AUTHORS.team.email}`,
      ];
      await run(['-C', work, 'add', '--all', '.']);
      const { code } = await run(['-C', work, 'diff', '--cached', '--quiet'], {
        okCodes: [1],
      });
      if (code === 1) {
        await run([
          '-C',
          work,
          ...identity,
          'commit',
          '--quiet',
          '--no-verify',
          '-m',
          'Add a runbook and limit request bodies',
        ]);
        await run([
          '-C',
          work,
          'push',
          '--quiet',
          'origin',
          `HEAD:refs/heads/${published.defaultBranch}`,
        ]);
      }
    }
    await run(['--git-dir', bare, 'config', SEEDED_KEY, 'true']);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function writeFiles(root: string, files: FileSet) {
  for (const [file, { content, executable }] of files) {
    const target = path.resolve(root, file);
    if (!target.startsWith(`${path.resolve(root)}${path.sep}`)) {
      throw new Error(`A rendered file has an invalid path: ${file}`);
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, content, { mode: executable ? 0o755 : 0o644 });
  }
}

async function configValue(
  run: GitRunner,
  gitDir: string,
  key: string,
): Promise<string | undefined> {
  const value = await gitText(run, ['--git-dir', gitDir, 'config', key], {
    okCodes: [1],
  });
  return value || undefined;
}

/**
 * Runs {@link seedSampleRepositories} in the background (the plugin calls it when
 * `paved.upgrades.sampleRepositories` is true and changes go to the local
 * repositories): 20 s after start, as the catalog and the scaffolder must be up to
 * render, then every 10 minutes for components the catalog reads later. Idempotent,
 * so a run that finds everything done costs a few git reads. Global scope: one
 * replica seeds at a time.
 */
export async function scheduleSampleRepositories(
  options: Omit<SeedSampleRepositoriesOptions, 'credentials'> & {
    scheduler: SchedulerService;
    getCredentials: () => Promise<BackstageCredentials>;
  },
): Promise<void> {
  const { scheduler, getCredentials, ...seed } = options;
  await scheduler.scheduleTask({
    id: 'upgrades-seed-sample-repositories',
    frequency: { minutes: 10 },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 20 },
    scope: 'global',
    fn: async () => {
      try {
        const summary = await seedSampleRepositories({
          ...seed,
          credentials: await getCredentials(),
        });
        if (summary.created.length) {
          seed.logger.info(
            `Sample repositories created: ${summary.created.join(', ')}`,
          );
        }
      } catch (error) {
        seed.logger.warn(
          `Could not seed the sample repositories: ${stringifyError(error)}`,
        );
      }
    },
  });
}
