import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Entity } from '@backstage/catalog-model';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import {
  GOLDEN_PATH_FILE,
  stringifyGoldenPathFile,
} from '@paved/plugin-upgrades-common';
import { LocalChangeTarget } from './LocalChangeTarget';
import { FileSet, ProposedChange, ServiceRepository } from '../../ports';
import { GitRunner, runGit } from '../../git/runGit';
import {
  fileSet,
  revParse,
  show,
  teamCommit,
} from '../../__testUtils__/gitRepos';

const BRANCH = 'paved/upgrade-typescript-service-1.1.0';
const DOCKERFILE_1 =
  'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n';
const DOCKERFILE_2 =
  'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n';
const README = '# orders-api\n\nIntro.\n\n## Running\n\nyarn start\n';

function goldenPath(version: string) {
  return stringifyGoldenPathFile({
    template: 'template:default/typescript-service',
    version,
    values: { name: 'orders-api', port: 8080 },
  });
}

/** What the template renders at 1.0.0 and at 1.1.0 (Dockerfile changed, .dockerignore added). */
function render(version: '1.0.0' | '1.1.0'): Record<string, string> {
  return {
    'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: orders-api\n',
    Dockerfile: version === '1.0.0' ? DOCKERFILE_1 : DOCKERFILE_2,
    'README.md': README,
    [GOLDEN_PATH_FILE]: goldenPath(version),
    ...(version === '1.1.0' ? { '.dockerignore': 'node_modules\n' } : {}),
  };
}

function change(base: FileSet, theirs: FileSet): ProposedChange {
  return {
    branch: BRANCH,
    base,
    theirs,
    title: 'Upgrade typescript-service to 1.1.0',
    body: 'Changes: Dockerfile uses Node 22.',
    author: { name: 'Paved', email: 'upgrades@paved.local' },
  };
}

const MERGE = {
  message: 'Merge the typescript-service 1.1.0 upgrade',
  author: { name: 'Jane', email: 'jane@example.com' },
};

describe('LocalChangeTarget (with the real git)', () => {
  let root: string;
  let repositories: LocalRepositories;
  let merged: ServiceRepository[];
  let target: LocalChangeTarget;
  let gitDir: string;
  let repository: ServiceRepository;
  let entity: Entity;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-target-'));
    repositories = new LocalRepositories(path.join(root, 'data'));
    const source = path.join(root, 'workspace');
    for (const [file, content] of Object.entries(render('1.0.0'))) {
      await fs.mkdir(path.dirname(path.join(source, file)), {
        recursive: true,
      });
      await fs.writeFile(path.join(source, file), content);
    }
    await repositories.publish({
      name: 'orders-api',
      sourceDir: source,
      createdBy: 'task-1',
    });
    await repositories.checkout('orders-api');
    gitDir = fileURLToPath(repositories.remoteUrl('orders-api'));
    merged = [];
    target = new LocalChangeTarget({
      repositories,
      onMerged: async r => {
        merged.push(r);
      },
    });
    entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders-api',
        annotations: {
          'backstage.io/managed-by-location': `file:${repositories.catalogInfoPath(
            'orders-api',
          )}`,
        },
      },
      spec: {},
    };
    repository = await target.locate(entity);
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  const propose = (
    base = fileSet(render('1.0.0')),
    theirs = fileSet(render('1.1.0')),
  ) => target.propose(repository, change(base, theirs));

  it('locates the repository by the checkout the entity comes from, or by name for samples', async () => {
    expect(repository).toEqual({
      target: 'local',
      name: 'orders-api',
      url: repositories.remoteUrl('orders-api'),
      defaultBranch: 'main',
    });
    const sample = { ...entity, metadata: { name: 'orders-api' } };
    expect(await target.locate(sample)).toEqual(repository);

    await expect(
      target.locate({ ...entity, metadata: { name: 'payments-api' } }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'component:default/payments-api has no repository that Paved can change: it was not created by a golden path into the local repositories',
    });
    await expect(
      target.locate({
        ...entity,
        metadata: {
          name: 'gone',
          annotations: {
            'backstage.io/managed-by-location': `file:${repositories.catalogInfoPath(
              'gone',
            )}`,
          },
        },
      }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        "component:default/gone comes from the local repository 'gone', which no longer exists (moved or deleted)",
    });
  });

  it('reads the answers from the default branch and names the file when it is invalid', async () => {
    const head = await revParse(gitDir, 'main');
    expect(await target.readAnswers(repository)).toEqual({
      head,
      answers: {
        template: 'template:default/typescript-service',
        version: '1.0.0',
        values: { name: 'orders-api', port: 8080 },
      },
    });
    await teamCommit(gitDir, 'main', { [GOLDEN_PATH_FILE]: 'template: [' });
    await expect(target.readAnswers(repository)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        ".paved/golden-path.yaml of the repository 'orders-api' cannot be read: .paved/golden-path.yaml is not valid YAML",
      ),
    });
    await teamCommit(gitDir, 'main', { [GOLDEN_PATH_FILE]: null });
    expect((await target.readAnswers(repository)).answers).toBeUndefined();
  });

  it('proposes a branch that keeps the team edits, idempotently, and fast-forwards it on merge', async () => {
    const ours = await teamCommit(gitDir, 'main', {
      'README.md': `${README}\n## On call\n\nUs.\n`,
    });
    const result = await propose();
    expect(result.baseCommit).toBe(ours);
    expect(result.conflicts).toEqual([]);
    expect(result.files.map(f => `${f.status} ${f.path}`)).toEqual([
      'added .dockerignore',
      `modified ${GOLDEN_PATH_FILE}`,
      'modified Dockerfile',
    ]);
    expect(await revParse(gitDir, BRANCH)).toBe(result.headCommit);
    expect(await revParse(gitDir, `${BRANCH}^`)).toBe(ours);

    // Proposing again on the same head (a retry) keeps the same branch commit.
    const again = await propose();
    expect(again.headCommit).toBe(result.headCommit);

    expect(await target.inspect(repository, BRANCH)).toEqual({
      known: true,
      exists: true,
      head: result.headCommit,
      conflicted: [],
      merged: false,
    });
    const diff = await target.diff(repository, BRANCH);
    expect(diff.files.map(f => f.path)).toEqual([
      '.dockerignore',
      GOLDEN_PATH_FILE,
      'Dockerfile',
    ]);
    const dockerfile = diff.files.find(f => f.path === 'Dockerfile')!;
    expect(dockerfile).toMatchObject({
      status: 'modified',
      conflicted: false,
      binary: false,
    });
    expect(dockerfile.patch).toContain('-FROM node:20\n+FROM node:22\n');
    expect(dockerfile.conflict).toBeUndefined();

    const { commit } = await target.merge(repository, BRANCH, MERGE);
    expect(commit).toBe(result.headCommit); // fast-forward
    expect(await revParse(gitDir, 'main')).toBe(commit);
    expect(merged).toEqual([repository]);
    // The portal's checkout follows, so the catalog does.
    const checkout = path.join(root, 'data', 'checkouts', 'orders-api');
    expect(await fs.readFile(path.join(checkout, 'Dockerfile'), 'utf8')).toBe(
      DOCKERFILE_2,
    );
    expect((await target.readAnswers(repository)).answers?.version).toBe(
      '1.1.0',
    );
    expect(await target.inspect(repository, BRANCH)).toMatchObject({
      known: true,
      merged: true,
    });
    // Merging again is harmless.
    expect(await target.merge(repository, BRANCH, MERGE)).toEqual({ commit });
  });

  it('merges a sample repository (no checkout) without making a checkout for it', async () => {
    // Samples' entities come from examples/: a checkout would register them twice.
    await repositories.removeCheckout('orders-api');
    const sample = await target.locate({
      ...entity,
      metadata: { name: 'orders-api' },
    });
    const result = await propose();
    const { commit } = await target.merge(sample, BRANCH, MERGE);
    expect(commit).toBe(result.headCommit);
    expect(await revParse(gitDir, 'main')).toBe(commit);
    expect(await repositories.hasCheckout('orders-api')).toBe(false);
    expect(await repositories.listCheckouts()).toEqual([]);
    expect(merged).toEqual([sample]);
  });

  it('merges with a merge commit when the default branch moved elsewhere', async () => {
    const result = await propose();
    const moved = await teamCommit(gitDir, 'main', { 'src/index.ts': 'x\n' });
    const { commit } = await target.merge(repository, BRANCH, MERGE);
    expect(await revParse(gitDir, 'main')).toBe(commit);
    expect(await revParse(gitDir, `${commit}^1`)).toBe(moved);
    expect(await revParse(gitDir, `${commit}^2`)).toBe(result.headCommit);
    expect(await show(gitDir, commit, 'Dockerfile')).toBe(DOCKERFILE_2.trim());
    expect(await show(gitDir, commit, 'src/index.ts')).toBe('x');
    expect(await show(gitDir, commit, '.dockerignore')).toBe('node_modules');
  });

  it('refuses to merge when the default branch changed where the upgrade changes', async () => {
    await propose();
    const moved = await teamCommit(gitDir, 'main', {
      Dockerfile: DOCKERFILE_1.replace('node:20', 'node:21'),
    });
    await expect(target.merge(repository, BRANCH, MERGE)).rejects.toMatchObject(
      {
        name: 'ConflictError',
        message: `the default branch changed where the upgrade changes: close ${BRANCH} and propose again`,
      },
    );
    expect(await revParse(gitDir, 'main')).toBe(moved);
    expect(merged).toEqual([]);
  });

  it('reports conflicts with both sides, refuses to merge them, and merges once the team resolved them', async () => {
    const teamDockerfile = DOCKERFILE_1.replace('node:20', 'node:20-alpine');
    await teamCommit(gitDir, 'main', { Dockerfile: teamDockerfile });
    const result = await propose();
    expect(result.conflicts).toEqual([
      {
        path: 'Dockerfile',
        base: DOCKERFILE_1,
        ours: teamDockerfile,
        theirs: DOCKERFILE_2,
      },
    ]);
    expect(result.files.find(f => f.path === 'Dockerfile')).toEqual({
      path: 'Dockerfile',
      status: 'modified',
      conflicted: true,
    });
    expect(await target.inspect(repository, BRANCH)).toMatchObject({
      known: true,
      conflicted: ['Dockerfile'],
    });
    const diff = await target.diff(repository, BRANCH);
    expect(diff.files.find(f => f.path === 'Dockerfile')).toMatchObject({
      conflicted: true,
      conflict: {
        base: DOCKERFILE_1,
        ours: teamDockerfile,
        theirs: DOCKERFILE_2,
      },
    });
    await expect(target.merge(repository, BRANCH, MERGE)).rejects.toMatchObject(
      {
        name: 'ConflictError',
        message: `${BRANCH} still has conflict markers in Dockerfile: resolve them on the branch, then merge`,
      },
    );

    // The team resolves on the branch; proposing again must not overwrite that.
    const resolvedDockerfile = DOCKERFILE_2.replace(
      'node:22',
      'node:22-alpine',
    );
    const resolved = await teamCommit(gitDir, BRANCH, {
      Dockerfile: resolvedDockerfile,
    });
    await expect(propose()).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(`the team pushed to ${BRANCH}`),
    });
    expect(await revParse(gitDir, BRANCH)).toBe(resolved);
    expect(await target.inspect(repository, BRANCH)).toEqual({
      known: true,
      exists: true,
      head: resolved,
      conflicted: [],
      merged: false,
    });
    const { commit } = await target.merge(repository, BRANCH, MERGE);
    expect(commit).toBe(resolved);
    expect(await show(gitDir, 'main', 'Dockerfile')).toBe(
      resolvedDockerfile.trim(),
    );
  });

  it('replaces an older proposal made on an older head when it holds only Paved’s commit', async () => {
    const first = await propose();
    const moved = await teamCommit(gitDir, 'main', { 'src/index.ts': 'x\n' });
    const second = await propose();
    expect(second.headCommit).not.toBe(first.headCommit);
    expect(second.baseCommit).toBe(moved);
    expect(await revParse(gitDir, `${BRANCH}^`)).toBe(moved);
  });

  it('closes by deleting the branch, twice harmlessly', async () => {
    await propose();
    await target.close(repository, BRANCH);
    await target.close(repository, BRANCH);
    expect(await target.inspect(repository, BRANCH)).toEqual({
      known: true,
      exists: false,
      conflicted: [],
      merged: false,
    });
    await expect(target.merge(repository, BRANCH, MERGE)).rejects.toMatchObject(
      { name: 'NotFoundError' },
    );
  });

  it('writes nothing when the default branch moves between the checks and the update (compare-and-swap)', async () => {
    const result = await propose();
    let pushed: string | undefined;
    const racing: GitRunner = async (args, options) => {
      if (args.includes('update-ref') && args.includes('refs/heads/main')) {
        pushed = await teamCommit(gitDir, 'main', { 'late.txt': 'late\n' });
      }
      return runGit(args, options);
    };
    const raced = new LocalChangeTarget({
      repositories,
      onMerged: async r => {
        merged.push(r);
      },
      git: racing,
    });
    await expect(raced.merge(repository, BRANCH, MERGE)).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        "main of the repository 'orders-api' changed meanwhile: nothing was written; try again",
    });
    expect(await revParse(gitDir, 'main')).toBe(pushed);
    expect(await revParse(gitDir, BRANCH)).toBe(result.headCommit);
    expect(merged).toEqual([]);
    // Nothing half-done: a plain retry merges (with a merge commit now).
    const { commit } = await target.merge(repository, BRANCH, MERGE);
    expect(await revParse(gitDir, `${commit}^1`)).toBe(pushed);
  });
});
