/*
 * A campaign over the sample organisation, as a fresh `./paved start` shows it: the
 * real catalog reads examples/org/all.yaml and templates/all.yaml, the upgrades
 * plugin's sample seeder (paved.upgrades.sampleRepositories) gives each sample
 * component made from a released golden-path version a local repository with a
 * team edit on top, and the platform team's campaign to typescript-service's
 * current version opens one change per sample service behind it, through the real
 * scaffolder's dry run and git.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds, waitFor } from '@paved/test-utils';
import {
  CampaignDetails,
  ChangeRequest,
  GOLDEN_PATH_FILE,
  parseGoldenPathFile,
  UpgradeStatus,
} from '@paved/plugin-upgrades-common';
import { gitText, runGit } from './git/runGit';
import { revParse, show } from './__testUtils__/gitRepos';
import {
  asAlice,
  catalogEntity,
  catalogTemplateVersion,
  currentVersionOf,
  GoldenPathBackend,
  REPOSITORY_TEMPLATES,
  SAMPLE_ORGANISATION,
  startGoldenPathBackend,
  TEMPLATE_REF,
  TEMPLATE_SOURCE,
} from './__testUtils__/goldenPathBackend';

jest.setTimeout(120_000);

const NEW = currentVersionOf(TEMPLATE_SOURCE);
const OLD = '1.0.0';

/** The plugin's seeding task (scheduleSampleRepositories). */
const SEED_TASK = 'upgrades-seed-sample-repositories';

/**
 * The sample services on typescript-service 1.0.0 (examples/org/components), and
 * their owners: the campaign's targets.
 */
const BEHIND: Record<string, string> = {
  'notification-service': 'group:default/checkout-team',
  'returns-service': 'group:default/payments-team',
};
/** On typescript-service's current version: seeded, but nothing to upgrade. */
const CURRENT = 'cart-service';
/** react-web-app 0.9.0, a version that was never released: never seeded. */
const UNRELEASED = 'admin-console';

/** What sampleTeamEdit adds on top of the render; 1.1.0 touches neither file. */
const TEAM_README = '## Runbook';
const TEAM_APP = "app.use(express.json({ limit: '64kb' }));";
/** The line typescript-service 1.1.0 adds to the Dockerfile. */
const NEW_HEALTHCHECK = 'HEALTHCHECK --interval=30s';

const databases = TestDatabases.create({ ids: testDatabaseIds() });
const FEATURE_DATABASE = testDatabaseIds()[0];

const ref = (name: string) => `component:default/${name}`;

/** Setup that must hold for the cases to mean anything (no expect outside tests). */
function precondition(holds: boolean, message: string) {
  if (!holds) throw new Error(`Precondition failed: ${message}`);
}

describe('a campaign over the sample organisation', () => {
  let env: GoldenPathBackend;
  const timings: Record<string, number> = {};
  const started = Date.now();
  /** Each seeded repository's default branch before the campaign. */
  const mainBefore: Record<string, string> = {};

  const api = (method: 'get' | 'post', url: string, user = asAlice()) =>
    request(env.server)
      [method](`/api/upgrades${url}`)
      .set('authorization', user);
  const gitDir = (name: string) =>
    path.join(env.repositories, 'repositories', `${name}.git`);
  /** The seeder marks a repository complete once its team edit is pushed. */
  const seeded = async (name: string) =>
    fs.existsSync(gitDir(name)) &&
    (await gitText(
      runGit,
      ['--git-dir', gitDir(name), 'config', 'paved.sampleSeeded'],
      { okCodes: [1] },
    )) === 'true';

  beforeAll(async () => {
    precondition(NEW !== OLD, `the repository's template is still at ${OLD}`);
    env = await startGoldenPathBackend({
      databases,
      featureDatabase: FEATURE_DATABASE,
      locations: [SAMPLE_ORGANISATION, REPOSITORY_TEMPLATES],
      upgrades: { sampleRepositories: true },
    });
    await waitFor(
      `typescript-service ${NEW} and the sample components in the catalog`,
      async () =>
        (await catalogTemplateVersion(env.server)) === NEW &&
        (
          await Promise.all(
            [...Object.keys(BEHIND), CURRENT, UNRELEASED].map(name =>
              catalogEntity(env.server, ref(name)),
            ),
          )
        ).every(Boolean),
      { timeoutMs: 60_000 },
    );
    timings.catalogMs = Date.now() - started;

    // The seeder waits 20 s after start in the portal; here it runs when asked. A
    // run that came before the catalog had every template is finished by the next.
    const t0 = Date.now();
    const tasks = (await env.scheduler.getScheduledTasks()).map(t => t.id);
    precondition(
      tasks.includes(SEED_TASK),
      `the upgrades plugin scheduled no ${SEED_TASK} (its tasks: ${tasks.join(
        ', ',
      )})`,
    );
    await waitFor(
      'the sample repositories',
      async () => {
        await env.scheduler.triggerTask(SEED_TASK);
        const done = await Promise.all(
          [...Object.keys(BEHIND), CURRENT].map(seeded),
        );
        return done.every(Boolean);
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    timings.seedMs = Date.now() - t0;
    for (const name of Object.keys(BEHIND)) {
      mainBefore[name] = await revParse(gitDir(name), 'main');
    }
  });

  afterAll(async () => {
    await env?.stop();
    // eslint-disable-next-line no-console
    console.info(
      `sample campaign: catalog loaded in ${
        timings.catalogMs
      } ms, sample repositories seeded in ${timings.seedMs} ms, campaign run ${
        timings.runMs
      } ms, rerun ${timings.rerunMs} ms, total ${Date.now() - started} ms`,
    );
  });

  it('seeds the sample services at their recorded version with the team edit on top, never an unreleased one', async () => {
    for (const name of Object.keys(BEHIND)) {
      expect(
        parseGoldenPathFile(await show(gitDir(name), 'main', GOLDEN_PATH_FILE)),
      ).toMatchObject({
        template: TEMPLATE_REF,
        version: OLD,
        values: { name },
      });
      expect(await show(gitDir(name), 'main', 'README.md')).toContain(
        TEAM_README,
      );
      expect(await show(gitDir(name), 'main', 'Dockerfile')).not.toContain(
        NEW_HEALTHCHECK,
      );
    }
    expect(
      parseGoldenPathFile(
        await show(gitDir(CURRENT), 'main', GOLDEN_PATH_FILE),
      ),
    ).toMatchObject({ template: TEMPLATE_REF, version: NEW });
    expect(fs.existsSync(gitDir(UNRELEASED))).toBe(false);
  });

  it('only the platform team creates campaigns', async () => {
    const refused = await api(
      'post',
      '/campaigns',
      mockCredentials.user.header('user:default/bob'),
    ).send({
      title: 'Not mine to run',
      templateRef: TEMPLATE_REF,
      deadline: '2099-01-31',
    });
    expect(refused.status).toBe(403);
    const listed = await api('get', '/campaigns');
    expect(listed.body.items).toEqual([]);
  });

  let details: CampaignDetails;
  let changes: ChangeRequest[];

  it('opens one change per sample service below the version, and counts them', async () => {
    const created = await api('post', '/campaigns').send({
      title: `Sample services to typescript-service ${NEW}`,
      templateRef: TEMPLATE_REF,
      deadline: '2099-01-31',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      toVersion: NEW,
      fromRange: `<${NEW}`,
      createdBy: 'user:default/alice',
    });
    const id: string = created.body.id;

    const t0 = Date.now();
    const run = await api('post', `/campaigns/${id}/run`);
    timings.runMs = Date.now() - t0;
    expect(run.status).toBe(200);
    details = run.body;
    const names = Object.keys(BEHIND);
    // By name: not cart-service (current), not admin-console (another template).
    expect(details.targets.map(t => t.entityRef).sort()).toEqual(
      names.map(ref).sort(),
    );
    expect(details.targets.filter(t => t.problem)).toEqual([]);
    expect(details.counts).toMatchObject({
      total: names.length,
      notStarted: 0,
      merged: 0,
      closed: 0,
    });
    expect(details.counts.open + details.counts.conflicted).toBe(names.length);

    const listed = await api('get', `/changes?campaignId=${id}`);
    expect(listed.status).toBe(200);
    changes = listed.body.items;
    expect(changes.map(c => c.entityRef).sort()).toEqual(names.map(ref).sort());
    for (const change of changes) {
      const name = change.repository;
      expect(change).toMatchObject({
        target: 'local',
        fromVersion: OLD,
        toVersion: NEW,
        campaignId: id,
        branch: `paved/upgrade-typescript-service-${NEW}`,
        baseCommit: mainBefore[name],
      });
      expect(['open', 'conflicted']).toContain(change.state);
      // On the branch: 1.1.0's Dockerfile, the team's runbook and app.ts kept.
      const dockerfile = await show(gitDir(name), change.branch, 'Dockerfile');
      expect(dockerfile).toContain(NEW_HEALTHCHECK);
      expect(dockerfile).not.toMatch(/<<<<<<<|>>>>>>>/);
      expect(await show(gitDir(name), change.branch, 'README.md')).toContain(
        TEAM_README,
      );
      expect(await show(gitDir(name), change.branch, 'src/app.ts')).toContain(
        TEAM_APP,
      );
      expect(
        parseGoldenPathFile(
          await show(gitDir(name), change.branch, GOLDEN_PATH_FILE),
        ),
      ).toMatchObject({ version: NEW, values: { name } });
      // The default branch waits for the owners' merge.
      expect(await revParse(gitDir(name), 'main')).toBe(mainBefore[name]);
    }

    // The owners were told, once per service.
    expect(env.notifications).toHaveLength(names.length);
    for (const change of changes) {
      expect(env.notifications).toContainEqual(
        expect.objectContaining({
          recipients: {
            type: 'entity',
            entityRef: BEHIND[change.repository],
          },
          payload: expect.objectContaining({
            link: expect.stringContaining(change.id),
          }),
        }),
      );
    }

    // The progress chart's last point is the run's counts.
    const got = await api('get', `/campaigns/${id}`);
    expect(got.status).toBe(200);
    const progress = (got.body as CampaignDetails).progress;
    const last = progress[progress.length - 1].counts;
    expect(last).toEqual(details.counts);
    expect(last.open + last.conflicted).toBe(names.length);
    expect(last.notStarted).toBe(0);
  });

  it('running it again adds nothing', async () => {
    const id = details.id;
    const t0 = Date.now();
    const rerun = await api('post', `/campaigns/${id}/run`);
    timings.rerunMs = Date.now() - t0;
    expect(rerun.status).toBe(200);
    expect(rerun.body.counts).toEqual(details.counts);
    const after = await api('get', `/changes?campaignId=${id}`);
    expect(after.body.items.map((c: ChangeRequest) => c.id).sort()).toEqual(
      changes.map(c => c.id).sort(),
    );
    // Nothing for the service already on the version.
    const all = await api('get', '/changes');
    expect(all.body.items).toHaveLength(changes.length);
    expect(env.notifications).toHaveLength(changes.length);

    const got = await api('get', `/campaigns/${id}`);
    const progress = (got.body as CampaignDetails).progress;
    // A point per run, and now: all the same.
    expect(progress).toHaveLength(3);
    for (const point of progress) {
      expect(point.counts).toEqual(details.counts);
    }
  });

  it('admin-console is no target, and its status says why it cannot be upgraded', async () => {
    expect(details.targets.map(t => t.entityRef)).not.toContain(
      ref(UNRELEASED),
    );
    const status = await api(
      'get',
      `/entities/component/default/${UNRELEASED}/upgrade`,
    );
    expect(status.status).toBe(200);
    const body = status.body as UpgradeStatus;
    expect(body).toMatchObject({
      entityRef: ref(UNRELEASED),
      available: false,
      lineage: {
        templateRef: 'template:default/react-web-app',
        version: '0.9.0',
      },
    });
    // The version it records was never released: nothing to render it from.
    expect(body.problem).toContain('0.9.0');
    expect(body.problem).toMatch(/not a released version/);
  });
});
