/*
 * Template upgrades end to end, through real parts only: services are created at
 * typescript-service 1.0.0 by the golden path (the real scaffolder's tasks API,
 * published into local bare repositories and registered in the real catalog), their
 * teams commit edits, the template author releases the repository's current version
 * (1.1.0) next to the kept 1.0.0, and the upgrades API proposes, diffs and merges
 * with git; the catalog follows the merge and the scorecard's latest-version check
 * passes. One backend for every case: starting it and the golden paths cost most.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds, waitFor } from '@paved/test-utils';
import {
  Campaign,
  CampaignDetails,
  ChangeDiff,
  ChangeRequest,
  GOLDEN_PATH_FILE,
  parseGoldenPathFile,
  UpgradeStatus,
} from '@paved/plugin-upgrades-common';
import { revParse, show, teamCommit } from './__testUtils__/gitRepos';
import {
  asAlice,
  catalogEntity,
  catalogTemplateVersion,
  createService,
  currentVersionOf,
  publishCurrentVersion,
  startGoldenPathBackend,
  TEMPLATE_REF,
  TEMPLATE_SOURCE,
  templateAtFirstRelease,
} from './__testUtils__/goldenPathBackend';

jest.setTimeout(180_000);

const OLD = '1.0.0';
const NEW = currentVersionOf(TEMPLATE_SOURCE);

const databases = TestDatabases.create({ ids: testDatabaseIds() });
// Postgres when the run has one (./paved test always does), else SQLite.
const FEATURE_DATABASE = testDatabaseIds()[0];

/** Services, each made by the golden path at 1.0.0. */
const UPGRADED = 'orders-api'; // a team edit that does not overlap: merges
const CONFLICTED = 'billing-api'; // its own HEALTHCHECK where 1.1.0 adds one
const CAMPAIGNED = ['cart-api', 'search-api', 'stock-api']; // untouched

/** The team's line in the README, and their change to a Dockerfile line 1.1.0 keeps. */
const TEAM_README_LINE =
  'On call: #orders-oncall, runbook in docs/operations.md';
const TEMPLATE_NPM_CI = 'RUN npm ci --no-audit --no-fund';
const TEAM_NPM_CI = 'RUN npm ci --no-audit --no-fund --ignore-scripts';
/** Where 1.1.0 inserts its HEALTHCHECK: right after this line. */
const EXPOSE_LINE = 'EXPOSE 8080';
const TEAM_HEALTHCHECK =
  'HEALTHCHECK CMD curl --fail http://localhost:8080/healthz || exit 1';

/** Setup that must hold for the cases to mean anything (no expect outside tests). */
function precondition(holds: boolean, message: string) {
  if (!holds) throw new Error(`Precondition failed: ${message}`);
}

/** Files whose bytes differ between the kept 1.0.0 skeleton and the current one. */
function templateChangedFiles(): string[] {
  const files = (dir: string) =>
    new Map(
      (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter(f => fs.statSync(path.join(dir, f)).isFile())
        .map(f => [
          f.split(path.sep).join('/'),
          fs.readFileSync(path.join(dir, f)),
        ]),
    );
  const old = files(path.join(TEMPLATE_SOURCE, 'versions', OLD, 'skeleton'));
  const now = files(path.join(TEMPLATE_SOURCE, 'skeleton'));
  return [...new Set([...old.keys(), ...now.keys()])]
    .filter(f => !old.get(f)?.equals(now.get(f) ?? Buffer.alloc(0)))
    .sort();
}

describe('template upgrades through the golden path, git and the catalog', () => {
  let env: Awaited<ReturnType<typeof startGoldenPathBackend>>;
  let templateDir: string;
  const timings: Record<string, number> = {};
  const started = Date.now();

  const api = (method: 'get' | 'post', url: string) =>
    request(env.server)
      [method](`/api/upgrades${url}`)
      .set('authorization', asAlice());
  const gitDir = (name: string) =>
    path.join(env.repositories, 'repositories', `${name}.git`);
  const ref = (name: string) => `component:default/${name}`;

  beforeAll(async () => {
    precondition(NEW !== OLD, `the repository's template is still at ${OLD}`);
    templateDir = templateAtFirstRelease(OLD);
    env = await startGoldenPathBackend({
      databases,
      featureDatabase: FEATURE_DATABASE,
      templateDir,
    });
    await waitFor(
      `the template at ${OLD} in the catalog`,
      async () => (await catalogTemplateVersion(env.server)) === OLD,
      { timeoutMs: 60_000 },
    );
    timings.backendMs = Date.now() - started;

    // Create, as the portal's Create page does; the tasks run side by side.
    await Promise.all(
      [UPGRADED, CONFLICTED, ...CAMPAIGNED].map(name =>
        createService(env.server, name),
      ),
    );
    timings.goldenPathsMs = Date.now() - started - timings.backendMs;

    // The teams' own edits, pushed to their default branches.
    const readme = await show(gitDir(UPGRADED), 'main', 'README.md');
    const dockerfile = await show(gitDir(UPGRADED), 'main', 'Dockerfile');
    // The lines the edits below rely on, as 1.0.0 rendered them.
    precondition(
      dockerfile.includes(TEMPLATE_NPM_CI) &&
        dockerfile.includes(`${EXPOSE_LINE}\n`) &&
        !dockerfile.includes('HEALTHCHECK'),
      `the 1.0.0 Dockerfile is not as this test expects:\n${dockerfile}`,
    );
    await teamCommit(gitDir(UPGRADED), 'main', {
      'README.md': `${readme.trimEnd()}\n\n${TEAM_README_LINE}\n`,
      Dockerfile: dockerfile.replace(TEMPLATE_NPM_CI, TEAM_NPM_CI),
    });
    const theirDockerfile = await show(
      gitDir(CONFLICTED),
      'main',
      'Dockerfile',
    );
    await teamCommit(gitDir(CONFLICTED), 'main', {
      Dockerfile: theirDockerfile.replace(
        `${EXPOSE_LINE}\n`,
        `${EXPOSE_LINE}\n${TEAM_HEALTHCHECK}\n`,
      ),
    });

    // The template author releases the new version; the catalog re-reads it.
    publishCurrentVersion(templateDir, OLD);
    await waitFor(
      `the template at ${NEW} in the catalog`,
      async () => (await catalogTemplateVersion(env.server)) === NEW,
      { timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await env?.stop();
    if (templateDir) fs.rmSync(templateDir, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    console.info(
      `upgrade integration: backend up in ${timings.backendMs} ms, ${
        2 + CAMPAIGNED.length
      } golden paths in ${timings.goldenPathsMs} ms, propose ${
        timings.proposeMs
      } ms, merge ${timings.mergeMs} ms, catalog followed in ${
        timings.catalogMs
      } ms, campaign run ${timings.campaignMs} ms, total ${
        Date.now() - started
      } ms`,
    );
  });

  it('the golden path recorded 1.0.0 and the answers in each repository and the catalog', async () => {
    const file = parseGoldenPathFile(
      await show(gitDir(UPGRADED), 'main', GOLDEN_PATH_FILE),
    );
    expect(file).toMatchObject({
      template: TEMPLATE_REF,
      version: OLD,
      values: {
        name: UPGRADED,
        owner: 'group:default/checkout-team',
        port: 8080,
      },
    });
    const entity = await catalogEntity(env.server, ref(UPGRADED));
    expect(entity.metadata.annotations).toMatchObject({
      'paved.dev/template': TEMPLATE_REF,
      'paved.dev/template-version': OLD,
    });

    const status = await api(
      'get',
      `/entities/component/default/${UPGRADED}/upgrade`,
    );
    expect(status.status).toBe(200);
    expect(status.body as UpgradeStatus).toMatchObject({
      entityRef: ref(UPGRADED),
      lineage: {
        templateRef: TEMPLATE_REF,
        version: OLD,
        source: 'repository',
      },
      latestVersion: NEW,
      available: true,
    });
    expect(
      (status.body as UpgradeStatus).changelog.map(e => e.version),
    ).toEqual([NEW]);
  });

  let change: ChangeRequest;

  it("proposes the upgrade: the template's edits applied, the team's kept", async () => {
    const headBefore = await revParse(gitDir(UPGRADED), 'main');
    const t0 = Date.now();
    const proposed = await api('post', '/changes').send({
      entityRef: ref(UPGRADED),
    });
    timings.proposeMs = Date.now() - t0;
    expect(proposed.status).toBe(201);
    change = proposed.body;
    expect(change).toMatchObject({
      entityRef: ref(UPGRADED),
      target: 'local',
      repository: UPGRADED,
      templateRef: TEMPLATE_REF,
      fromVersion: OLD,
      toVersion: NEW,
      branch: `paved/upgrade-typescript-service-${NEW}`,
      state: 'open',
      conflicts: [],
      baseCommit: headBefore,
      createdBy: 'user:default/alice',
    });

    // Every file the template changed, and the version stamps, nothing else.
    const touched = change.files.map(f => f.path).sort();
    expect(touched).toEqual(
      [
        ...new Set([
          ...templateChangedFiles(),
          GOLDEN_PATH_FILE,
          'catalog-info.yaml',
        ]),
      ].sort(),
    );
    expect(change.files).toContainEqual({
      path: '.nvmrc',
      status: 'added',
      conflicted: false,
    });
    expect(change.files).toContainEqual({
      path: 'Dockerfile',
      status: 'modified',
      conflicted: false,
    });

    // On the branch: 1.1.0's HEALTHCHECK and the team's npm flag in one Dockerfile.
    const branch = change.branch;
    const dockerfile = await show(gitDir(UPGRADED), branch, 'Dockerfile');
    expect(dockerfile).toContain(TEAM_NPM_CI);
    expect(dockerfile).toMatch(
      new RegExp(
        `${EXPOSE_LINE}\\n# Lets \`docker run\`[^]*\\nHEALTHCHECK --interval=30s`,
      ),
    );
    expect(dockerfile).not.toMatch(/<<<<<<<|>>>>>>>/);
    expect(await show(gitDir(UPGRADED), branch, 'README.md')).toContain(
      TEAM_README_LINE,
    );
    expect(await show(gitDir(UPGRADED), branch, '.nvmrc')).toBe(
      fs
        .readFileSync(path.join(TEMPLATE_SOURCE, 'skeleton/.nvmrc'), 'utf8')
        .trim(),
    );
    expect(
      parseGoldenPathFile(
        await show(gitDir(UPGRADED), branch, GOLDEN_PATH_FILE),
      ),
    ).toMatchObject({ version: NEW, values: { name: UPGRADED } });
    // The default branch is untouched until the change is merged.
    expect(await revParse(gitDir(UPGRADED), 'main')).toBe(headBefore);

    const diff = await api('get', `/changes/${change.id}/diff`);
    expect(diff.status).toBe(200);
    const files = (diff.body as ChangeDiff).files;
    expect(files.map(f => f.path).sort()).toEqual(touched);
    const dockerPatch = files.find(f => f.path === 'Dockerfile')!.patch;
    expect(dockerPatch).toMatch(/^\+HEALTHCHECK --interval=30s/m);
    // The team's line is on both sides: not part of the change.
    expect(dockerPatch).not.toContain('--ignore-scripts');
    expect(files.every(f => f.conflict === undefined)).toBe(true);

    // Proposing again is the same change.
    const again = await api('post', '/changes').send({
      entityRef: ref(UPGRADED),
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: change.id,
      headCommit: change.headCommit,
    });
    const listed = await api('get', `/changes?entityRef=${ref(UPGRADED)}`);
    expect(listed.body.items.map((c: ChangeRequest) => c.id)).toEqual([
      change.id,
    ]);
  });

  it('reports an overlapping edit as a conflict with both sides, and will not merge it', async () => {
    const proposed = await api('post', '/changes').send({
      entityRef: ref(CONFLICTED),
    });
    expect(proposed.status).toBe(201);
    const conflicted: ChangeRequest = proposed.body;
    expect(conflicted).toMatchObject({
      state: 'conflicted',
      conflicts: ['Dockerfile'],
    });
    expect(conflicted.files).toContainEqual({
      path: 'Dockerfile',
      status: 'modified',
      conflicted: true,
    });
    // The rest of the upgrade applies cleanly.
    expect(conflicted.files).toContainEqual({
      path: '.nvmrc',
      status: 'added',
      conflicted: false,
    });

    const diff = await api('get', `/changes/${conflicted.id}/diff`);
    expect(diff.status).toBe(200);
    const dockerfile = (diff.body as ChangeDiff).files.find(
      f => f.path === 'Dockerfile',
    )!;
    expect(dockerfile.conflicted).toBe(true);
    const sides = dockerfile.conflict!;
    expect(sides.base).toContain(EXPOSE_LINE);
    expect(sides.base).not.toContain('HEALTHCHECK');
    expect(sides.ours).toContain(TEAM_HEALTHCHECK);
    expect(sides.ours).not.toContain('HEALTHCHECK --interval=30s');
    expect(sides.theirs).toContain('HEALTHCHECK --interval=30s');
    expect(sides.theirs).not.toContain(TEAM_HEALTHCHECK);
    // The branch holds git's markers around both.
    const onBranch = await show(
      gitDir(CONFLICTED),
      conflicted.branch,
      'Dockerfile',
    );
    expect(onBranch).toMatch(
      new RegExp(
        `<<<<<<< [^\\n]*\\n${TEAM_HEALTHCHECK.replace(
          /[|.*+?()[\]\\]/g,
          '\\$&',
        )}\\n=======\\n[^]*HEALTHCHECK --interval=30s[^]*>>>>>>> `,
      ),
    );

    const head = await revParse(gitDir(CONFLICTED), 'main');
    const merge = await api('post', `/changes/${conflicted.id}/merge`);
    expect(merge.status).toBe(409);
    expect(merge.body.error.message).toContain('Dockerfile');
    expect(await revParse(gitDir(CONFLICTED), 'main')).toBe(head);
    expect((await api('get', `/changes/${conflicted.id}`)).body.state).toBe(
      'conflicted',
    );
  });

  it('merges: the default branch, the catalog lineage and the scorecard follow', async () => {
    const scorecardCheck = async () => {
      const evaluated = await request(env.server)
        .post('/api/scorecard/evaluate')
        .set('authorization', asAlice())
        .send({ entityRef: ref(UPGRADED) });
      expect(evaluated.status).toBe(200);
      const card = await request(env.server)
        .get(
          `/api/scorecard/entities/${encodeURIComponent(
            ref(UPGRADED),
          )}/scorecard`,
        )
        .set('authorization', asAlice());
      expect(card.status).toBe(200);
      return card.body.tracks
        .flatMap((t: any) => t.checks)
        .find((c: any) => c.checkId === 'latest-template-version');
    };
    // Before: failing, and its fix is the open change.
    expect(await scorecardCheck()).toMatchObject({
      passed: false,
      fixUrl: `/upgrades/changes/${change.id}`,
    });

    const t0 = Date.now();
    const merged = await api('post', `/changes/${change.id}/merge`);
    timings.mergeMs = Date.now() - t0;
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: change.id, state: 'merged' });
    const head = await revParse(gitDir(UPGRADED), 'main');
    expect(merged.body.mergeCommit).toBe(head);
    const dockerfile = await show(gitDir(UPGRADED), 'main', 'Dockerfile');
    expect(dockerfile).toContain('HEALTHCHECK --interval=30s');
    expect(dockerfile).toContain(TEAM_NPM_CI);
    expect(await show(gitDir(UPGRADED), 'main', 'README.md')).toContain(
      TEAM_README_LINE,
    );

    // The catalog reads the portal's checkout, which the merge moved.
    const t1 = Date.now();
    await waitFor(
      `${ref(UPGRADED)} at ${NEW} in the catalog`,
      async () =>
        (
          await catalogEntity(env.server, ref(UPGRADED))
        )?.metadata?.annotations?.['paved.dev/template-version'] === NEW,
      { timeoutMs: 30_000 },
    );
    timings.catalogMs = Date.now() - t1;

    const status = await api(
      'get',
      `/entities/component/default/${UPGRADED}/upgrade`,
    );
    expect(status.body as UpgradeStatus).toMatchObject({
      lineage: { version: NEW, source: 'repository' },
      latestVersion: NEW,
      available: false,
      changelog: [],
      change: { id: change.id, state: 'merged' },
    });
    expect(status.body.problem).toBeUndefined();

    expect(await scorecardCheck()).toMatchObject({ passed: true });

    // Nothing left to propose.
    const again = await api('post', '/changes').send({
      entityRef: ref(UPGRADED),
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(`is on ${TEMPLATE_REF} ${NEW}`);
  });

  it('a campaign opens one change per service below the version, once', async () => {
    const created = await api('post', '/campaigns').send({
      title: `Every service to typescript-service ${NEW}`,
      templateRef: TEMPLATE_REF,
      deadline: '2099-01-31',
    });
    expect(created.status).toBe(201);
    const campaign: Campaign = created.body;
    expect(campaign).toMatchObject({
      toVersion: NEW,
      fromRange: `<${NEW}`,
      counts: { total: 0 },
    });

    const t0 = Date.now();
    const run = await api('post', `/campaigns/${campaign.id}/run`);
    timings.campaignMs = Date.now() - t0;
    expect(run.status).toBe(200);
    const details: CampaignDetails = run.body;
    // The merged service is on NEW: not a target. The conflicted one keeps its
    // change; the three untouched ones get one each.
    expect(details.targets.map(t => t.entityRef).sort()).toEqual(
      [CONFLICTED, ...CAMPAIGNED].map(ref).sort(),
    );
    expect(details.targets.filter(t => t.problem)).toEqual([]);
    expect(details.counts).toEqual({
      total: 4,
      notStarted: 0,
      open: 3,
      conflicted: 1,
      merged: 0,
      closed: 0,
    });
    const opened = await api('get', `/changes?campaignId=${campaign.id}`);
    const changes: ChangeRequest[] = opened.body.items;
    expect(changes.map(c => c.entityRef).sort()).toEqual(
      CAMPAIGNED.map(ref).sort(),
    );
    for (const c of changes) {
      expect(c).toMatchObject({
        state: 'open',
        toVersion: NEW,
        campaignId: campaign.id,
      });
      expect(
        await show(gitDir(c.repository), c.branch, 'Dockerfile'),
      ).toContain('HEALTHCHECK --interval=30s');
    }
    // The owners were told, once per opened change.
    expect(env.notifications).toHaveLength(CAMPAIGNED.length);
    for (const c of changes) {
      expect(env.notifications).toContainEqual(
        expect.objectContaining({
          recipients: {
            type: 'entity',
            entityRef: 'group:default/checkout-team',
          },
          payload: expect.objectContaining({
            link: expect.stringContaining(c.id),
          }),
        }),
      );
    }

    // Again: nothing new.
    const rerun = await api('post', `/campaigns/${campaign.id}/run`);
    expect(rerun.status).toBe(200);
    expect(rerun.body.counts).toEqual(details.counts);
    const after = await api('get', `/changes?campaignId=${campaign.id}`);
    expect(after.body.items.map((c: ChangeRequest) => c.id).sort()).toEqual(
      changes.map(c => c.id).sort(),
    );
    const all = await api('get', '/changes');
    expect(all.body.items).toHaveLength(2 + CAMPAIGNED.length);
    expect(env.notifications).toHaveLength(CAMPAIGNED.length);

    const got = await api('get', `/campaigns/${campaign.id}`);
    expect(got.status).toBe(200);
    const progress = (got.body as CampaignDetails).progress;
    // A point per run, and now.
    expect(progress).toHaveLength(3);
    expect(progress.map(p => p.counts.open)).toEqual([3, 3, 3]);
    expect(progress.map(p => p.counts.conflicted)).toEqual([1, 1, 1]);
  });
});
