import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mergeUpgrade } from './mergeUpgrade';
import { gitText, runGit } from './runGit';
import {
  bareRepository,
  fileSet,
  revParse,
  show,
  teamCommit,
} from '../__testUtils__/gitRepos';

const AUTHOR = { name: 'Paved', email: 'upgrades@paved.local' };
const AT = new Date('2026-12-07T10:00:00Z');

const DOCKERFILE_1 =
  'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n';
const DOCKERFILE_2 =
  'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n';
const README = '# orders-api\n\nIntro.\n\n## Running\n\nyarn start\n';

describe('mergeUpgrade (with the real git)', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-merge-'));
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  const base = () =>
    fileSet({
      Dockerfile: DOCKERFILE_1,
      'README.md': README,
      'old.txt': 'obsolete\n',
      'scripts/run.sh': { content: '#!/bin/sh\necho hi\n', executable: true },
    });

  it('applies the template change and keeps the team edits: modified, added, deleted, executable', async () => {
    const { gitDir } = await bareRepository(
      root,
      Object.fromEntries(
        [...base()].map(([p, f]) => [
          p,
          { content: f.content.toString(), executable: f.executable },
        ]),
      ),
    );
    // The team edits the README's end and adds a file of their own.
    const ours = await teamCommit(gitDir, 'main', {
      'README.md': `${README}\n## Team notes\n\nOn call: us.\n`,
      'src/index.ts': 'console.log(1);\n',
    });
    const theirs = fileSet({
      Dockerfile: DOCKERFILE_2,
      '.dockerignore': 'node_modules\n',
      'README.md': README.replace('Intro.', 'Intro, better.'),
      'scripts/run.sh': {
        content: '#!/bin/sh\necho hello\n',
        executable: true,
      },
      'scripts/new.sh': { content: '#!/bin/sh\n', executable: true },
    });

    const result = await mergeUpgrade({
      gitDir,
      ours,
      base: base(),
      theirs,
      message: 'Upgrade typescript-service to 1.1.0\n',
      author: AUTHOR,
      committedAt: AT,
    });

    expect(result.conflicts).toEqual([]);
    expect(result.files).toEqual([
      { path: '.dockerignore', status: 'added', conflicted: false },
      { path: 'Dockerfile', status: 'modified', conflicted: false },
      { path: 'README.md', status: 'modified', conflicted: false },
      { path: 'old.txt', status: 'deleted', conflicted: false },
      { path: 'scripts/new.sh', status: 'added', conflicted: false },
      { path: 'scripts/run.sh', status: 'modified', conflicted: false },
    ]);
    expect(await show(gitDir, result.commit, 'Dockerfile')).toBe(
      DOCKERFILE_2.trim(),
    );
    const readme = await show(gitDir, result.commit, 'README.md');
    expect(readme).toContain('Intro, better.');
    expect(readme).toContain('On call: us.');
    expect(await show(gitDir, result.commit, 'src/index.ts')).toBe(
      'console.log(1);',
    );
    const tree = await gitText(runGit, [
      '--git-dir',
      gitDir,
      'ls-tree',
      '-r',
      result.commit,
    ]);
    expect(tree).toMatch(/^100755 blob \w+\tscripts\/new\.sh$/m);
    expect(tree).toMatch(/^100755 blob \w+\tscripts\/run\.sh$/m);
    expect(tree).not.toContain('old.txt');
    // One commit on top of the team's head, by Paved, with the message.
    expect(await revParse(gitDir, `${result.commit}^`)).toBe(ours);
    await expect(revParse(gitDir, `${result.commit}^2`)).rejects.toThrow();
    expect(
      await gitText(runGit, [
        '--git-dir',
        gitDir,
        'log',
        '-1',
        '--format=%an <%ae> %s',
        result.commit,
      ]),
    ).toBe('Paved <upgrades@paved.local> Upgrade typescript-service to 1.1.0');
    // Nothing left behind: no refs but the team's branch.
    expect(
      await gitText(runGit, [
        '--git-dir',
        gitDir,
        'for-each-ref',
        '--format=%(refname)',
      ]),
    ).toBe('refs/heads/main');
  });

  it('reports overlapping edits as conflicts with every side, and commits the markers', async () => {
    const { gitDir } = await bareRepository(root, { Dockerfile: DOCKERFILE_1 });
    const ours = await teamCommit(gitDir, 'main', {
      Dockerfile: DOCKERFILE_1.replace('node:20', 'node:20-alpine'),
    });
    const result = await mergeUpgrade({
      gitDir,
      ours,
      base: fileSet({ Dockerfile: DOCKERFILE_1 }),
      theirs: fileSet({ Dockerfile: DOCKERFILE_2 }),
      message: 'Upgrade\n',
      author: AUTHOR,
      committedAt: AT,
    });
    expect(result.files).toEqual([
      { path: 'Dockerfile', status: 'modified', conflicted: true },
    ]);
    expect(result.conflicts).toEqual([
      {
        path: 'Dockerfile',
        base: DOCKERFILE_1,
        ours: DOCKERFILE_1.replace('node:20', 'node:20-alpine'),
        theirs: DOCKERFILE_2,
      },
    ]);
    const merged = await show(gitDir, result.commit, 'Dockerfile');
    expect(merged).toMatch(
      /^<<<<<<< \w+\nFROM node:20-alpine\n=======\nFROM node:22\n>>>>>>> \w+$/m,
    );
  });

  it('deletes what the template deleted unless the team changed it (a modify/delete conflict)', async () => {
    const { gitDir } = await bareRepository(root, {
      'a.txt': 'a\n',
      'b.txt': 'b\n',
    });
    const ours = await teamCommit(gitDir, 'main', { 'b.txt': 'b, ours\n' });
    const result = await mergeUpgrade({
      gitDir,
      ours,
      base: fileSet({ 'a.txt': 'a\n', 'b.txt': 'b\n' }),
      theirs: fileSet({}),
      message: 'Upgrade\n',
      author: AUTHOR,
      committedAt: AT,
    });
    expect(result.files).toEqual([
      { path: 'a.txt', status: 'deleted', conflicted: false },
      { path: 'b.txt', status: 'deleted', conflicted: true },
    ]);
    expect(result.conflicts).toEqual([
      { path: 'b.txt', base: 'b\n', ours: 'b, ours\n', theirs: undefined },
    ]);
    // The team's version stays until they decide.
    expect(await show(gitDir, result.commit, 'b.txt')).toBe('b, ours');
  });

  it('gives the same commit for the same inputs, and changes nothing when the template did not change', async () => {
    const { gitDir, head } = await bareRepository(root, {
      Dockerfile: DOCKERFILE_1,
    });
    const options = {
      gitDir,
      ours: head,
      base: fileSet({ Dockerfile: DOCKERFILE_1 }),
      theirs: fileSet({ Dockerfile: DOCKERFILE_2 }),
      message: 'Upgrade\n',
      author: AUTHOR,
      committedAt: AT,
    };
    const first = await mergeUpgrade(options);
    const second = await mergeUpgrade(options);
    expect(second.commit).toBe(first.commit);
    expect(second.files).toEqual(first.files);

    const same = await mergeUpgrade({
      ...options,
      theirs: fileSet({ Dockerfile: DOCKERFILE_1 }),
    });
    expect(same.files).toEqual([]);
    expect(same.conflicts).toEqual([]);
    expect(same.tree).toBe(await revParse(gitDir, `${head}^{tree}`));
  });

  it('leaves binary conflict sides out and rejects paths outside the repository', async () => {
    const { gitDir, head } = await bareRepository(root, { 'logo.bin': 'a\0b' });
    const ours = await teamCommit(gitDir, 'main', { 'logo.bin': 'a\0ours' });
    const result = await mergeUpgrade({
      gitDir,
      ours,
      base: fileSet({ 'logo.bin': 'a\0b' }),
      theirs: fileSet({ 'logo.bin': 'a\0theirs' }),
      message: 'Upgrade\n',
      author: AUTHOR,
      committedAt: AT,
    });
    expect(result.conflicts).toEqual([
      { path: 'logo.bin', base: undefined, ours: undefined, theirs: undefined },
    ]);
    await expect(
      mergeUpgrade({
        gitDir,
        ours: head,
        base: fileSet({}),
        theirs: fileSet({ '../escape': 'x' }),
        message: 'Upgrade\n',
        author: AUTHOR,
      }),
    ).rejects.toThrow('A rendered file has an invalid path: "../escape"');
  });
});
